package dev.ota.core.receipt;

import dev.ota.core.plan.Plan;
import dev.ota.core.receipt.ReceiptStep.Activation;
import dev.ota.core.receipt.ReceiptStep.ExecutionRelation;
import dev.ota.core.receipt.ReceiptStep.ProbeEvidence;
import dev.ota.core.receipt.ReceiptStep.ProducerReuse;
import dev.ota.core.receipt.ReceiptStep.ServiceRef;
import dev.ota.core.receipt.ReceiptStep.TargetResolution;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Receipts an engine would build for the typical outcomes, filled step by step through the builder. */
final class Receipts {

    static final String START = "2026-04-12T10:10:10.123Z";
    static final String URL = "http://127.0.0.1:8080";
    static final Receipt.ContractIdentity IDENTITY = new Receipt.ContractIdentity(1,
            new Receipt.ProjectIdentity("native-topology", null), new Receipt.Counts(3));
    static final Receipt.Maven MAVEN = new Receipt.Maven("dev.ota.examples", "native-topology", "1.0-SNAPSHOT",
            "build-7f3a");

    private Receipts() {}

    static ReceiptBuilder builder(Goal goal, String task, TestClock clock) {
        return ReceiptBuilder.start(goal, task, clock)
                .contract("ota.yaml", IDENTITY)
                .execution("native", "app", "persistent")
                .inputs(Map.of("base_url", ""))
                .env(Map.of("OTA_TARGET_API", URL, "APP_MODE", "smoke"))
                .maven(MAVEN);
    }

    static final String HEALTH = "http GET http://127.0.0.1:8080/health";

    static ProbeEvidence readyProbe(int attempts) {
        return new ProbeEvidence("http", "dev.http", HEALTH, attempts, 40L * attempts, "ready (HTTP 200)", "ready",
                null, 60, 100L, 2000L, 0L);
    }

    static ServiceRef devRef() {
        return new ServiceRef("dev", "http", "topology");
    }

    static TargetResolution api(Activation activation) {
        return new TargetResolution("api", "base_url", TargetResolution.TARGET_BINDING, activation, devRef(), URL);
    }

    static ReceiptStep.SharedLocalBackend hostBackend() {
        return new ReceiptStep.SharedLocalBackend("host", "native", "persistent", "app", null,
                "native-topology/host/3f9c0d12", ReceiptStep.BackendReuse.REUSED);
    }

    /** ota:run sandbox: activate dev (started_ready), run depends_on build, run sandbox. */
    static Receipt success() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.RUN, "sandbox", clock);
        ReceiptBuilder.Step dev = b.activation("dev", "sandbox");
        clock.advance(120);
        dev.detail("started pid 4242, ready after 3 attempts").logFile(".ota/state/logs/dev.log")
                .sharedLocalBackend(hostBackend()).finish(ReceiptStep.READY);
        ReceiptBuilder.Step build = b.task("build", ExecutionRelation.DEPENDS_ON, "sandbox");
        clock.advance(300);
        build.exitCode(0).finish(ReceiptStep.READY);
        ReceiptBuilder.Step main = b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(api(new Activation("ensure_ready", ActivationStatus.STARTED_READY, "dev", null,
                        readyProbe(3))))
                .sharedLocalBackend(hostBackend());
        clock.advance(800);
        main.exitCode(0).finish(ReceiptStep.READY);
        b.info("dev keeps running (persistent); stop it with `mvn ota:clean`");
        return b.succeed();
    }

    /** The requested task exits with 3. */
    static Receipt taskFailure() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.RUN, "sandbox", clock);
        b.activation("dev", "sandbox").finish(ReceiptStep.READY);
        ReceiptBuilder.Step main = b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(api(new Activation("ensure_ready", ActivationStatus.REUSED_READY, "dev",
                        new ProducerReuse(true, 4242L, "build-1", Instant.parse(START), null), readyProbe(1))));
        clock.advance(50);
        main.exitCode(3).finish(ReceiptStep.TASK_FAILED);
        return b.taskFailed("sandbox", 3, "TASK FAILED: task `sandbox` exited with code 3");
    }

    /** The producer exits before it is ready; the consumer never runs. */
    static Receipt activationFailure() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.RUN, "sandbox", clock);
        ReceiptBuilder.Step dev = b.activation("dev", "sandbox");
        clock.advance(900);
        ProbeEvidence probe = new ProbeEvidence("http", "dev.http", HEALTH, 4, 900, "connection refused", "exited",
                1, 60, 100L, 2000L, 0L);
        dev.detail("producer `dev` exited with code 1 before it was ready")
                .logFile(".ota/state/logs/dev.log")
                .logTail(List.of("Starting dev on :8080", "Exception in thread \"main\" java.net.BindException"))
                .finding(Receipt.Level.ERROR, "producer `dev` exited with code 1 before it was ready")
                .finish(ReceiptStep.ACTIVATION_FAILED);
        b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(api(new Activation("ensure_ready", ActivationStatus.FAILED, "dev", null, probe)))
                .detail("not run: target `api` could not be activated")
                .finish(ReceiptStep.NOT_RUN);
        b.nextStep("read .ota/state/logs/dev.log").nextStep("fix `dev`, then run `mvn ota:run -Dota.task=sandbox`");
        return b.fail(FailureClass.ACTIVATION, "ACTIVATION FAILED: producer `dev` exited with code 1 before it was ready");
    }

    /** Ctrl-C while the task body runs: the open step is closed as INTERRUPTED, exit 130. */
    static Receipt interrupted() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.RUN, "sandbox", clock);
        b.activation("dev", "sandbox").finish(ReceiptStep.READY);
        b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(api(new Activation("ensure_ready", ActivationStatus.STARTED_READY, "dev", null,
                        readyProbe(2))));
        clock.advance(5000);
        b.teardown("dev").detail("stopped pid 4242 (SIGTERM)").finish(ReceiptStep.STOPPED);
        return b.interrupted("INTERRUPTED: the build was interrupted while `sandbox` ran");
    }

    /** A receipt whose requested step carries one activation evidence word. */
    static Receipt withEvidence(ActivationStatus status) {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.ACTIVATE, "it", clock);
        String mode = switch (status) {
            case MANUAL -> "manual";
            case SKIPPED_EXPLICIT_OVERRIDE, STARTED_READY, REUSED_READY -> "ensure_ready";
            case STARTED_STARTED, REUSED_STARTED -> "ensure_started";
            case STARTED_RUNNING, REUSED_RUNNING -> "ensure_running";
            case RESTARTED_READY -> "restart_ready";
            default -> throw new IllegalArgumentException(status.word());
        };
        TargetResolution resolution;
        switch (status) {
            case MANUAL -> resolution = api(new Activation(mode, status));
            case SKIPPED_EXPLICIT_OVERRIDE -> resolution = new TargetResolution("api", "base_url",
                    TargetResolution.EXPLICIT_OVERRIDE, new Activation(mode, status), devRef(), "http://staging:8080");
            default -> {
                if (status.startedByThisRun()) {
                    b.activation("dev", "it").detail("started pid 4242").finish(ReceiptStep.READY);
                }
                ProducerReuse reuse = status.reused() || status == ActivationStatus.RESTARTED_READY
                        ? new ProducerReuse(status != ActivationStatus.REUSED_RUNNING, 4242L, null, null,
                                status == ActivationStatus.REUSED_RUNNING ? "port 8080 held by a process ota did not start"
                                        : null)
                        : null;
                ProbeEvidence probe = switch (status) {
                    case STARTED_STARTED, REUSED_STARTED -> null;
                    case STARTED_RUNNING, REUSED_RUNNING -> new ProbeEvidence("tcp", "dev.http",
                            "tcp 127.0.0.1:8080", 1, 2, "connected", "ready", null, null, null, null, null);
                    default -> readyProbe(2);
                };
                resolution = api(new Activation(mode, status, "dev", reuse, probe));
            }
        }
        b.step("it", ReceiptStep.StageFamily.SETUP).task("it").relation(ExecutionRelation.REQUESTED)
                .targetResolution(resolution).detail("exported ota.target.api and ota.target.it.api")
                .finish(ReceiptStep.READY);
        return b.succeed();
    }

    static Receipt deactivated() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.DEACTIVATE, "it", clock);
        b.teardown("dev").detail("stopped pid 4242").finish(ReceiptStep.STOPPED);
        b.teardown("db").detail("reused, left running").finish(ReceiptStep.LEFT_RUNNING);
        b.warn("`cache` did not stop within 10 s; killed");
        return b.succeed();
    }

    static Receipt cleaned() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = ReceiptBuilder.start(Goal.CLEAN, null, clock).contract("ota.yaml",
                (Receipt.ContractIdentity) null);
        b.teardown("dev").detail("stopped pid 4242").finish(ReceiptStep.STOPPED);
        b.step("forget stale record of api", ReceiptStep.StageFamily.TEARDOWN).task("api")
                .detail("pid 999 no longer exists").finish(ReceiptStep.FORGOTTEN);
        return b.succeed();
    }

    static Receipt cleanFailed() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = ReceiptBuilder.start(Goal.CLEAN, null, clock).contract("ota.yaml", IDENTITY);
        b.teardown("dev").detail("pid 4242 did not exit after SIGKILL").finish(ReceiptStep.STOP_FAILED);
        return b.fail(FailureClass.CLEANUP, "CLEAN FAILED: could not stop `dev` (pid 4242)");
    }

    static Receipt invalidContract() {
        TestClock clock = new TestClock(START);
        return ReceiptBuilder.start(Goal.RUN, "sandbox", clock)
                .contract("ota.yaml", (Receipt.ContractIdentity) null)
                .fail(FailureClass.CONTRACT, "INVALID CONTRACT: ota.yaml:4:5 unknown key `bogus`");
    }

    static Receipt policyRefused() {
        TestClock clock = new TestClock(START);
        return builder(Goal.ACTIVATE, "it", clock)
                .orgPolicy("../org/.ota/org-policy.yaml", "workspace policy")
                .nextStep("ask the platform team to allow image `node:24`, or use profile `java-node`")
                .fail(FailureClass.POLICY, "POLICY REFUSED: image `node:24` is not an approved source");
    }

    static Receipt fulfillmentFailed() {
        TestClock clock = new TestClock(START);
        ReceiptBuilder b = builder(Goal.RUN, "sandbox", clock);
        b.step("prepare workbench", ReceiptStep.StageFamily.PREPARE)
                .backendFulfillment(new ReceiptStep.BackendFulfillment("workbench", "container", "none",
                        Map.of("java", ">=21"), Map.of("maven", "*"), List.of("java >=21 (found 17)"), List.of(),
                        "missing_requirements", false))
                .sharedLocalBackend(new ReceiptStep.SharedLocalBackend("workbench", "container", "persistent", "app",
                        new Plan.EnvironmentEvidence("java-node", null, null, null, "java-node", null,
                                "registry.corp/jdk21-node24:1.4", "internal", "registry.corp", "policy profile",
                                ".ota/org-policy.yaml"),
                        "ota-3f9c0d12ab45e678", ReceiptStep.BackendReuse.CREATED))
                .finish("MISSING REQUIREMENTS");
        return b.fail(FailureClass.FULFILLMENT, "FULFILLMENT FAILED: java >=21 is missing on backend `workbench`");
    }
}
