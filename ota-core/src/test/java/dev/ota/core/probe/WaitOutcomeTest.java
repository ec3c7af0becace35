package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The messages a finished wait produces. */
class WaitOutcomeTest {

    static final ProbeSpec SPEC = new ProbeSpec("dev.http", "http", "127.0.0.1", 8080, null, null, "/health", null, null,
            null, Duration.ofMillis(500), Duration.ofSeconds(2), 60, Duration.ofSeconds(3));

    static ProbeAttempt failed(int n) {
        return new ProbeAttempt(n, false, "connection refused", Duration.ofMillis(1));
    }

    @Test
    void exhaustedNamesAttemptsTimingAndLastFailure() {
        WaitOutcome o = new WaitOutcome(SPEC, "exhausted", 60, Duration.ofMillis(33_240), "HTTP 503",
                List.of(failed(59)), null);
        assertThat(o.ready()).isFalse();
        assertThat(o.summary()).isEqualTo("dev.http did not become ready: 60 of 60 attempts failed in 33.2s "
                + "(http GET http://127.0.0.1:8080/health; per-attempt timeout 2s, interval 500ms, start period 3s); "
                + "last failure: HTTP 503");
        assertThat(ReadinessWaiter.summary(SPEC, o)).isEqualTo(o.attemptsSummary()).startsWith("60 of 60 attempts failed");
    }

    @Test
    void exitedNamesTheExitCode() {
        WaitOutcome o = new WaitOutcome(SPEC, "exited", 4, Duration.ofMillis(5_000), "connection refused",
                List.of(failed(4)), 3);
        assertThat(o.summary()).startsWith("dev.http exited with exit code 3 while waiting for readiness: 4 of 60 attempts made in 5.0s")
                .endsWith("last failure: connection refused");
        WaitOutcome unknown = new WaitOutcome(SPEC, "exited", 0, Duration.ofMillis(800), null, List.of(), null);
        assertThat(unknown.summary()).contains("(exit code unknown)").contains("in 800ms")
                .endsWith("last failure: none (no attempt made)");
    }

    @Test
    void readyAndInterrupted() {
        WaitOutcome ready = new WaitOutcome(SPEC, "ready", 1, Duration.ofMillis(12), "ready (HTTP 200)", List.of(), null);
        assertThat(ready.ready()).isTrue();
        assertThat(ready.summary()).isEqualTo("dev.http ready after 1 attempt in 12ms");
        WaitOutcome stopped = new WaitOutcome(SPEC, "interrupted", 2, Duration.ofMillis(1500), "connection refused",
                List.of(), null);
        assertThat(stopped.summary()).startsWith("interrupted while waiting for dev.http readiness: 2 of 60 attempts made");
    }

    @Test
    void historyIsCopied() {
        var list = new java.util.ArrayList<ProbeAttempt>(List.of(failed(1)));
        WaitOutcome o = new WaitOutcome(SPEC, "exhausted", 1, Duration.ZERO, "x", list, null);
        list.add(failed(2));
        assertThat(o.history()).hasSize(1);
    }
}
