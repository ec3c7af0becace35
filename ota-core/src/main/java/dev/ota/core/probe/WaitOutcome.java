package dev.ota.core.probe;

import dev.ota.core.load.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How a wait for readiness ended.
 *
 * @param spec what was waited for (label, target, timing)
 * @param result {@code ready}, {@code exhausted} (budget used up), {@code exited} (the workload
 *     died while waiting) or {@code interrupted}
 * @param attempts how many attempts were made
 * @param elapsed time from the start of the wait (start period included) to its end
 * @param lastDetail what the last attempt saw, or null when no attempt was made
 * @param history the last attempts (at most {@link #HISTORY}), oldest first
 * @param exitCode the workload's exit code when {@code result == exited}, if known
 */
public record WaitOutcome(
        ProbeSpec spec,
        String result,
        int attempts,
        Duration elapsed,
        String lastDetail,
        List<ProbeAttempt> history,
        Integer exitCode) {

    public static final String READY = "ready";
    public static final String EXHAUSTED = "exhausted";
    public static final String EXITED = "exited";
    public static final String INTERRUPTED = "interrupted";

    /** How many attempts {@link #history} keeps. */
    public static final int HISTORY = 20;

    public WaitOutcome {
        history = history == null ? List.of() : List.copyOf(history);
    }

    public boolean ready() {
        return READY.equals(result);
    }

    /**
     * One line saying how the wait ended. For failures it names the attempts, the per-attempt
     * timeout, the interval, the start period and the last failure (contract-surface §4), e.g.
     * {@code dev.http did not become ready: 60 of 60 attempts failed in 31.2s (tcp 127.0.0.1:8080;
     * per-attempt timeout 2s, interval 500ms, start period 0ms); last failure: connection refused}.
     * A caller that has the workload's log adds its tail.
     */
    public String summary() {
        String label = spec.label();
        return switch (result) {
            case READY -> label + " ready after " + attempts + (attempts == 1 ? " attempt" : " attempts")
                    + " in " + elapsedText(elapsed);
            case EXHAUSTED -> label + " did not become ready: " + attemptsSummary();
            case EXITED -> label + " exited " + (exitCode == null ? "(exit code unknown)" : "with exit code " + exitCode)
                    + " while waiting for readiness: " + attemptsSummary();
            case INTERRUPTED -> "interrupted while waiting for " + label + " readiness: " + attemptsSummary();
            default -> label + ": " + result + ": " + attemptsSummary();
        };
    }

    /**
     * The attempts part of {@link #summary()}, without the label: {@code 60 of 60 attempts failed
     * in 31.2s (tcp 127.0.0.1:8080; per-attempt timeout 2s, interval 500ms, start period 0ms); last
     * failure: connection refused}.
     */
    public String attemptsSummary() {
        String counted = EXHAUSTED.equals(result)
                ? attempts + " of " + spec.maxAttempts() + " attempts failed"
                : attempts + " of " + spec.maxAttempts() + " attempts made";
        return counted + " in " + elapsedText(elapsed) + " (" + budget() + "); last failure: " + lastFailure();
    }

    private String budget() {
        return spec.target() + "; per-attempt timeout " + Durations.format(spec.timeout()) + ", interval "
                + Durations.format(spec.interval()) + ", start period " + Durations.format(spec.startPeriod());
    }

    private String lastFailure() {
        return lastDetail == null ? "none (no attempt made)" : lastDetail;
    }

    /** {@code 850ms}, {@code 12.3s}. */
    static String elapsedText(Duration d) {
        long ms = d.toMillis();
        return ms < 1000 ? ms + "ms" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
    }
}
