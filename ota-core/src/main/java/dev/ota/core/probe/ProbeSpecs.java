package dev.ota.core.probe;

import dev.ota.core.model.Listener;
import dev.ota.core.model.Readiness;
import java.util.Locale;
import java.util.Objects;

/** Turns contract readiness (or its absence) into {@link ProbeSpec}s labelled {@code <task>.<listener>}. */
public final class ProbeSpecs {

    private ProbeSpecs() {}

    /**
     * The probe for a task's {@code runtime.readiness}; without one ({@code r == null}), listener
     * reachability. {@code host} and {@code port} are the endpoint of {@code probed} as seen from
     * the prober (the caller resolves them through the backend).
     *
     * @throws IllegalArgumentException when the readiness names another listener than {@code probed}
     * @throws UnsupportedOperationException for a named {@code probe:} reference (root
     *     {@code readiness.probes} bodies are not modelled yet)
     */
    public static ProbeSpec fromReadiness(String taskName, Readiness r, Listener probed, String host, int port) {
        Objects.requireNonNull(taskName, "taskName");
        Objects.requireNonNull(probed, "probed");
        if (r == null) {
            return reachability(taskName, probed, host, port);
        }
        String label = label(taskName, probed);
        if (r.listener() != null && !r.listener().equals(probed.name())) {
            throw new IllegalArgumentException("readiness of task `" + taskName + "` probes listener `"
                    + r.listener() + "`, not `" + probed.name() + "`");
        }
        if (r.kind() == null) {
            if (r.probe() != null) {
                throw new UnsupportedOperationException("readiness of task `" + taskName + "` uses the named probe `"
                        + r.probe() + "` (readiness.probes), which ota-maven cannot run yet; declare `kind` inline");
            }
            throw new IllegalArgumentException("readiness of task `" + taskName + "` declares no `kind`");
        }
        int retries = r.retries() == null ? 0 : r.retries();
        String kind = r.kind().toLowerCase(Locale.ROOT);
        if (ProbeSpec.TCP.equals(kind)) {
            return new ProbeSpec(label, ProbeSpec.TCP, host, port, null, null, null, null, null, null,
                    r.interval(), r.timeout(), retries, r.startPeriod());
        }
        if (ProbeSpec.HTTP.equals(kind)) {
            String scheme = "https".equalsIgnoreCase(probed.protocol()) ? "https" : "http";
            return new ProbeSpec(label, ProbeSpec.HTTP, host, port, scheme, r.method(), r.path(), r.headers(),
                    r.successStatus(), r.bodyContains(), r.interval(), r.timeout(), retries, r.startPeriod());
        }
        throw new IllegalArgumentException("readiness of task `" + taskName + "` has unknown kind `" + r.kind() + "`");
    }

    /** Plain reachability of a listener: a tcp probe with default timing. */
    public static ProbeSpec reachability(String taskName, Listener listener, String host, int port) {
        Objects.requireNonNull(taskName, "taskName");
        Objects.requireNonNull(listener, "listener");
        return ProbeSpec.reachability(label(taskName, listener), host, port);
    }

    private static String label(String taskName, Listener listener) {
        return taskName + "." + listener.name();
    }
}
