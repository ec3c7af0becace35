package dev.ota.core.backend.posix;

import dev.ota.core.backend.BackendException;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A readiness probe run on the workload's own plane (inside a container, on a remote host) where
 * the in-backend consumers connect, through a small {@code sh} script; see
 * {@link PosixScripts#TCP_PROBE} and {@link PosixScripts#HTTP_PROBE}.
 */
public final class ScriptProbe implements Probe {

    private final ScriptRunner runner;
    private final ProbeSpec spec;
    private final String plane;

    /** @param plane where it runs, for evidence: {@code in container}, {@code on ssh:devbox} */
    public ScriptProbe(ScriptRunner runner, ProbeSpec spec, String plane) {
        this.runner = runner;
        this.spec = spec;
        this.plane = plane;
        if (!ProbeSpec.TCP.equals(spec.kind()) && !ProbeSpec.HTTP.equals(spec.kind())) {
            throw new IllegalArgumentException("probe " + spec.label() + ": unknown kind `" + spec.kind() + "` (tcp or http)");
        }
    }

    @Override
    public ProbeAttempt attempt(int number) {
        long start = System.nanoTime();
        String seconds = Long.toString(Math.max(1, (spec.timeout().toMillis() + 999) / 1000));
        boolean ready;
        String detail;
        try {
            if (ProbeSpec.TCP.equals(spec.kind())) {
                ScriptResult r = runner.run(PosixScripts.TCP_PROBE, spec.timeout().plusSeconds(10), spec.host(), Integer.toString(spec.port()), seconds);
                String out = r.stdout().trim();
                ready = out.startsWith("OTA_PROBE ok");
                detail = ready ? "ready (tcp accept " + plane + ")" : out.startsWith("OTA_PROBE fail ")
                        ? firstLine(out.substring("OTA_PROBE fail ".length())) : "probe failed: " + firstLine(out + r.stderr());
            } else {
                List<String> args = new ArrayList<>(List.of(spec.method(), url(), seconds));
                for (Map.Entry<String, String> h : spec.headers().entrySet()) {
                    args.add(h.getKey() + ": " + h.getValue());
                }
                ScriptResult r = runner.run(PosixScripts.HTTP_PROBE, spec.timeout().plusSeconds(10), args.toArray(String[]::new));
                String out = r.stdout();
                int newline = out.indexOf('\n');
                String head = (newline < 0 ? out : out.substring(0, newline)).trim();
                String body = newline < 0 ? "" : out.substring(newline + 1);
                int status = head.startsWith("OTA_STATUS ") ? parse(head.substring("OTA_STATUS ".length())) : 0;
                detail = httpVerdict(spec, status, body, plane);
                ready = detail.startsWith("ready");
            }
        } catch (BackendException e) {
            ready = false;
            detail = e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ready = false;
            detail = "interrupted";
        }
        return new ProbeAttempt(number, ready, detail, Duration.ofNanos(System.nanoTime() - start));
    }

    /**
     * Whether an HTTP answer satisfies the probe: {@code ready (...)}, or why not. Status 0 means
     * no response, and then {@code body} says why.
     */
    public static String httpVerdict(ProbeSpec spec, int status, String body, String plane) {
        if (status == 0) {
            return body.isBlank() ? "connection refused" : firstLine(body);
        }
        if (!spec.accepts(status)) {
            return "HTTP " + status;
        }
        if (spec.bodyContains() != null && !body.contains(spec.bodyContains())) {
            return "HTTP " + status + " but body lacks \"" + spec.bodyContains() + "\"";
        }
        return "ready (HTTP " + status + ", " + plane + ")";
    }

    private String url() {
        String host = spec.host().contains(":") && !spec.host().startsWith("[") ? "[" + spec.host() + "]" : spec.host();
        String path = spec.path() == null || spec.path().isEmpty() ? "/" : spec.path().startsWith("/") ? spec.path() : "/" + spec.path();
        return spec.scheme() + "://" + host + ":" + spec.port() + path;
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
