package dev.ota.maven.plugin;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Makes the producers of a consumer task's targets available before integration tests: starts or
 * reuses them per each target's {@code activation.mode} and waits for what the mode waits for.
 * Every resolved target is exported as project property and session user property
 * {@code ota.target.<target>} and {@code ota.target.<task>.<target>} (Failsafe passes session
 * user properties to the test JVM as system properties without configuration) and written to
 * {@code target/ota/targets.properties}. {@code ota:deactivate} stops what this goal started; if
 * the build fails before it runs, the end of the session does (a shutdown hook, if interrupted).
 */
@Mojo(name = "activate", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, requiresProject = false, threadSafe = true)
public class ActivateMojo extends AbstractRunMojo {

    /** Skips activation when integration tests are skipped (Failsafe's {@code skipITs}). */
    @Parameter(property = OtaProperties.SKIP_ITS, defaultValue = "false")
    protected boolean skipITs;

    /** Skips activation when tests are skipped ({@code skipTests}). */
    @Parameter(property = OtaProperties.SKIP_TESTS, defaultValue = "false")
    protected boolean skipTests;

    /** Skips activation when test compilation and execution are skipped ({@code maven.test.skip}). */
    @Parameter(property = OtaProperties.MAVEN_TEST_SKIP, defaultValue = "false")
    protected boolean mavenTestSkip;

    @Override
    protected String goalName() {
        return "activate";
    }

    @Override
    protected void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException {
        String reason = skipITs ? OtaProperties.SKIP_ITS : skipTests ? OtaProperties.SKIP_TESTS
                : mavenTestSkip ? OtaProperties.MAVEN_TEST_SKIP : null;
        if (reason != null) {
            getLog().info("Skipping ota:activate (" + reason + "=true): no tests will use the targets");
            return;
        }
        if (task == null || task.isBlank()) {
            throw new MojoFailureException("ota:activate needs the consumer task whose targets to activate: -D"
                    + OtaProperties.TASK + "=<task> (or <task> in the plugin configuration)");
        }
        PlanRequest request = planRequest(contract);
        RunService.Options options = options(contract);
        RunService.Result result;
        try {
            result = service.activate(request, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MojoFailureException("INTERRUPTED: ota:activate of `" + task
                    + "` was interrupted; the producers it started were stopped.");
        } catch (RuntimeException e) {
            throw engineFailure("activating", contract, e);
        }
        if (!result.ok()) {
            throw failure(result);
        }
        String key = contract.file().toString();
        List<TargetActivation> started = result.started();
        if (!ActivationRegistry.registered(session, key)) {
            registerShutdownStop(request, options, key);
        }
        ActivationRegistry.add(session, key, started);
        export(RunService.targetProperties(task, result.targets()));
    }

    private void export(Map<String, String> properties) {
        properties.forEach((name, value) -> {
            if (project != null) {
                project.getProperties().setProperty(name, value);
            }
            if (session != null) {
                session.getUserProperties().setProperty(name, value);
            }
            getLog().info(name + " = " + value);
        });
    }

    /**
     * A failed build never reaches ota:deactivate: stop what this build started when the session
     * ends (Maven fires that for failed builds too, while this plugin's classes can still load);
     * a successful build without ota:deactivate leaves them running.
     * The JVM shutdown hook is the fallback for an interrupted build (Ctrl-C), whose session does
     * not end normally; whichever runs first takes the producers, the other finds none.
     */
    private void registerShutdownStop(PlanRequest request, RunService.Options options, String key) {
        Consumer<String> stderr = line -> System.err.println("[ota] " + line);
        Thread hook = new Thread(() -> stopLeftovers(request, options, key, stderr, stderr), "ota-deactivate-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        if (session == null || session.getRequest() == null) {
            return;
        }
        if (ActivationRegistry.extensionActive(session)) {
            // the core extension's afterSessionEnd calls this (a failed build's producers are stopped)
            ActivationRegistry.publishSessionEnd(session, System.getenv());
            return;
        }
        MavenExecutionRequest build = session.getRequest();
        synchronized (build) {
            build.setExecutionListener(new SessionEndListener(build.getExecutionListener(), () -> {
                try {
                    if (session.getResult() != null && !session.getResult().hasExceptions()) {
                        leaveRunning(key);
                    } else {
                        stopLeftovers(request, options, key, line -> getLog().warn(line), line -> getLog().info(line));
                    }
                } catch (RuntimeException | LinkageError e) {
                    getLog().warn("ota: could not stop the producers ota:activate started: " + e);
                } finally {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the JVM is already exiting; the hook will find nothing left
                    }
                }
            }));
        }
    }

    /**
     * A successful build without ota:deactivate (e.g. a plain {@code mvn ota:activate}) leaves the
     * producers up on purpose, like {@code ota:run} does; they stay recorded for reuse and clean.
     */
    private void leaveRunning(String key) {
        List<TargetActivation> left = ActivationRegistry.take(session, key);
        if (!left.isEmpty()) {
            Set<String> elsewhere = new LinkedHashSet<>();
            Path own = contractDirectory(key);
            for (TargetActivation a : left) {
                if (a.repo() != null && !a.repo().toAbsolutePath().normalize().equals(own)) {
                    elsewhere.add(String.valueOf(a.repo().getFileName()));
                }
            }
            getLog().info("ota:activate leaves " + left.size() + " producer(s) running (no ota:deactivate in this build); "
                    + "`mvn ota:clean` stops them" + (elsewhere.isEmpty() ? ""
                            : " (also run it in " + String.join(", ", elsewhere) + ": a cross-repo producer is recorded in its own repo)"));
        }
    }

    private static Path contractDirectory(String contractFile) {
        return Path.of(contractFile).toAbsolutePath().normalize().getParent();
    }

    private void stopLeftovers(PlanRequest request, RunService.Options options, String key, Consumer<String> headline,
            Consumer<String> log) {
        List<TargetActivation> left = ActivationRegistry.take(session, key);
        if (left.isEmpty()) {
            return;
        }
        headline.accept("build ended before ota:deactivate; stopping " + left.size() + " producer(s) ota:activate started");
        new RunService().deactivate(request, left, new RunService.Options(options.outputDir(), options.owner(),
                options.maven(), log, line -> { }));
    }
}
