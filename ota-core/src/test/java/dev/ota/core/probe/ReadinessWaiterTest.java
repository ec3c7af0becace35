package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The waiting loop on a fake clock: deterministic, no real sleeping. */
class ReadinessWaiterTest {

    /** Advances only when slept on. */
    static final class FakeClock implements WaitClock {
        long now = 1_000_000_000L;
        final List<Duration> sleeps = new ArrayList<>();
        int interruptOnSleep = -1;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            sleeps.add(d);
            if (sleeps.size() == interruptOnSleep) {
                throw new InterruptedException("test");
            }
            now += d.toNanos();
        }

        Duration since(long t) {
            return Duration.ofNanos(now - t);
        }
    }

    /** A probe that answers from a script and records when it was asked. */
    static final class ScriptedProbe implements Probe {
        final FakeClock clock;
        final IntFunction<ProbeAttempt> script;
        final Duration cost;
        final List<Long> calls = new ArrayList<>();

        ScriptedProbe(FakeClock clock, Duration cost, IntFunction<ProbeAttempt> script) {
            this.clock = clock;
            this.cost = cost;
            this.script = script;
        }

        @Override
        public ProbeAttempt attempt(int number) {
            calls.add(clock.now);
            clock.now += cost.toNanos();
            return script.apply(number);
        }
    }

    static ProbeAttempt refused(int n) {
        return new ProbeAttempt(n, false, "connection refused", Duration.ZERO);
    }

    static ProbeAttempt ok(int n) {
        return new ProbeAttempt(n, true, "ready (HTTP 200)", Duration.ZERO);
    }

    static ProbeSpec spec(int retries, Duration interval, Duration startPeriod) {
        return new ProbeSpec("dev.http", "http", "127.0.0.1", 8080, null, null, "/health", null, null, null, interval,
                Duration.ofSeconds(2), retries, startPeriod);
    }

    final FakeClock clock = new FakeClock();
    final ReadinessWaiter waiter = new ReadinessWaiter(clock, Duration.ofSeconds(5), Duration.ofMillis(100));
    final List<String> progress = new ArrayList<>();
    final List<Long> progressAt = new ArrayList<>();

    void record(String line) {
        progress.add(line);
        progressAt.add(clock.now);
    }

    @AfterEach
    void clearInterrupt() {
        Thread.interrupted();
    }

    @Test
    void readyAfterSomeFailures() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ofMillis(10), n -> n <= 3 ? refused(n) : ok(n));
        long t0 = clock.now;
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), null), probe, Liveness.ALWAYS_ALIVE, this::record);
        assertThat(o.result()).isEqualTo("ready");
        assertThat(o.ready()).isTrue();
        assertThat(o.attempts()).isEqualTo(4);
        assertThat(o.lastDetail()).isEqualTo("ready (HTTP 200)");
        assertThat(o.history()).extracting(ProbeAttempt::number).containsExactly(1, 2, 3, 4);
        assertThat(o.exitCode()).isNull();
        assertThat(probe.calls).hasSize(4);
        for (int i = 1; i < probe.calls.size(); i++) {
            assertThat(probe.calls.get(i) - probe.calls.get(i - 1)).isGreaterThanOrEqualTo(Duration.ofMillis(500).toNanos());
        }
        // 4 attempts of 10 ms, 3 intervals of 500 ms
        assertThat(o.elapsed()).isEqualTo(Duration.ofMillis(1540));
        assertThat(clock.since(t0)).isEqualTo(o.elapsed());
        assertThat(progress).isEmpty();
    }

    @Test
    void readyAtOnceDoesNotSleep() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.ready()).isTrue();
        assertThat(o.attempts()).isEqualTo(1);
        assertThat(clock.sleeps).isEmpty();
        assertThat(o.elapsed()).isZero();
    }

    @Test
    void exhaustsTheBudgetWithTheRightCountAndLastDetail() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO,
                n -> new ProbeAttempt(n, false, n < 5 ? "connection refused" : "HTTP 503", Duration.ZERO));
        WaitOutcome o = waiter.await(spec(5, Duration.ofMillis(500), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.result()).isEqualTo("exhausted");
        assertThat(o.attempts()).isEqualTo(5);
        assertThat(probe.calls).hasSize(5);
        assertThat(o.lastDetail()).isEqualTo("HTTP 503");
        assertThat(o.history()).hasSize(5);
        // no sleep after the last attempt
        assertThat(o.elapsed()).isEqualTo(Duration.ofMillis(2000));
        assertThat(o.summary()).isEqualTo("dev.http did not become ready: 5 of 5 attempts failed in 2.0s "
                + "(http GET http://127.0.0.1:8080/health; per-attempt timeout 2s, interval 500ms, start period 0ms); "
                + "last failure: HTTP 503");
    }

    @Test
    void keepsOnlyTheLastTwentyAttempts() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::refused);
        WaitOutcome o = waiter.await(spec(30, Duration.ofMillis(10), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.attempts()).isEqualTo(30);
        assertThat(o.history()).hasSize(WaitOutcome.HISTORY);
        assertThat(o.history().get(0).number()).isEqualTo(11);
        assertThat(o.history().get(19).number()).isEqualTo(30);
    }

    @Test
    void failsFastWhenTheWorkloadExits() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::refused);
        Liveness diesAfterTwoAttempts = () -> probe.calls.size() >= 2 ? OptionalInt.of(3) : OptionalInt.empty();
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), null), probe, diesAfterTwoAttempts, null);
        assertThat(o.result()).isEqualTo("exited");
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(probe.calls).hasSize(2);
        assertThat(o.lastDetail()).isEqualTo("connection refused");
        // noticed at the first liveness poll of the interval, not after it
        assertThat(o.elapsed()).isEqualTo(Duration.ofMillis(600));
        assertThat(o.summary()).startsWith("dev.http exited with exit code 3 while waiting for readiness: 2 of 60 attempts made");
    }

    @Test
    void deadBeforeTheFirstAttemptIsNotProbed() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), null), probe, () -> OptionalInt.of(1), null);
        assertThat(o.result()).isEqualTo("exited");
        assertThat(o.exitCode()).isEqualTo(1);
        assertThat(o.attempts()).isZero();
        assertThat(o.lastDetail()).isNull();
        assertThat(probe.calls).isEmpty();
    }

    @Test
    void unknownExitCodeIsNull() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), null), probe, () -> OptionalInt.of(-1), null);
        assertThat(o.result()).isEqualTo("exited");
        assertThat(o.exitCode()).isNull();
    }

    @Test
    void exitDuringTheStartPeriodEndsTheWaitEarly() {
        long t0 = clock.now;
        Liveness diesAtOneSecond = () -> clock.now - t0 >= Duration.ofSeconds(1).toNanos() ? OptionalInt.of(3)
                : OptionalInt.empty();
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), Duration.ofSeconds(10)), probe, diesAtOneSecond, null);
        assertThat(o.result()).isEqualTo("exited");
        assertThat(o.exitCode()).isEqualTo(3);
        assertThat(probe.calls).isEmpty();
        assertThat(o.elapsed()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void exhaustionPrefersExitWhenTheWorkloadDiedMeanwhile() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::refused);
        Liveness diesDuringLastAttempt = () -> probe.calls.size() >= 3 ? OptionalInt.of(7) : OptionalInt.empty();
        ProbeSpec s = spec(3, Duration.ZERO, null);
        WaitOutcome o = waiter.await(s, probe, diesDuringLastAttempt, null);
        assertThat(o.result()).isEqualTo("exited");
        assertThat(o.exitCode()).isEqualTo(7);
        assertThat(o.attempts()).isEqualTo(3);
    }

    @Test
    void startPeriodIsWaitedBeforeTheFirstAttempt() {
        long t0 = clock.now;
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(500), Duration.ofSeconds(12)), probe,
                Liveness.ALWAYS_ALIVE, this::record);
        assertThat(o.ready()).isTrue();
        assertThat(probe.calls).hasSize(1);
        assertThat(probe.calls.get(0) - t0).isEqualTo(Duration.ofSeconds(12).toNanos());
        assertThat(o.elapsed()).isEqualTo(Duration.ofSeconds(12));
        // progress while in the start period
        assertThat(progress).containsExactly(
                "waiting for dev.http readiness: start period, first attempt in 7.0s (60 attempts allowed)",
                "waiting for dev.http readiness: start period, first attempt in 2.0s (60 attempts allowed)");
    }

    @Test
    void progressLineAtLeastEveryFiveSeconds() {
        long t0 = clock.now;
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ofMillis(300), ReadinessWaiterTest::refused);
        WaitOutcome o = waiter.await(spec(60, Duration.ofSeconds(1), null), probe, Liveness.ALWAYS_ALIVE, this::record);
        assertThat(o.result()).isEqualTo("exhausted");
        assertThat(progress).isNotEmpty();
        assertThat(progress).allMatch(l -> l.matches("waiting for dev\\.http readiness: attempt \\d+/60, last: connection refused"));
        assertThat(progress.get(0)).isEqualTo("waiting for dev.http readiness: attempt 4/60, last: connection refused");
        // a line every 5 s; one that falls due during an attempt comes right after it (attempts cost 300 ms)
        long every = Duration.ofSeconds(5).toNanos();
        long slack = Duration.ofMillis(300).toNanos();
        List<Long> marks = new ArrayList<>(progressAt);
        marks.add(0, t0);
        for (int i = 1; i < marks.size(); i++) {
            assertThat(marks.get(i) - marks.get(i - 1)).isBetween(every, every + slack);
        }
        assertThat(clock.now - marks.get(marks.size() - 1)).isLessThanOrEqualTo(every + slack);
        assertThat(progress).hasSizeGreaterThanOrEqualTo(14);
    }

    @Test
    void progressIntervalIsConfigurable() {
        ReadinessWaiter chatty = new ReadinessWaiter(clock, Duration.ofMillis(200), Duration.ofMillis(100));
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, n -> n <= 5 ? refused(n) : ok(n));
        chatty.await(spec(60, Duration.ofMillis(100), null), probe, Liveness.ALWAYS_ALIVE, this::record);
        assertThat(progress).containsExactly(
                "waiting for dev.http readiness: attempt 2/60, last: connection refused",
                "waiting for dev.http readiness: attempt 4/60, last: connection refused");
    }

    @Test
    void interruptDuringSleepEndsTheWaitAndKeepsTheFlag() {
        clock.interruptOnSleep = 3;
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::refused);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(100), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.result()).isEqualTo("interrupted");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(o.attempts()).isEqualTo(3);
        assertThat(o.summary()).startsWith("interrupted while waiting for dev.http readiness: 3 of 60 attempts made");
    }

    @Test
    void interruptDuringAnAttemptEndsTheWait() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, n -> {
            if (n == 2) {
                Thread.currentThread().interrupt();
                return new ProbeAttempt(n, false, "interrupted", Duration.ZERO);
            }
            return refused(n);
        });
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(100), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.result()).isEqualTo("interrupted");
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(probe.calls).hasSize(2);
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void alreadyInterruptedMakesNoAttempt() {
        Thread.currentThread().interrupt();
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, ReadinessWaiterTest::ok);
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(100), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.result()).isEqualTo("interrupted");
        assertThat(o.attempts()).isZero();
        assertThat(probe.calls).isEmpty();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    void aProbeThatThrowsCountsAsAFailedAttempt() {
        ScriptedProbe probe = new ScriptedProbe(clock, Duration.ZERO, n -> {
            if (n == 1) {
                throw new IllegalStateException("boom");
            }
            return ok(n);
        });
        WaitOutcome o = waiter.await(spec(60, Duration.ofMillis(100), null), probe, Liveness.ALWAYS_ALIVE, null);
        assertThat(o.ready()).isTrue();
        assertThat(o.attempts()).isEqualTo(2);
        assertThat(o.history().get(0).ready()).isFalse();
        assertThat(o.history().get(0).detail()).isEqualTo("boom");
    }
}
