package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.ota.core.backend.BackendException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real Docker engine the container tests run against. A missing engine fails the tests (it
 * never skips them): {@code .ci/run} starts one ({@code .ci/docker-engine.sh start}). The local
 * test image {@link #IMAGE} is built on first use by {@code .ci/test-image.sh} (no registry).
 */
public final class DockerTestSupport {

    /** Busybox-static root filesystem: sh, httpd, nc, wget, awk, setsid. */
    public static final String IMAGE = "ota-test/busybox:1";

    /** An image reference whose registry is a closed loopback port: pulling it fails at once, offline. */
    public static final String UNPULLABLE_IMAGE = "127.0.0.1:1/ota-test/missing:0";

    private static DockerEngine engine;

    private DockerTestSupport() {}

    /** The engine of {@code DOCKER_HOST} or the default socket, with the test image present. */
    public static synchronized DockerEngine engine() {
        if (engine == null) {
            DockerEngine candidate = DockerEngine.fromEnvironment(System.getenv());
            try {
                ensureImage(candidate.client());
            } catch (BackendException e) {
                fail("the container tests need a running Docker engine (start one with .ci/docker-engine.sh start): "
                        + e.getMessage());
            }
            engine = candidate;
        }
        return engine;
    }

    public static DockerClient client() {
        try {
            return engine().client();
        } catch (BackendException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void ensureImage(DockerClient client) {
        try {
            client.inspectImageCmd(IMAGE).exec();
            return;
        } catch (NotFoundException missing) {
            // built below
        }
        Path script = repoRoot().resolve(".ci").resolve("test-image.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), IMAGE).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0) {
                fail("cannot build the test image " + IMAGE + " with " + script + ": " + out);
            }
        } catch (IOException e) {
            fail("cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while building " + IMAGE);
        }
    }

    /** The checkout's root: the nearest directory upwards holding {@code .ci/test-image.sh}. */
    static Path repoRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve(".ci").resolve("test-image.sh"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException(".ci/test-image.sh not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Every container (any state) labelled with the repo token. */
    public static List<Container> containersOf(String ownershipId) {
        return client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(ContainerBoundary.LABEL_REPO, ownershipId)).exec();
    }

    /** Removes every container labelled with the repo token (test cleanup). */
    public static void removeContainersOf(String ownershipId) {
        for (Container c : containersOf(ownershipId)) {
            ContainerBackend.remove(client(), c.getId());
        }
    }

    /** How many processes in the container have exactly the command line {@code text} (e.g. {@code sleep 1000}). */
    public static int processes(String container, String text) throws Exception {
        // the text travels with its spaces as '%', so this counting shell's own command line never matches
        String script = "t=$(echo \"$1\" | tr '%' ' '); n=0; for f in /proc/[0-9]*/cmdline; do"
                + " case \"$(tr '\\0' ' ' < $f 2>/dev/null)\" in \"$t \") n=$((n+1));; esac; done; echo $n";
        String out = ContainerExec.script(client(), container, script, Duration.ofSeconds(30), text.replace(' ', '%')).stdout();
        return Integer.parseInt(out.trim());
    }
}
