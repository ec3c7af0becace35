package dev.ota.core.model;

/** {@code extensions.<name>}; only what remote providers need. */
public record Extension(
        String name, String kind, String command, Integer apiVersion, String description,
        boolean providerManagedCleanup, Site site) {}
