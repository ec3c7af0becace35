package dev.ota.core.engine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * What to plan.
 *
 * @param contract the {@code ota.yaml} file
 * @param displayName how messages name the file (e.g. the path the user typed)
 * @param task the task to narrow to, or null for all tasks
 * @param inputs task input values given by the operator ({@code -Dota.input.<name>=<value>})
 * @param environment the process environment (for {@code OTA_POLICY}); never read from System
 *     directly so tests stay hermetic
 */
public record PlanRequest(
        Path contract, String displayName, String task, Map<String, String> inputs, Map<String, String> environment) {

    public PlanRequest {
        Objects.requireNonNull(contract, "contract");
        displayName = displayName == null ? contract.toString() : displayName;
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    public static PlanRequest of(Path contract) {
        return new PlanRequest(contract, null, null, Map.of(), Map.of());
    }
}
