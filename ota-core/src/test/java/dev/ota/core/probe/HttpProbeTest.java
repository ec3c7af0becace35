package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import dev.ota.core.probe.Loopback.TcpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HttpProbe} against an in-JVM {@link HttpServer} on 127.0.0.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpProbeTest {

    HttpServer server;
    ExecutorService executor;
    final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    final AtomicReference<String> seenMethod = new AtomicReference<>();
    final AtomicReference<Map<String, List<String>>> seenHeaders = new AtomicReference<>();
    final CountDownLatch release = new CountDownLatch(1);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(Loopback.ephemeral(), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "http-test-server");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        route("/ok", ex -> respond(ex, 200, "hello world"));
        route("/unavailable", ex -> respond(ex, 503, "starting"));
        route("/created", ex -> respond(ex, 201, ""));
        route("/error", ex -> respond(ex, 500, "boom"));
        route("/redirect", ex -> {
            ex.getResponseHeaders().add("Location", "/ok");
            respond(ex, 302, "");
        });
        route("/echo", ex -> {
            seenMethod.set(ex.getRequestMethod());
            seenHeaders.set(Map.copyOf(ex.getRequestHeaders()));
            respond(ex, 200, "echo");
        });
        route("/big", ex -> respond(ex, 200, "x".repeat(200_000) + "READY-MARKER"));
        route("/slow", ex -> {
            await(release);
            respond(ex, 200, "late");
        });
        route("/stalled-body", ex -> {
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("partial".getBytes(StandardCharsets.UTF_8));
            out.flush();
            await(release);
            out.write(" rest".getBytes(StandardCharsets.UTF_8));
            out.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private void route(String path, HttpHandler handler) {
        server.createContext(path, ex -> {
            hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            handler.handle(ex);
        });
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = "HEAD".equals(ex.getRequestMethod());
        ex.sendResponseHeaders(status, head || bytes.length == 0 ? -1 : bytes.length);
        if (!head && bytes.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private ProbeSpec spec(String method, String path, Map<String, String> headers, List<Integer> status,
            String contains, Duration timeout) {
        return new ProbeSpec("dev.http", "http", Loopback.HOST, port(), "http", method, path, headers, status, contains,
                Duration.ofMillis(50), timeout, 3, null);
    }

    private ProbeSpec get(String path) {
        return spec(null, path, Map.of(), List.of(), null, Duration.ofSeconds(10));
    }

    private int hits(String path) {
        AtomicInteger n = hits.get(path);
        return n == null ? 0 : n.get();
    }

    @Test
    void okIsReady() {
        ProbeAttempt a = new HttpProbe(get("/ok")).attempt(1);
        assertThat(a.ready()).isTrue();
        assertThat(a.detail()).isEqualTo("ready (HTTP 200)");
        assertThat(a.number()).isEqualTo(1);
    }

    @Test
    void anyTwoHundredCountsByDefault() {
        assertThat(new HttpProbe(get("/created")).attempt(1).detail()).isEqualTo("ready (HTTP 201)");
    }

    @Test
    void serviceUnavailableIsNotReady() {
        ProbeAttempt a = new HttpProbe(get("/unavailable")).attempt(4);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("HTTP 503");
        assertThat(new HttpProbe(get("/error")).attempt(1).detail()).isEqualTo("HTTP 500");
    }

    @Test
    void acceptedStatusesAreExactWhenDeclared() {
        ProbeSpec only503 = spec(null, "/unavailable", Map.of(), List.of(503), null, Duration.ofSeconds(10));
        assertThat(new HttpProbe(only503).attempt(1).detail()).isEqualTo("ready (HTTP 503)");
        ProbeSpec only204 = spec(null, "/ok", Map.of(), List.of(204), null, Duration.ofSeconds(10));
        assertThat(new HttpProbe(only204).attempt(1).detail()).isEqualTo("HTTP 200");
    }

    @Test
    void redirectCountsAsSuccessByDefaultButIsNotFollowed() {
        ProbeAttempt a = new HttpProbe(get("/redirect")).attempt(1);
        assertThat(a.ready()).isTrue();
        assertThat(a.detail()).isEqualTo("ready (HTTP 302)");
        assertThat(hits("/redirect")).isEqualTo(1);
        assertThat(hits("/ok")).isZero();
    }

    @Test
    void redirectIsAFailureWhenOnlyTwoHundredIsAccepted() {
        ProbeSpec s = spec(null, "/redirect", Map.of(), List.of(200), null, Duration.ofSeconds(10));
        ProbeAttempt a = new HttpProbe(s).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("HTTP 302 (redirect to /ok, not followed)");
        assertThat(hits("/ok")).isZero();
    }

    @Test
    void bodyMustContainTheDeclaredText() {
        ProbeSpec has = spec(null, "/ok", Map.of(), List.of(), "world", Duration.ofSeconds(10));
        assertThat(new HttpProbe(has).attempt(1).detail()).isEqualTo("ready (HTTP 200)");
        ProbeSpec lacks = spec(null, "/ok", Map.of(), List.of(), "UP", Duration.ofSeconds(10));
        ProbeAttempt a = new HttpProbe(lacks).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("HTTP 200 but body lacks \"UP\"");
    }

    @Test
    void statusIsCheckedBeforeTheBody() {
        ProbeSpec s = spec(null, "/unavailable", Map.of(), List.of(), "starting", Duration.ofSeconds(10));
        assertThat(new HttpProbe(s).attempt(1).detail()).isEqualTo("HTTP 503");
    }

    @Test
    void bodyCheckSeesTextBeyondTheFirstChunks() {
        ProbeSpec s = spec(null, "/big", Map.of(), List.of(), "READY-MARKER", Duration.ofSeconds(10));
        assertThat(new HttpProbe(s).attempt(1).ready()).isTrue();
    }

    @Test
    void headSendsHead() {
        ProbeSpec s = spec("HEAD", "/echo", Map.of(), List.of(), null, Duration.ofSeconds(10));
        ProbeAttempt a = new HttpProbe(s).attempt(1);
        assertThat(a.detail()).isEqualTo("ready (HTTP 200)");
        assertThat(seenMethod.get()).isEqualTo("HEAD");
    }

    @Test
    void getIsTheDefaultMethod() {
        new HttpProbe(get("/echo")).attempt(1);
        assertThat(seenMethod.get()).isEqualTo("GET");
    }

    @Test
    void declaredHeadersAreSent() {
        ProbeSpec s = spec(null, "/echo", Map.of("X-Probe", "ota", "Authorization", "Bearer t0k"), List.of(), null,
                Duration.ofSeconds(10));
        assertThat(new HttpProbe(s).attempt(1).ready()).isTrue();
        assertThat(seenHeaders.get().get("X-probe")).containsExactly("ota");
        assertThat(seenHeaders.get().get("Authorization")).containsExactly("Bearer t0k");
    }

    @Test
    void slowResponseTimesOut() {
        ProbeSpec s = spec(null, "/slow", Map.of(), List.of(), null, Duration.ofMillis(300));
        ProbeAttempt a = new HttpProbe(s).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("request timed out");
    }

    @Test
    void stalledBodyIsBoundedByTheAttemptTimeout() {
        ProbeSpec s = spec(null, "/stalled-body", Map.of(), List.of(), "rest", Duration.ofMillis(300));
        ProbeAttempt a = new HttpProbe(s).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("request timed out");
    }

    @Test
    void closedPortIsRefused() throws IOException {
        ProbeSpec s = new ProbeSpec("dev.http", "http", Loopback.HOST, Loopback.closedPort(), null, null, "/health", null,
                null, null, null, Duration.ofSeconds(5), 1, null);
        ProbeAttempt a = new HttpProbe(s).attempt(1);
        assertThat(a.ready()).isFalse();
        assertThat(a.detail()).isEqualTo("connection refused");
    }

    @Test
    void peerThatHangsUpWithoutAnswerIsNotReady() throws Exception {
        try (TcpServer tcp = TcpServer.closingImmediately()) {
            ProbeSpec s = new ProbeSpec("dev.http", "http", Loopback.HOST, tcp.port(), null, null, "/", null, null, null,
                    null, Duration.ofSeconds(5), 1, null);
            ProbeAttempt a = new HttpProbe(s).attempt(1);
            assertThat(a.ready()).isFalse();
            assertThat(a.detail()).isNotBlank().doesNotStartWith("ready");
        }
    }

    @Test
    void interruptedAttemptReportsAndKeepsTheFlag() {
        ProbeSpec s = spec(null, "/slow", Map.of(), List.of(), null, Duration.ofSeconds(20));
        Thread.currentThread().interrupt();
        try {
            ProbeAttempt a = new HttpProbe(s).attempt(1);
            assertThat(a.ready()).isFalse();
            assertThat(a.detail()).isEqualTo("interrupted");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void headWithBodyCheckIsRejected() {
        ProbeSpec s = spec("HEAD", "/ok", Map.of(), List.of(), "x", Duration.ofSeconds(1));
        assertThatThrownBy(() -> new HttpProbe(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("HEAD");
    }

    @Test
    void unsupportedMethodIsRejected() {
        ProbeSpec s = spec("POST", "/ok", Map.of(), List.of(), null, Duration.ofSeconds(1));
        assertThatThrownBy(() -> Probes.of(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("POST");
    }

    @Test
    void headerTheClientCannotSendIsRejectedUpFront() {
        ProbeSpec s = spec(null, "/ok", Map.of("Connection", "close"), List.of(), null, Duration.ofSeconds(1));
        assertThatThrownBy(() -> new HttpProbe(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`Connection`");
    }

    @Test
    void clientNeverFollowsRedirects() {
        HttpProbe probe = new HttpProbe(get("/ok"));
        assertThat(probe.client().followRedirects()).isEqualTo(java.net.http.HttpClient.Redirect.NEVER);
        assertThat(probe.client().connectTimeout()).contains(Duration.ofSeconds(10));
    }

    @Test
    void probesFactoryBuildsHttp() {
        assertThat(Probes.of(get("/ok"))).isInstanceOf(HttpProbe.class);
    }
}
