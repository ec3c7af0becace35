package dev.ota.maven.plugin;

import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.ValidationOutcome;
import dev.ota.core.workspace.Workspace;
import dev.ota.core.workspace.WorkspaceEngine;
import dev.ota.core.workspace.WorkspaceOutcome;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Loads and validates the ota contract ({@code ota.yaml}) and the org policy that governs it.
 * Prints every warning and error as {@code file:line:column: severity: path: message Fix: ...} and
 * fails the build when the contract is invalid.
 *
 * <p>With {@code -Dota.file=ota.workspace.yaml} it validates a whole workspace instead: the
 * workspace file, every repo contract (each diagnostic names its own file) and every cross-repo
 * ({@code service.repo}) target. Problems of repos marked {@code required: false} are warnings.
 *
 * <p>Bound to the {@code validate} phase by default. A module without an {@code ota.yaml} (and
 * without {@code -Dota.file}) is skipped, so the goal can be bound once in a parent POM.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VALIDATE, requiresProject = false, threadSafe = true)
public class ValidateMojo extends AbstractOtaMojo {

    @Override
    protected String goalName() {
        return "validate";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        if (!contract.explicit() && !contract.exists()) {
            getLog().info("Skipping ota:validate: no " + OtaProperties.DEFAULT_CONTRACT_NAME + " in " + basedir()
                    + " (set -D" + OtaProperties.FILE + "=<path> to validate another file)");
            return;
        }
        if (isWorkspaceFile(contract)) {
            validateWorkspace(contract);
            return;
        }
        ValidationOutcome outcome;
        try {
            outcome = OtaEngine.validate(planRequest(contract));
        } catch (RuntimeException e) {
            throw engineFailure("validating", contract, e);
        }
        logDiagnostics(outcome.diagnostics());
        if (!outcome.ok()) {
            throw new MojoFailureException(FailureMessages.invalid(contract.displayName(), outcome.errors()));
        }
        int tasks = outcome.contract() == null || outcome.contract().tasks() == null
                ? 0
                : outcome.contract().tasks().size();
        getLog().info(contract.displayName() + " is valid: " + plural(tasks, "task") + ", "
                + plural(outcome.warnings().size(), "warning"));
    }

    /** A workspace is recognised by its file name, the one ota discovers. */
    static boolean isWorkspaceFile(ContractLocation contract) {
        return contract.file().getFileName() != null
                && Workspace.FILE_NAME.equals(contract.file().getFileName().toString());
    }

    private void validateWorkspace(ContractLocation file) throws MojoExecutionException, MojoFailureException {
        WorkspaceOutcome outcome;
        try {
            outcome = WorkspaceEngine.validate(file.file(), file.displayName(), System.getenv());
        } catch (RuntimeException e) {
            throw engineFailure("validating", file, e);
        }
        logDiagnostics(outcome.diagnostics());
        if (!outcome.ok()) {
            throw new MojoFailureException(FailureMessages.invalid(file.displayName(), outcome.errors()));
        }
        getLog().info(file.displayName() + " is valid: " + plural(outcome.repos().size(), "repo") + ", "
                + plural(outcome.taskCount(), "task") + ", " + plural(outcome.crossRepoTargets().size(), "cross-repo target")
                + ", " + plural(outcome.warnings().size(), "warning"));
        for (var target : outcome.crossRepoTargets()) {
            getLog().info("  " + target.consumerRepo() + ":" + target.consumerTask() + " -> " + target.target() + " = "
                    + target.producerRepo() + ":" + target.producerTask() + "." + target.listener() + " "
                    + (target.resolved() ? target.effectiveUrl() : "UNRESOLVED"));
        }
    }
}
