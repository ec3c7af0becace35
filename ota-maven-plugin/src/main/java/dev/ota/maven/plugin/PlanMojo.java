package dev.ota.maven.plugin;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.PlanJson;
import dev.ota.core.plan.PlanText;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Previews what a run would do, without starting anything: per task its context, backend and
 * target resolutions (effective URL and where it came from), per shared backend its identity and
 * requirement union, and for {@code -Dota.task=<task>} the ordered producer activations. Prints
 * the plan as a table and writes it as {@code plan.json}.
 *
 * <p>Fails when the contract is invalid ({@code INVALID ...}) or when a target of the requested
 * task cannot resolve ({@code UNRESOLVED ...}); {@code plan.json} is written first either way.
 *
 * <p>The contract describes a repository, not a module: in a multi-module build the goal runs once,
 * in the project Maven was started in (it is an aggregator), so
 * {@code mvn ota:plan -Dota.file=examples/x/ota.yaml} from the root plans that file once.
 */
@Mojo(name = "plan", requiresProject = false, aggregator = true, threadSafe = true)
public class PlanMojo extends AbstractOtaMojo {

    /**
     * Where to write {@code plan.json}. Default: {@code ${project.build.directory}/ota/plan.json}
     * when the contract is the project's own {@code ota.yaml}, otherwise
     * {@code <contract directory>/target/ota/plan.json}.
     */
    @Parameter(property = OtaProperties.PLAN_FILE)
    protected File planFile;

    @Override
    protected String goalName() {
        return "plan";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        PlanRequest request = planRequest(contract);
        PlanOutcome outcome;
        try {
            outcome = OtaEngine.plan(request);
        } catch (RuntimeException e) {
            throw engineFailure("planning", contract, e);
        }
        Plan plan = outcome.plan();
        if (plan == null) {
            throw new MojoExecutionException("ota-core returned no plan for " + contract.displayName()
                    + "; this is an ota-maven bug, please report it");
        }

        try {
            for (String line : PlanText.render(plan)) {
                getLog().info(line);
            }
        } catch (RuntimeException e) {
            throw engineFailure("rendering the plan of", contract, e);
        }

        List<Diagnostic> diagnostics = FailureMessages.merge(outcome.diagnostics(), planDiagnostics(plan));
        logDiagnostics(diagnostics);

        Path target = PlanFileLocator.choose(planFile, contract.file(), basedir(), isRealProject(), buildDirectory());
        try {
            PlanJson.write(plan, target);
        } catch (IOException e) {
            throw new MojoExecutionException("Could not write " + target + " ("
                    + e.getClass().getSimpleName() + ": " + e.getMessage() + ")"
                    + System.lineSeparator() + "Check that the directory is writable or set -D"
                    + OtaProperties.PLAN_FILE + "=<path>.", e);
        } catch (RuntimeException e) {
            throw engineFailure("writing the plan of", contract, e);
        }
        getLog().info("Wrote " + target);

        if (!plan.ok()) {
            List<Diagnostic> errors = diagnostics.stream().filter(Diagnostic::isError).toList();
            throw new MojoFailureException(
                    FailureMessages.planFailure(
                            contract.displayName(),
                            plan.requestedTask() != null ? plan.requestedTask() : request.task(),
                            plan,
                            errors));
        }
    }

    private static List<Diagnostic> planDiagnostics(Plan plan) {
        return FailureMessages.merge(plan.errors(), plan.warnings());
    }
}
