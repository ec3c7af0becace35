package dev.ota.core.probe;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * Waits for a workload to become ready: sleeps the start period, then makes attempts until one is
 * ready or {@link ProbeSpec#retries()} attempts have failed, sleeping {@link ProbeSpec#interval()}
 * between attempts. It fails fast when {@link Liveness} says the workload exited (checked before
 * each attempt and every {@code livenessPoll} while sleeping), reports progress at least every
 * {@code progressEvery} between attempts ({@code waiting for dev.http readiness: attempt 7/60,
 * last: connection refused}), and honours interruption (result {@code interrupted}, flag restored).
 *
 * <p>Progress lines are emitted from the waiting thread, so a single attempt that blocks longer
 * than {@code progressEvery} (a per-attempt timeout above 5 s) delays the next line by at most
 * that attempt.
 */
public final class ReadinessWaiter {

    public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(5);
    public static final Duration DEFAULT_LIVENESS_POLL = Duration.ofMillis(100);

    private final WaitClock clock;
    private final long progressEveryNanos;
    private final long livenessPollNanos;

    public ReadinessWaiter() {
        this(WaitClock.SYSTEM, DEFAULT_PROGRESS_EVERY, DEFAULT_LIVENESS_POLL);
    }

    public ReadinessWaiter(WaitClock clock, Duration progressEvery, Duration livenessPoll) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.progressEveryNanos = positive(progressEvery, "progressEvery").toNanos();
        this.livenessPollNanos = positive(livenessPoll, "livenessPoll").toNanos();
    }

    private static Duration positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
        return d;
    }

    /**
     * Waits for {@code probe} (built from {@code spec}) to report ready.
     *
     * @param liveness whether the workload still runs; {@link Liveness#ALWAYS_ALIVE} when unknown
     * @param progress receives progress lines; may be null
     */
    public WaitOutcome await(ProbeSpec spec, Probe probe, Liveness liveness, Consumer<String> progress) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(probe, "probe");
        Wait w = new Wait(spec, liveness == null ? Liveness.ALWAYS_ALIVE : liveness,
                progress == null ? line -> {} : progress);
        return w.run(probe);
    }

    /**
     * How a failed wait went, without the label (attempts, per-attempt timeout, interval, start
     * period, last failure), for callers that name the workload themselves. Same as
     * {@link WaitOutcome#attemptsSummary()}, with {@code spec} describing the budget.
     */
    public static String summary(ProbeSpec spec, WaitOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        WaitOutcome o = spec == null || spec.equals(outcome.spec()) ? outcome
                : new WaitOutcome(spec, outcome.result(), outcome.attempts(), outcome.elapsed(), outcome.lastDetail(),
                        outcome.history(), outcome.exitCode());
        return o.attemptsSummary();
    }

    /** The state of one wait. */
    private final class Wait {
        private final ProbeSpec spec;
        private final Liveness liveness;
        private final Consumer<String> progress;
        private final long start;
        private final ArrayDeque<ProbeAttempt> history = new ArrayDeque<>();
        private long nextProgress;
        private int attempts;
        private String lastDetail;

        Wait(ProbeSpec spec, Liveness liveness, Consumer<String> progress) {
            this.spec = spec;
            this.liveness = liveness;
            this.progress = progress;
            this.start = clock.nanoTime();
            this.nextProgress = start + progressEveryNanos;
        }

        WaitOutcome run(Probe probe) {
            try {
                if (Thread.currentThread().isInterrupted()) {
                    return interrupted();
                }
                OptionalInt exit = pause(spec.startPeriod().toNanos());
                if (exit.isPresent()) {
                    return exited(exit.getAsInt());
                }
                int max = spec.maxAttempts();
                for (int n = 1; n <= max; n++) {
                    exit = liveness.exited();
                    if (exit.isPresent()) {
                        return exited(exit.getAsInt());
                    }
                    ProbeAttempt attempt = attempt(probe, n);
                    if (attempt.ready()) {
                        return outcome(WaitOutcome.READY, null);
                    }
                    if (Thread.currentThread().isInterrupted()) {
                        return interrupted();
                    }
                    if (n == max) {
                        break;
                    }
                    progressIfDue();
                    exit = pause(spec.interval().toNanos());
                    if (exit.isPresent()) {
                        return exited(exit.getAsInt());
                    }
                }
                // The budget is used up; a workload that died meanwhile is the better explanation.
                exit = liveness.exited();
                return exit.isPresent() ? exited(exit.getAsInt()) : outcome(WaitOutcome.EXHAUSTED, null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return interrupted();
            }
        }

        private ProbeAttempt attempt(Probe probe, int n) {
            ProbeAttempt a;
            long t0 = clock.nanoTime();
            try {
                a = probe.attempt(n);
            } catch (RuntimeException e) {
                // Probe.attempt should not throw; if one does, it is a failed attempt, not a crash.
                a = new ProbeAttempt(n, false, ProbeErrors.describe(e, spec.host()),
                        Duration.ofNanos(clock.nanoTime() - t0));
            }
            if (a == null) {
                a = new ProbeAttempt(n, false, "probe returned nothing", Duration.ofNanos(clock.nanoTime() - t0));
            }
            attempts = n;
            lastDetail = a.detail();
            history.addLast(a);
            while (history.size() > WaitOutcome.HISTORY) {
                history.removeFirst();
            }
            return a;
        }

        /** Sleeps {@code nanos} in slices, checking liveness and emitting progress between slices. */
        private OptionalInt pause(long nanos) throws InterruptedException {
            if (nanos <= 0) {
                return OptionalInt.empty();
            }
            long end = clock.nanoTime() + nanos;
            while (true) {
                long now = clock.nanoTime();
                long remaining = end - now;
                if (remaining <= 0) {
                    return OptionalInt.empty();
                }
                long slice = Math.min(remaining, livenessPollNanos);
                slice = Math.min(slice, Math.max(1, nextProgress - now));
                clock.sleep(Duration.ofNanos(slice));
                OptionalInt exit = liveness.exited();
                if (exit.isPresent()) {
                    return exit;
                }
                progressIfDue();
            }
        }

        private void progressIfDue() {
            long now = clock.nanoTime();
            if (now - nextProgress < 0) {
                return;
            }
            nextProgress = now + progressEveryNanos;
            String line;
            if (attempts == 0) {
                long left = Math.max(0, start + spec.startPeriod().toNanos() - now);
                line = "waiting for " + spec.label() + " readiness: start period, first attempt in "
                        + WaitOutcome.elapsedText(Duration.ofNanos(left)) + " (" + spec.maxAttempts() + " attempts allowed)";
            } else {
                line = "waiting for " + spec.label() + " readiness: attempt " + attempts + "/" + spec.maxAttempts()
                        + ", last: " + lastDetail;
            }
            progress.accept(line);
        }

        private WaitOutcome exited(int code) {
            return outcome(WaitOutcome.EXITED, code < 0 ? null : code);
        }

        private WaitOutcome interrupted() {
            return outcome(WaitOutcome.INTERRUPTED, null);
        }

        private WaitOutcome outcome(String result, Integer exitCode) {
            Duration elapsed = Duration.ofNanos(Math.max(0, clock.nanoTime() - start));
            return new WaitOutcome(spec, result, attempts, elapsed, lastDetail, new ArrayList<>(history), exitCode);
        }
    }
}
