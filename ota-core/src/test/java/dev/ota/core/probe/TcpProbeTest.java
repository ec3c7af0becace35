package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.probe.Loopback.TcpServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link TcpProbe} against real loopback sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TcpProbeTest {

    /**
     * For peers that hang up: a read window longer than the default 200 ms, so a slow test host
     * cannot turn a late close into "ready". EOF still ends the read at once.
     */
    static final Duration PATIENT = Duration.ofSeconds(3);

    private static ProbeSpec spec(int port) {
        return new ProbeSpec("dev.db", "tcp", Loopback.HOST, port, null, null, null, Map.of(), List.of(), null,
                Duration.ofMillis(50), Duration.ofSeconds(5), 3, null);
    }

    @Test
    void acceptedAndHeldIsReady() throws Exception {
        try (TcpServer server = TcpServer.holding()) {
            ProbeAttempt a = new TcpProbe(spec(server.port())).attempt(1);
            assertThat(a.ready()).isTrue();
            assertThat(a.detail()).isEqualTo("ready (accepted)");
            assertThat(a.number()).isEqualTo(1);
            assertThat(a.elapsed()).isPositive();
        }
    }

    @Test
    void acceptedAndClosedImmediatelyIsNotReady() throws Exception {
        try (TcpServer server = TcpServer.closingImmediately()) {
            ProbeAttempt a = new TcpProbe(spec(server.port()), PATIENT).attempt(2);
            assertThat(a.ready()).isFalse();
            assertThat(a.detail()).isEqualTo("closed immediately");
            assertThat(a.number()).isEqualTo(2);
        }
    }

    @Test
    void serverThatSpeaksFirstIsReady() throws Exception {
        byte[] banner = "SSH-2.0-test\r\n".getBytes(StandardCharsets.US_ASCII);
        try (TcpServer server = new TcpServer(n -> false, banner, false)) {
            ProbeAttempt a = new TcpProbe(spec(server.port())).attempt(1);
            assertThat(a.ready()).isTrue();
            assertThat(a.detail()).isEqualTo("ready (accepted, sent data)");
        }
    }

    @Test
    void resetRightAfterAcceptIsNotReady() throws Exception {
        try (TcpServer server = new TcpServer(n -> true, null, true)) {
            ProbeAttempt a = new TcpProbe(spec(server.port()), PATIENT).attempt(1);
            assertThat(a.ready()).isFalse();
            assertThat(a.detail()).isIn("connection reset", "closed immediately");
        }
    }

    @Test
    void defaultReadWindowAlsoSeesAnImmediateClose() throws Exception {
        try (TcpServer server = TcpServer.closingImmediately()) {
            assertThat(Probes.of(spec(server.port())).attempt(1).detail()).isEqualTo("closed immediately");
        }
    }

    @Test
    void closedPortIsRefused() throws Exception {
        ProbeAttempt a = new TcpProbe(spec(Loopback.closedPort())).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("connection refused");
    }

    @Test
    void eachAttemptIsAFreshConnection() throws Exception {
        try (TcpServer server = new TcpServer(n -> n <= 2, null, false)) {
            TcpProbe probe = new TcpProbe(spec(server.port()), PATIENT);
            assertThat(probe.attempt(1).detail()).isEqualTo("closed immediately");
            assertThat(probe.attempt(2).detail()).isEqualTo("closed immediately");
            assertThat(new TcpProbe(spec(server.port())).attempt(3).ready()).isTrue();
            assertThat(server.accepted.get()).isEqualTo(3);
        }
    }

    @Test
    void shortTimeoutStillSeesAHoldingServerAsReady() throws Exception {
        // the read window (here asked for 30 s) is clamped to the 50 ms per-attempt timeout
        try (TcpServer server = TcpServer.holding()) {
            ProbeSpec s = new ProbeSpec("dev.db", "tcp", Loopback.HOST, server.port(), null, null, null, null, null,
                    null, null, Duration.ofMillis(50), 1, null);
            assertThat(new TcpProbe(s, Duration.ofSeconds(30)).attempt(1).ready()).isTrue();
        }
    }

    @Test
    void probesFactoryBuildsTcp() {
        assertThat(Probes.of(spec(1234))).isInstanceOf(TcpProbe.class);
    }
}
