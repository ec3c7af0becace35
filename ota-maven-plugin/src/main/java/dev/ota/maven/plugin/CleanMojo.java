package dev.ota.maven.plugin;

import dev.ota.core.engine.RunService;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Stops every service ota-maven started for this repository (whichever build started it) and
 * removes stale records, e.g. those a killed build left behind. Writes a receipt.
 */
@Mojo(name = "clean", requiresProject = false, aggregator = true, threadSafe = true)
public class CleanMojo extends AbstractRunMojo {

    @Override
    protected String goalName() {
        return "clean";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        RunService.Result result;
        try {
            result = service.clean(planRequest(contract), options(contract));
        } catch (RuntimeException e) {
            throw engineFailure("cleaning", contract, e);
        }
        if (!result.ok()) {
            throw failure(result);
        }
    }
}
