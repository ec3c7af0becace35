package dev.ota.core.engine;

import dev.ota.core.workspace.WorkspaceContext;
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
 * @param workspace the workspace the contract's repo belongs to, or null when there is none; it
 *     checks and resolves {@code service.repo} targets (see {@link WorkspaceContext#discover})
 */
public record PlanRequest(
        Path contract, String displayName, String task, Map<String, String> inputs, Map<String, String> environment,
        WorkspaceContext workspace) {

    public PlanRequest {
        Objects.requireNonNull(contract, "contract");
        displayName = displayName == null ? contract.toString() : displayName;
        inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** A request without a workspace: {@code service.repo} targets do not resolve. */
    public PlanRequest(
            Path contract, String displayName, String task, Map<String, String> inputs, Map<String, String> environment) {
        this(contract, displayName, task, inputs, environment, null);
    }

    public static PlanRequest of(Path contract) {
        return new PlanRequest(contract, null, null, Map.of(), Map.of());
    }

    /** The same request within {@code workspace} (null for none). */
    public PlanRequest withWorkspace(WorkspaceContext workspace) {
        return new PlanRequest(contract, displayName, task, inputs, environment, workspace);
    }
}
