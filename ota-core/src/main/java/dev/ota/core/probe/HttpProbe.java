package dev.ota.core.probe;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HTTP readiness: one request per attempt ({@code GET} or {@code HEAD}, with the declared headers),
 * ready when the status is accepted ({@link ProbeSpec#accepts}, default 2xx–3xx) and, if declared,
 * the body contains {@link ProbeSpec#bodyContains}. Redirects are never followed (a 3xx counts only
 * through the accepted statuses), no proxy is used, and the whole attempt (connect, headers and
 * body) is bounded by the per-attempt timeout.
 */
public final class HttpProbe implements Probe {

    /** At most this much of the body is kept for the {@code body.contains} check. */
    static final int BODY_LIMIT = 1 << 20;

    private final ProbeSpec spec;
    /**
     * Clients shared by connect timeout: building one is expensive (hundreds of ms in a fresh JVM,
     * mostly TLS set-up) and each keeps a selector thread, so probes must not build their own.
     */
    private static final java.util.concurrent.ConcurrentMap<java.time.Duration, HttpClient> CLIENTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private final HttpClient client;
    private final HttpRequest request;

    public HttpProbe(ProbeSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        String method = spec.method().toUpperCase(java.util.Locale.ROOT);
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw new IllegalArgumentException("probe " + spec.label() + ": method `" + spec.method()
                    + "` is not supported (GET or HEAD)");
        }
        if (method.equals("HEAD") && spec.bodyContains() != null) {
            throw new IllegalArgumentException("probe " + spec.label() + ": `body.contains` cannot be used with HEAD");
        }
        this.client = CLIENTS.computeIfAbsent(spec.timeout(), timeout -> HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .proxy(HttpClient.Builder.NO_PROXY)
                .connectTimeout(timeout)
                .build());
        HttpRequest.Builder builder;
        try {
            builder = HttpRequest.newBuilder(spec.uri());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("probe " + spec.label() + ": bad URL " + spec.uri() + ": " + e.getMessage(), e);
        }
        builder.timeout(spec.timeout()).method(method, HttpRequest.BodyPublishers.noBody());
        for (Map.Entry<String, String> h : spec.headers().entrySet()) {
            try {
                builder.header(h.getKey(), h.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("probe " + spec.label() + ": header `" + h.getKey()
                        + "` cannot be sent by the JDK HTTP client (" + e.getMessage() + ")", e);
            }
        }
        this.request = builder.build();
    }

    /** Kept for tests: the client never follows redirects and uses no proxy. */
    HttpClient client() {
        return client;
    }

    @Override
    public ProbeAttempt attempt(int number) {
        long start = System.nanoTime();
        boolean ready = false;
        String detail;
        CompletableFuture<HttpResponse<String>> future = null;
        try {
            BodyHandler<String> handler = spec.bodyContains() == null
                    ? info -> HttpResponse.BodySubscribers.replacing(null)
                    : info -> new LimitedBody(BODY_LIMIT);
            future = client.sendAsync(request, handler);
            HttpResponse<String> response = future.get(spec.timeout().toNanos(), TimeUnit.NANOSECONDS);
            int status = response.statusCode();
            if (!spec.accepts(status)) {
                detail = "HTTP " + status + redirectNote(response);
            } else if (spec.bodyContains() != null
                    && (response.body() == null || !response.body().contains(spec.bodyContains()))) {
                detail = "HTTP " + status + " but body lacks \"" + shorten(spec.bodyContains()) + "\"";
            } else {
                ready = true;
                detail = "ready (HTTP " + status + ")";
            }
        } catch (TimeoutException e) {
            detail = "request timed out";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detail = "interrupted";
        } catch (ExecutionException e) {
            detail = ProbeErrors.describe(e.getCause() == null ? e : e.getCause(), spec.host());
        } catch (CancellationException | IllegalArgumentException | SecurityException e) {
            detail = ProbeErrors.describe(e, spec.host());
        } finally {
            if (future != null && !future.isDone()) {
                future.cancel(true);
            }
        }
        return new ProbeAttempt(number, ready, detail, Duration.ofNanos(System.nanoTime() - start));
    }

    private static String redirectNote(HttpResponse<?> response) {
        int status = response.statusCode();
        if (status < 300 || status >= 400) {
            return "";
        }
        return response.headers()
                .firstValue("Location")
                .map(l -> " (redirect to " + shorten(l) + ", not followed)")
                .orElse(" (redirect, not followed)");
    }

    private static String shorten(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    @Override
    public String toString() {
        return "HttpProbe[" + spec.target() + "]";
    }

    /** Collects at most {@code limit} bytes of the body, then discards the rest; decodes as UTF-8. */
    private static final class LimitedBody implements BodySubscriber<String> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int room = limit - bytes.size();
                int n = Math.min(room, b.remaining());
                if (n > 0) {
                    byte[] chunk = new byte[n];
                    b.get(chunk);
                    bytes.write(chunk, 0, n);
                }
                b.position(b.limit());
            }
        }

        @Override
        public void onError(Throwable throwable) {
            result.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
