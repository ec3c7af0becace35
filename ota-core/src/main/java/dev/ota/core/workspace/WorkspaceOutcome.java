package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.model.Contract;
import java.util.List;

/**
 * Result of validating a workspace and every repo contract in it.
 *
 * @param workspace the loaded workspace, or null when the file could not be read at all
 * @param repos the repos in processing order, each with its contract when it could be loaded
 * @param crossRepoTargets every {@code service.repo} target of every loaded contract
 * @param diagnostics the workspace file's and every repo contract's, in file order; an optional
 *     repo's errors are already warnings
 */
public record WorkspaceOutcome(
        Workspace workspace, List<RepoOutcome> repos, List<CrossRepoResolution> crossRepoTargets,
        List<Diagnostic> diagnostics) {

    public WorkspaceOutcome {
        repos = List.copyOf(repos);
        crossRepoTargets = List.copyOf(crossRepoTargets);
        diagnostics = List.copyOf(diagnostics);
    }

    /**
     * One repo of the workspace.
     *
     * @param contractDisplayName how diagnostics name its contract
     * @param contract the loaded contract, or null when it is missing or unreadable
     * @param plan the plan of all its tasks within the workspace ({@code service.repo} targets
     *     resolved), or null when the contract could not be loaded
     */
    public record RepoOutcome(WorkspaceRepo repo, String contractDisplayName, Contract contract,
            dev.ota.core.plan.Plan plan) {

        public RepoOutcome(WorkspaceRepo repo, String contractDisplayName, Contract contract) {
            this(repo, contractDisplayName, contract, null);
        }

        public List<String> taskNames() {
            return contract == null || contract.tasks() == null ? List.of() : List.copyOf(contract.tasks().keySet());
        }
    }

    public boolean ok() {
        return workspace != null && diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }

    /** Tasks declared by all loaded repo contracts together. */
    public int taskCount() {
        return repos.stream().mapToInt(r -> r.taskNames().size()).sum();
    }
}
