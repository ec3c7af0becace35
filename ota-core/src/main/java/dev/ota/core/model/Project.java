package dev.ota.core.model;

public record Project(String name, String description, String type, Site site) {}
