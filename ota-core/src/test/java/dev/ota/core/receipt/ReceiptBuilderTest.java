package dev.ota.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.load.ContractLoader;
import dev.ota.core.model.Contract;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.WaitOutcome;
import dev.ota.core.receipt.ReceiptStep.ExecutionRelation;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReceiptBuilderTest {

    @Test
    void stepsAreNumberedAndTimedInTheOrderTheyOpen() {
        TestClock clock = new TestClock(Receipts.START);
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", clock);
        clock.advance(10);
        ReceiptBuilder.Step first = b.activation("dev", "sandbox");
        clock.advance(5);
        ReceiptBuilder.Step second = b.activation("db", "sandbox");
        clock.advance(100);
        second.finish(ReceiptStep.READY);
        clock.advance(200);
        first.finish(ReceiptStep.READY);
        clock.advance(1);
        Receipt r = b.succeed();

        assertThat(r.steps()).extracting(ReceiptStep::order).containsExactly(1, 2);
        assertThat(r.steps()).extracting(ReceiptStep::label).containsExactly("activate dev", "activate db");
        assertThat(r.step(1).timings().startedAt()).isEqualTo(Instant.parse("2026-04-12T10:10:10.133Z"));
        assertThat(r.step(1).timings().elapsedMs()).isEqualTo(305);
        assertThat(r.step(2).timings().elapsedMs()).isEqualTo(100);
        assertThat(r.durationMs()).isEqualTo(316);
        assertThat(r.summary().stepCount()).isEqualTo(2);
        assertThat(r.step(1).executionRelation()).isEqualTo(ExecutionRelation.ACTIVATION);
        assertThat(r.step(1).executionParent()).isEqualTo("sandbox");
        assertThat(r.step(1).stageFamily()).isEqualTo(ReceiptStep.StageFamily.SETUP);
    }

    @Test
    void timestampsHaveMillisecondPrecision() {
        TestClock clock = new TestClock("2026-04-12T10:10:10.123456789Z");
        Receipt r = Receipts.builder(Goal.RUN, "sandbox", clock).succeed();
        assertThat(r.startedAt()).isEqualTo(Instant.parse("2026-04-12T10:10:10.123Z"));
        assertThat(ReceiptJson.toJson(r)).contains("\"started_at\" : \"2026-04-12T10:10:10.123Z\"");
    }

    @Test
    void openStepsAreClosedWhenTheReceiptEnds() {
        TestClock clock = new TestClock(Receipts.START);
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", clock);
        b.task("sandbox", ExecutionRelation.REQUESTED, null);
        clock.advance(70);
        Receipt interrupted = b.interrupted("INTERRUPTED: Ctrl-C");
        assertThat(interrupted.step(1).status()).isEqualTo(ReceiptStep.INTERRUPTED);
        assertThat(interrupted.step(1).timings().elapsedMs()).isEqualTo(70);
        assertThat(interrupted.exitCode()).isEqualTo(130);

        ReceiptBuilder c = Receipts.builder(Goal.RUN, "sandbox", clock);
        c.activation("dev", "sandbox");
        assertThat(c.fail(FailureClass.ACTIVATION, "ACTIVATION FAILED: x").step(1).status())
                .isEqualTo(ReceiptStep.UNFINISHED);
    }

    @Test
    void failuresGetTheirStatusExitCodeErrorFindingAndANextStep() throws Exception {
        TestClock clock = new TestClock(Receipts.START);
        for (FailureClass c : FailureClass.values()) {
            Goal goal = c == FailureClass.CLEANUP ? Goal.CLEAN : Goal.RUN;
            ReceiptBuilder b = Receipts.builder(goal, "sandbox", clock);
            Receipt r = c == FailureClass.TASK ? b.taskFailed("build", 42, "TASK FAILED: build exited with 42")
                    : b.fail(c, c.status().label() + ": something");
            assertThat(r.ok()).isFalse();
            assertThat(r.status()).isEqualTo(c.status());
            assertThat(r.failureClass()).isEqualTo(c);
            assertThat(r.exitCode()).isEqualTo(switch (c) {
                case TASK -> 42;
                case INTERRUPTED -> 130;
                default -> 1;
            });
            assertThat(r.summary().errorCount()).isEqualTo(1);
            assertThat(r.findings()).singleElement().extracting(Receipt.Finding::message).isEqualTo(r.error());
            assertThat(r.nextSteps()).containsExactly(c.defaultNextStep());
            assertThat(r.failedTask()).isEqualTo(c == FailureClass.TASK ? "build" : null);
            SchemaSupport.assertValid(SchemaSupport.tree(r));
        }
    }

    @Test
    void interruptBySigtermExitsWith143() {
        Receipt r = Receipts.builder(Goal.ACTIVATE, "it", new TestClock(Receipts.START)).interrupted(15, "INTERRUPTED");
        assertThat(r.exitCode()).isEqualTo(143);
    }

    @Test
    void explicitNextStepsAndErrorFindingsAreKept() {
        Receipt r = Receipts.activationFailure();
        assertThat(r.nextSteps()).hasSize(2).doesNotContain(FailureClass.ACTIVATION.defaultNextStep());
        assertThat(r.findings()).singleElement().satisfies(f -> assertThat(f.step()).isEqualTo(1));
        assertThat(r.summary().errorCount()).isEqualTo(1);
    }

    @Test
    void successfulStatusFollowsTheGoal() {
        TestClock clock = new TestClock(Receipts.START);
        assertThat(List.of(Goal.values())).extracting(g -> Receipts.builder(g, "t", clock).succeed().status())
                .containsExactly(ReceiptStatus.READY, ReceiptStatus.READY, ReceiptStatus.DEACTIVATED,
                        ReceiptStatus.CLEANED, ReceiptStatus.READY);
    }

    @Test
    void warningsDoNotFailAReceipt() {
        Receipt r = Receipts.deactivated();
        assertThat(r.ok()).isTrue();
        assertThat(r.summary().warnCount()).isEqualTo(1);
        assertThat(r.steps()).extracting(ReceiptStep::status).containsExactly("STOPPED", "LEFT RUNNING");
    }

    @Test
    void aFinishedReceiptOrStepCannotChange() {
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", new TestClock(Receipts.START));
        ReceiptBuilder.Step s = b.task("sandbox", ExecutionRelation.REQUESTED, null);
        s.finish(ReceiptStep.READY);
        assertThatThrownBy(() -> s.finish(ReceiptStep.READY)).isInstanceOf(IllegalStateException.class);
        b.succeed();
        assertThatThrownBy(b::succeed).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.step("late", ReceiptStep.StageFamily.VERIFY)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void invariantsAreChecked() {
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", new TestClock(Receipts.START));
        assertThatThrownBy(() -> b.fail(FailureClass.TASK, "x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> b.fail(FailureClass.POLICY, 0, "x")).isInstanceOf(IllegalArgumentException.class);
        Receipt ok = Receipts.success();
        assertThatThrownBy(() -> new Receipt(null, true, ReceiptStatus.READY, null, Goal.RUN, "t", "ota.yaml", null,
                "ota.yaml", null, null, null, null, null, null, null, null, null, ok.startedAt(), ok.finishedAt(), 0, 1, null, null, null, null,
                null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Receipt(null, false, ReceiptStatus.TASK_FAILED, FailureClass.ACTIVATION, Goal.RUN,
                "t", "ota.yaml", null, "ota.yaml", null, null, null, null, null, null, null, null, null, ok.startedAt(), ok.finishedAt(), 0, 1, "x",
                null, null, null, null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Receipt(null, false, ReceiptStatus.READY, null, Goal.RUN,
                "t", "ota.yaml", null, "ota.yaml", null, null, null, null, null, null, null, null, null, ok.startedAt(), ok.finishedAt(), 0, 1, "x",
                null, null, null, null, null, null, null, null, null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void recordsAreImmutable() {
        List<String> tail = new ArrayList<>(List.of("a"));
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", new TestClock(Receipts.START));
        b.activation("dev", "sandbox").logTail(tail).finish(ReceiptStep.READY);
        Receipt r = b.succeed();
        tail.add("b");
        assertThat(r.step(1).logTail()).containsExactly("a");
        assertThatThrownBy(() -> r.steps().add(r.step(1))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> r.env().put("X", "y")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(r.env().keySet()).as("sorted").containsExactly("APP_MODE", "OTA_TARGET_API");
    }

    @Test
    void logTailKeepsTheLastTwentyLines() {
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", new TestClock(Receipts.START));
        b.activation("dev", "sandbox").logTail(IntStream.rangeClosed(1, 30).mapToObj(i -> "line " + i).toList())
                .finish(ReceiptStep.ACTIVATION_FAILED);
        Receipt r = b.fail(FailureClass.ACTIVATION, "ACTIVATION FAILED");
        assertThat(r.step(1).logTail()).hasSize(20).startsWith("line 11").endsWith("line 30");
    }

    @Test
    void replaceTargetResolutionUpdatesOneTarget() {
        ReceiptBuilder b = Receipts.builder(Goal.RUN, "sandbox", new TestClock(Receipts.START));
        ReceiptBuilder.Step s = b.task("sandbox", ExecutionRelation.REQUESTED, null)
                .targetResolution(Receipts.api(new ReceiptStep.Activation("ensure_ready", ActivationStatus.FAILED,
                        "dev", null, null)));
        s.replaceTargetResolution(Receipts.api(new ReceiptStep.Activation("ensure_ready",
                ActivationStatus.STARTED_READY, "dev", null, Receipts.readyProbe(1)))).finish(ReceiptStep.READY);
        assertThat(b.succeed().step(1).targetResolutions()).singleElement()
                .satisfies(t -> assertThat(t.activation().status()).isEqualTo(ActivationStatus.STARTED_READY));
    }

    @Test
    void probeEvidenceComesFromAWaitOutcome() {
        ProbeSpec spec = new ProbeSpec("dev.http", "http", "127.0.0.1", 8080, "http", "GET", "/health", Map.of(),
                List.of(), null, Duration.ofMillis(100), Duration.ofSeconds(1), 30, Duration.ofMillis(250));
        WaitOutcome outcome = new WaitOutcome(spec, "exhausted", 30, Duration.ofMillis(3456), "HTTP 503",
                List.of(new ProbeAttempt(30, false, "HTTP 503", Duration.ofMillis(3))), null);
        ReceiptStep.ProbeEvidence p = ReceiptStep.ProbeEvidence.of(outcome);
        assertThat(p).isEqualTo(new ReceiptStep.ProbeEvidence("http", "dev.http", spec.target(), 30, 3456, "HTTP 503",
                "exhausted", null, spec.maxAttempts(), 100L, 1000L, 250L));
        assertThat(p.endpoint()).isEqualTo(Receipts.HEALTH);
    }

    @Test
    void parallelActivationsCanFillTheirOwnSteps() throws Exception {
        ReceiptBuilder b = Receipts.builder(Goal.ACTIVATE, "it", new TestClock(Receipts.START));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                String producer = "p" + i;
                futures.add(pool.submit(() -> {
                    go.await();
                    b.activation(producer, "it").detail("started " + producer).finish(ReceiptStep.READY);
                    b.info(producer + " ready");
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get(10, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Receipt r = b.succeed();
        assertThat(r.steps()).hasSize(32).extracting(ReceiptStep::order)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 32).boxed().toList());
        assertThat(r.steps()).allSatisfy(s -> assertThat(s.status()).isEqualTo(ReceiptStep.READY));
        assertThat(r.summary().infoCount()).isEqualTo(32);
    }

    @Test
    void jsonRoundTrips() throws Exception {
        for (Receipt r : List.of(Receipts.success(), Receipts.taskFailure(), Receipts.activationFailure(),
                Receipts.interrupted(), Receipts.cleaned(), Receipts.fulfillmentFailed(),
                Receipts.withEvidence(ActivationStatus.REUSED_RUNNING))) {
            assertThat(ReceiptJson.fromJson(ReceiptJson.toJson(r))).isEqualTo(r);
        }
    }

    @Test
    void contractIdentityOfALoadedContract() throws Exception {
        Path file = Path.of("src", "test", "resources", "contracts", "examples", "workbench", "ota.yaml");
        Contract contract = ContractLoader.load(file, "ota.yaml", new Diagnostics()).orElseThrow();
        Receipt.ContractIdentity identity = Receipt.ContractIdentity.of(contract);
        assertThat(identity.version()).isEqualTo(1);
        assertThat(identity.project().name()).isEqualTo("orders-platform");
        assertThat(identity.counts().tasks()).isEqualTo(contract.tasks().size()).isPositive();
        assertThat(Receipt.ContractIdentity.of(null)).isNull();
        Receipt r = ReceiptBuilder.start(Goal.RUN, "smoke", new TestClock(Receipts.START)).contract("ota.yaml", contract)
                .succeed();
        assertThat(r.contractIdentity()).isEqualTo(identity);
        SchemaSupport.assertValid(SchemaSupport.tree(r));
    }
}
