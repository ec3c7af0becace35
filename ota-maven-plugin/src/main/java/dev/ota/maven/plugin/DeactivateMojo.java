package dev.ota.maven.plugin;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.engine.RunService;
import java.util.List;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Stops the producers {@code ota:activate} started in this build; producers it reused keep
 * running. A stop that fails is logged and written to the receipt, and fails the build only with
 * {@code -Dota.failOnStopError=true} (teardown problems should not turn green tests red).
 */
@Mojo(name = "deactivate", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, requiresProject = false,
        threadSafe = true)
public class DeactivateMojo extends AbstractRunMojo {

    /** Fail the build when a producer cannot be stopped. */
    @Parameter(property = OtaProperties.FAIL_ON_STOP_ERROR, defaultValue = "false")
    protected boolean failOnStopError;

    @Override
    protected String goalName() {
        return "deactivate";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        List<TargetActivation> started = ActivationRegistry.take(session, contract.file().toString());
        if (started.isEmpty()) {
            getLog().info("ota:deactivate: this build started no producer for " + contract.displayName()
                    + " (reused producers keep running; `mvn ota:clean` stops every ota-owned service)");
            return;
        }
        RunService.Result result;
        try {
            result = service.deactivate(planRequest(contract), started, options(contract));
        } catch (RuntimeException e) {
            throw engineFailure("deactivating", contract, e);
        }
        if (!result.ok()) {
            if (failOnStopError) {
                throw failure(result);
            }
            getLog().warn(result.message() + " (not failing the build; -D" + OtaProperties.FAIL_ON_STOP_ERROR + "=true would)");
        }
    }
}
