package dev.ota.core.model;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A loaded {@code ota.yaml}. Immutable; fields that failed to load are null and the reasons are
 * in the diagnostics that came with it.
 *
 * @param file the contract file on disk
 * @param displayName how diagnostics name it
 * @param readinessProbes names of the root {@code readiness.probes} (their bodies are not modelled)
 * @param secretEnv names of {@code env.vars} declared {@code secret: true}; their values are
 *     redacted in receipts
 */
public record Contract(
        Path file,
        String displayName,
        Integer version,
        Project project,
        Execution execution,
        Requirements rootRequirements,
        Map<String, Extension> extensions,
        Map<String, Task> tasks,
        Set<String> readinessProbes,
        Set<String> secretEnv,
        Site site) {

    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? file.toAbsolutePath() : parent;
    }

    public Task task(String name) {
        return tasks.get(name);
    }
}
