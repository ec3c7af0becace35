package dev.ota.core.model;

import java.util.Map;

/** {@code tasks.<t>.runtime}: the shape of a long-running service. */
public record ServiceRuntime(String kind, String backendBinding, Readiness readiness, Map<String, Listener> listeners, Site site) {

    public Listener listener(String name) {
        return listeners.get(name);
    }
}
