package dev.ota.maven.plugin;

import dev.ota.core.engine.RunService;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Checks what the contract's backends require and, where a backend declares {@code fulfillment: run},
 * installs what is missing through the sources the org policy approves — the same step
 * {@code ota:run} and {@code ota:activate} take first, alone. Narrow it with
 * {@code -Dota.backend=<shared backend>} or {@code -Dota.task=<task>} (the backends that task's run
 * uses); without either, every backend of the contract. Starts no service and runs no task.
 */
@Mojo(name = "fulfill", requiresProject = false, aggregator = true, threadSafe = true)
public class FulfillMojo extends AbstractRunMojo {

    /** The shared backend to fulfil ({@code execution.shared_backends.<name>}); all when unset. */
    @Parameter(property = OtaProperties.BACKEND)
    private String backend;

    @Override
    protected String goalName() {
        return "fulfill";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        String unit = backend == null || backend.isBlank() ? null
                : backend.contains(":") ? backend.trim() : "shared_backend:" + backend.trim();
        RunService.Result result;
        try {
            result = service.fulfil(planRequest(contract), unit, options(contract));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("INTERRUPTED: ota:fulfill was interrupted");
        } catch (RuntimeException e) {
            throw engineFailure("fulfilling", contract, e);
        }
        if (!result.ok()) {
            throw failure(result);
        }
    }
}
