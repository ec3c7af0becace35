package dev.ota.core.backend.remote;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open remote shells of one build step, one per remote boundary (endpoint): every backend
 * unit and every recorded workload on that boundary shares its SSH connection. Closed when the
 * step ends.
 */
public final class RemoteShells implements AutoCloseable {

    private final Map<String, String> environment;
    private final Map<RemoteEndpoint, RemoteShell> shells = new LinkedHashMap<>();

    /** @param environment the build's environment ({@code HOME}, {@code SSH_AUTH_SOCK}, {@code PATH}) */
    public RemoteShells(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    public synchronized RemoteShell of(RemoteEndpoint endpoint) {
        return shells.computeIfAbsent(endpoint, e -> "ssh".equals(e.provider()) ? new SshShell(e, environment)
                : new CliShell(e, environment));
    }

    @Override
    public synchronized void close() {
        shells.values().forEach(RemoteShell::close);
        shells.clear();
    }
}
