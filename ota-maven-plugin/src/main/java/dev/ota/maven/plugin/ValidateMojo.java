package dev.ota.maven.plugin;

import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.ValidationOutcome;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Loads and validates the ota contract ({@code ota.yaml}) and the org policy that governs it.
 * Prints every warning and error as {@code file:line:column: severity: path: message Fix: ...} and
 * fails the build when the contract is invalid.
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
}
