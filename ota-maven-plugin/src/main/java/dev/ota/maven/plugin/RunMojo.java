package dev.ota.maven.plugin;

import dev.ota.core.engine.RunService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * Runs a task the way its contract says: resolves its targets, starts or reuses the producers
 * they activate and waits for their readiness, runs its {@code depends_on} tasks, then its body in
 * the contract's directory with {@code OTA_TARGET_*} and {@code OTA_INPUT_*} set. Writes a receipt
 * under {@code target/ota/receipts/}. Producers this run started keep running after success (the
 * next build reuses them; {@code ota:clean} stops them) and are stopped on failure or Ctrl-C.
 */
@Mojo(name = "run", requiresProject = false, aggregator = true, threadSafe = true)
public class RunMojo extends AbstractRunMojo {

    @Override
    protected String goalName() {
        return "run";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        if (task == null || task.isBlank()) {
            throw new MojoFailureException("ota:run needs a task: -D" + OtaProperties.TASK + "=<task>");
        }
        Thread worker = Thread.currentThread();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        // Ctrl-C: interrupt the run so it stops its task and the producers it started, and wait until
        // it has (not until the thread ends: after cleanup it may itself be waiting in System.exit).
        Thread hook = new Thread(() -> {
            worker.interrupt();
            try {
                cleanedUp.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "ota-run-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        RunService.Result result;
        try {
            result = service.run(planRequest(contract), options(contract));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("INTERRUPTED: ota:run of `" + task
                    + "` was interrupted; its process tree and the producers it started were stopped.");
        } catch (RuntimeException e) {
            throw engineFailure("running", contract, e);
        } finally {
            cleanedUp.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is already shutting down; the hook is running
            }
        }
        if (!result.ok()) {
            throw failure(result);
        }
        getLog().info("ota:run of `" + task + "` succeeded");
    }
}
