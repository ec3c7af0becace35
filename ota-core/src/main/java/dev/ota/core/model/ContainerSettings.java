package dev.ota.core.model;

import java.util.List;

/** `container:` settings of a context or of `execution.backends`. Null fields are undeclared. */
public record ContainerSettings(
        String image, List<String> engines, String memoryMinimum, String memoryDefault, Site site) {

    public static final ContainerSettings NONE = new ContainerSettings(null, null, null, null, null);

    /** Child values override parent values; lists replace. */
    public ContainerSettings overlay(ContainerSettings child) {
        if (child == null || child == NONE) {
            return this;
        }
        return new ContainerSettings(
                child.image != null ? child.image : image,
                child.engines != null ? child.engines : engines,
                child.memoryMinimum != null ? child.memoryMinimum : memoryMinimum,
                child.memoryDefault != null ? child.memoryDefault : memoryDefault,
                child.site != null ? child.site : site);
    }

    public List<String> effectiveEngines() {
        return engines == null || engines.isEmpty() ? List.of("docker") : engines;
    }
}
