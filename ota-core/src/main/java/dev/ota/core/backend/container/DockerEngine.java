package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.ota.core.backend.BackendException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One connection to a Docker engine ({@code DOCKER_HOST}, else the default socket), opened on
 * first use: {@code validate} and {@code plan} never need an engine, so nothing connects before a
 * step that does.
 */
public final class DockerEngine implements AutoCloseable {

    public static final String DEFAULT_HOST = "unix:///var/run/docker.sock";

    private final String host;
    private DockerClient client;

    public DockerEngine(String host) {
        this.host = host == null || host.isBlank() ? DEFAULT_HOST : host.trim();
    }

    /** The engine {@code DOCKER_HOST} names, or the default socket. */
    public static DockerEngine fromEnvironment(Map<String, String> env) {
        return new DockerEngine(env.get("DOCKER_HOST"));
    }

    /** A lazily opened engine shared by callers of the supplier. */
    public static Supplier<DockerEngine> lazy(Map<String, String> env) {
        DockerEngine engine = fromEnvironment(env);
        return () -> engine;
    }

    public String host() {
        return host;
    }

    /** The connected client; connects and pings on first call. */
    public synchronized DockerClient client() throws BackendException {
        if (client != null) {
            return client;
        }
        if (host.startsWith("ssh://")) {
            throw new BackendException("Docker engine not reachable at " + host + ": ssh:// engines are not supported;"
                    + " forward the engine's socket or TCP port and set DOCKER_HOST to it");
        }
        DockerClient candidate;
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(host).build();
            DockerHttpClient http = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(URI.create(host))
                    .sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5))
                    .maxConnections(32)
                    .build();
            candidate = DockerClientImpl.getInstance(config, http);
        } catch (RuntimeException e) {
            throw unreachable(e);
        }
        try {
            candidate.pingCmd().exec();
        } catch (RuntimeException e) {
            closeQuietly(candidate);
            throw unreachable(e);
        }
        client = candidate;
        return client;
    }

    /** The error every step that needs the engine reports when it cannot be reached. */
    public BackendException unreachable(Throwable cause) {
        return new BackendException("Docker engine not reachable at " + host + ": " + rootMessage(cause)
                + "; start it or set DOCKER_HOST", cause);
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m.strip();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            closeQuietly(client);
            client = null;
        }
    }

    private static void closeQuietly(DockerClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // closing a connection that failed
        }
    }
}
