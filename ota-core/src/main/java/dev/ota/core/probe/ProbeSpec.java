package dev.ota.core.probe;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to probe and how often. Built from a task's {@code runtime.readiness}, or (without one) as
 * plain listener reachability; see {@link ProbeSpecs}.
 *
 * @param label what progress lines call it, e.g. {@code dev.http}
 * @param kind {@code tcp} (connect, then a short read: an immediate close is not ready) or
 *     {@code http}
 * @param host address to connect to, as seen from the process that probes
 * @param scheme {@code http} or {@code https} (http kind only; defaults to {@code http})
 * @param method {@code GET} (default) or {@code HEAD} (http kind only)
 * @param path request path (http kind only; defaults to {@code /})
 * @param successStatus accepted statuses; empty means any 2xx or 3xx
 * @param bodyContains substring the response body must contain (http kind only), or null
 * @param interval wait between attempts
 * @param timeout per-attempt timeout
 * @param retries failed attempts allowed before giving up (so also the most attempts made)
 * @param startPeriod delay before the first attempt
 */
public record ProbeSpec(
        String label,
        String kind,
        String host,
        int port,
        String scheme,
        String method,
        String path,
        Map<String, String> headers,
        List<Integer> successStatus,
        String bodyContains,
        Duration interval,
        Duration timeout,
        int retries,
        Duration startPeriod) {

    public static final String TCP = "tcp";
    public static final String HTTP = "http";

    public static final Duration DEFAULT_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(2);
    public static final int DEFAULT_RETRIES = 120;

    public ProbeSpec {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(host, "host");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("probe " + label + ": port " + port + " is not within 1-65535");
        }
        headers = headers == null ? Map.of() : Map.copyOf(headers);
        successStatus = successStatus == null ? List.of() : List.copyOf(successStatus);
        scheme = scheme == null ? "http" : scheme;
        method = method == null ? "GET" : method;
        path = path == null || path.isEmpty() ? "/" : path;
        interval = interval == null ? DEFAULT_INTERVAL : interval;
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        startPeriod = startPeriod == null ? Duration.ZERO : startPeriod;
        if (retries <= 0) {
            retries = DEFAULT_RETRIES;
        }
        if (interval.isNegative() || startPeriod.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(
                    "probe " + label + ": interval and start period must not be negative, timeout must be positive");
        }
    }

    /** Plain reachability of a listener (a tcp probe with default timing). */
    public static ProbeSpec reachability(String label, String host, int port) {
        return new ProbeSpec(label, TCP, host, port, null, null, null, Map.of(), List.of(), null, null, null, 0, null);
    }

    /** Whether a status counts as success for this spec. */
    public boolean accepts(int status) {
        return successStatus.isEmpty() ? status >= 200 && status < 400 : successStatus.contains(status);
    }

    /** The most attempts a wait makes: the budget of failed attempts. */
    public int maxAttempts() {
        return retries;
    }

    /** The URL an http probe requests ({@code scheme://host:port/path}; IPv6 literals bracketed). */
    public URI uri() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        String p = path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme + "://" + h + ":" + port + p);
    }

    /** What is probed, for messages: {@code http GET http://127.0.0.1:8080/health} or {@code tcp 127.0.0.1:5432}. */
    public String target() {
        if (HTTP.equals(kind)) {
            return "http " + method + " " + uri();
        }
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return kind + " " + h + ":" + port;
    }
}
