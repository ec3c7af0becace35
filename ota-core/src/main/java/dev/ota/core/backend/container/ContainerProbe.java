package dev.ota.core.backend.container;

import dev.ota.core.backend.BackendException;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A readiness probe run inside the container (on the plane the in-backend consumers use), through
 * {@code exec} of a small {@code sh} script; see {@link InContainerScripts#TCP_PROBE} and
 * {@link InContainerScripts#HTTP_PROBE}.
 */
final class ContainerProbe implements Probe {

    private final DockerEngine engine;
    private final String container;
    private final ProbeSpec spec;

    ContainerProbe(DockerEngine engine, String container, ProbeSpec spec) {
        this.engine = engine;
        this.container = container;
        this.spec = spec;
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
                ContainerExec.Result r = ContainerExec.script(engine.client(), container, InContainerScripts.TCP_PROBE,
                        spec.timeout().plusSeconds(10), spec.host(), Integer.toString(spec.port()), seconds);
                String out = r.stdout().trim();
                ready = out.startsWith("OTA_PROBE ok");
                detail = ready ? "ready (tcp accept in container)" : out.startsWith("OTA_PROBE fail ")
                        ? firstLine(out.substring("OTA_PROBE fail ".length())) : "probe failed: " + firstLine(out + r.stderr());
            } else {
                List<String> args = new ArrayList<>(List.of(spec.method(), url(), seconds));
                for (Map.Entry<String, String> h : spec.headers().entrySet()) {
                    args.add(h.getKey() + ": " + h.getValue());
                }
                ContainerExec.Result r = ContainerExec.script(engine.client(), container, InContainerScripts.HTTP_PROBE,
                        spec.timeout().plusSeconds(10), args.toArray(String[]::new));
                String out = r.stdout();
                int newline = out.indexOf('\n');
                String head = (newline < 0 ? out : out.substring(0, newline)).trim();
                String body = newline < 0 ? "" : out.substring(newline + 1);
                int status = head.startsWith("OTA_STATUS ") ? parse(head.substring("OTA_STATUS ".length())) : 0;
                if (status == 0) {
                    ready = false;
                    detail = body.isBlank() ? "connection refused" : firstLine(body);
                } else if (!spec.accepts(status)) {
                    ready = false;
                    detail = "HTTP " + status;
                } else if (spec.bodyContains() != null && !body.contains(spec.bodyContains())) {
                    ready = false;
                    detail = "HTTP " + status + " but body lacks \"" + spec.bodyContains() + "\"";
                } else {
                    ready = true;
                    detail = "ready (HTTP " + status + ", in container)";
                }
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
