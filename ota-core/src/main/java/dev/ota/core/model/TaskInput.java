package dev.ota.core.model;

import java.util.List;

/** {@code tasks.<t>.inputs.<name>}: a named per-run input, exported as {@code OTA_INPUT_<NAME>}. */
public record TaskInput(
        String name, String description, boolean required, String defaultValue, List<String> allowed, Site site) {}
