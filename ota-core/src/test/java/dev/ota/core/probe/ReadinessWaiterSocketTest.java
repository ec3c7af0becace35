package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.ota.core.probe.Loopback.TcpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The waiter with the real clock, real probes and real loopback sockets (and one real process).
 * Only bounded waits: nothing here asserts how fast things are.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ReadinessWaiterSocketTest {

    final ReadinessWaiter waiter = new ReadinessWaiter(WaitClock.SYSTEM, Duration.ofMillis(100), Duration.ofMillis(20));
    final List<String> progress = new CopyOnWriteArrayList<>();

    static ProbeSpec http(int port, int retries, Duration interval, Duration startPeriod) {
        return new ProbeSpec("dev.http", "http", Loopback.HOST, port, "http", "GET", "/health", Map.of(), List.of(),
                null, interval, Duration.ofSeconds(5), retries, startPeriod);
    }

    static ProbeSpec tcp(int port, int retries, Duration interval) {
        return new ProbeSpec("dev.db", "tcp", Loopback.HOST, port, null, null, null, null, null, null, interval,
                Duration.ofSeconds(5), retries, null);
    }

    /** An HTTP server whose /health answers 503 for the first {@code failures} requests, then 200. */
    static HttpServer healthAfter(int failures, AtomicInteger requests) throws IOException {
        HttpServer server = HttpServer.create(Loopback.ephemeral(), 0);
        server.createContext("/health", ex -> {
            int n = requests.incrementAndGet();
            int status = n <= failures ? 503 : 200;
            byte[] body = (status == 200 ? "UP" : "STARTING").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        return server;
    }

    @Test
    void httpBecomesReadyAfterFailures() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = healthAfter(3, requests);
        try {
            ProbeSpec s = http(server.getAddress().getPort(), 50, Duration.ofMillis(20), null);
            WaitOutcome o = waiter.await(s, Probes.of(s), Liveness.ALWAYS_ALIVE, progress::add);
            assertThat(o.result()).isEqualTo("ready");
            assertThat(o.attempts()).isEqualTo(4);
            assertThat(requests.get()).isEqualTo(4);
            assertThat(o.history()).extracting(ProbeAttempt::detail)
                    .containsExactly("HTTP 503", "HTTP 503", "HTTP 503", "ready (HTTP 200)");
            assertThat(o.elapsed()).isPositive();
        } finally {
            server.stop(0);
        }
    }

    @Test
    void tcpBecomesReadyWhenThePeerStopsHangingUp() throws Exception {
        try (TcpServer server = new TcpServer(n -> n <= 2, null, false)) {
            ProbeSpec s = tcp(server.port(), 50, Duration.ofMillis(20));
            // a read window above the default 200 ms, so a slow test host cannot miss the hang-ups
            WaitOutcome o = waiter.await(s, new TcpProbe(s, Duration.ofSeconds(2)), Liveness.ALWAYS_ALIVE, progress::add);
            assertThat(o.result()).isEqualTo("ready");
            assertThat(o.attempts()).isEqualTo(3);
            assertThat(o.history()).extracting(ProbeAttempt::detail)
                    .containsExactly("closed immediately", "closed immediately", "ready (accepted)");
        }
    }

    @Test
    void refusedPortExhaustsTheBudget() throws IOException {
        ProbeSpec s = tcp(Loopback.closedPort(), 6, Duration.ofMillis(10));
        WaitOutcome o = waiter.await(s, Probes.of(s), Liveness.ALWAYS_ALIVE, progress::add);
        assertThat(o.result()).isEqualTo("exhausted");
        assertThat(o.attempts()).isEqualTo(6);
        assertThat(o.history()).hasSize(6).allMatch(a -> !a.ready());
        assertThat(o.lastDetail()).isEqualTo("connection refused");
        assertThat(o.summary()).startsWith("dev.db did not become ready: 6 of 6 attempts failed in ")
                .contains("tcp 127.0.0.1:" + s.port())
                .contains("per-attempt timeout 5s, interval 10ms, start period 0ms")
                .endsWith("last failure: connection refused");
    }

    @Test
    void httpNeverReadyExhaustsWithTheLastStatus() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = healthAfter(Integer.MAX_VALUE, requests);
        try {
            ProbeSpec s = http(server.getAddress().getPort(), 4, Duration.ofMillis(10), null);
            WaitOutcome o = waiter.await(s, Probes.of(s), Liveness.ALWAYS_ALIVE, progress::add);
            assertThat(o.result()).isEqualTo("exhausted");
            assertThat(o.attempts()).isEqualTo(4);
            assertThat(requests.get()).isEqualTo(4);
            assertThat(o.lastDetail()).isEqualTo("HTTP 503");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void failsFastWhenARealProcessExitsWithCodeThree() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.3; exit 3").start();
        try {
            Liveness liveness = () -> p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
            ProbeSpec s = tcp(Loopback.closedPort(), 100_000, Duration.ofMillis(20));
            WaitOutcome o = waiter.await(s, Probes.of(s), liveness, progress::add);
            assertThat(o.result()).isEqualTo("exited");
            assertThat(o.exitCode()).isEqualTo(3);
            assertThat(o.attempts()).isBetween(1, 99_999);
            assertThat(o.lastDetail()).isEqualTo("connection refused");
            assertThat(o.summary()).startsWith("dev.db exited with exit code 3 while waiting for readiness");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void startPeriodPassesBeforeTheFirstRequest() throws IOException {
        AtomicInteger requests = new AtomicInteger();
        HttpServer server = healthAfter(0, requests);
        try {
            ProbeSpec s = http(server.getAddress().getPort(), 5, Duration.ofMillis(10), Duration.ofMillis(300));
            Probe real = Probes.of(s);
            AtomicReference<Long> firstAt = new AtomicReference<>();
            Probe timed = n -> {
                firstAt.compareAndSet(null, System.nanoTime());
                return real.attempt(n);
            };
            long before = System.nanoTime();
            WaitOutcome o = waiter.await(s, timed, Liveness.ALWAYS_ALIVE, progress::add);
            assertThat(o.ready()).isTrue();
            assertThat(o.attempts()).isEqualTo(1);
            assertThat(firstAt.get() - before).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
            assertThat(o.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(300));
            assertThat(progress).allMatch(l -> l.startsWith("waiting for dev.http readiness: start period"));
        } finally {
            server.stop(0);
        }
    }

    @Test
    void progressLinesWhileWaiting() throws IOException {
        ProbeSpec s = tcp(Loopback.closedPort(), 15, Duration.ofMillis(20));
        WaitOutcome o = waiter.await(s, Probes.of(s), Liveness.ALWAYS_ALIVE, progress::add);
        assertThat(o.result()).isEqualTo("exhausted");
        // 15 attempts and 14 intervals of 20 ms take at least 280 ms: lines are due every 100 ms
        assertThat(progress).isNotEmpty()
                .allMatch(l -> l.matches("waiting for dev\\.db readiness: attempt \\d+/15, last: connection refused"));
    }

    @Test
    void interruptionStopsTheWaitAndRestoresTheFlag() throws Exception {
        int port = Loopback.closedPort();
        ProbeSpec s = tcp(port, 1_000_000, Duration.ofMillis(20));
        Probe real = Probes.of(s);
        CountDownLatch twoAttempts = new CountDownLatch(2);
        Probe counted = n -> {
            ProbeAttempt a = real.attempt(n);
            twoAttempts.countDown();
            return a;
        };
        AtomicReference<WaitOutcome> outcome = new AtomicReference<>();
        AtomicBoolean flagAfter = new AtomicBoolean();
        Thread t = new Thread(() -> {
            outcome.set(waiter.await(s, counted, Liveness.ALWAYS_ALIVE, progress::add));
            flagAfter.set(Thread.currentThread().isInterrupted());
        }, "waiter-under-test");
        t.start();
        assertThat(twoAttempts.await(60, TimeUnit.SECONDS)).isTrue();
        t.interrupt();
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).isFalse();
        assertThat(outcome.get().result()).isEqualTo("interrupted");
        assertThat(outcome.get().attempts()).isGreaterThanOrEqualTo(2).isLessThan(1_000_000);
        assertThat(flagAfter.get()).isTrue();
    }
}
