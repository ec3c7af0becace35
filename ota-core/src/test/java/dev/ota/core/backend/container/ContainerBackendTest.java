package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.model.Container;
import dev.ota.core.activate.Live;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.state.StateStore;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persistent container backend against the real engine. */
class ContainerBackendTest {

    @TempDir
    Path repo;

    private StateStore state;
    private String owner;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void setUp() {
        DockerTestSupport.engine();
        state = StateStore.forRepo(repo);
        owner = state.ownershipId();
    }

    @AfterEach
    void removeContainers() {
        DockerTestSupport.removeContainersOf(owner);
    }

    private ContainerBoundary boundary(String image, ContainerBoundary.Publication... publications) {
        String unit = "shared_backend:workbench";
        return new ContainerBoundary(unit, ContainerBoundary.nameFor(owner, unit), owner, image, repo, List.of(publications), 0);
    }

    private ContainerBackend backend(ContainerBoundary boundary) {
        return new ContainerBackend(DockerTestSupport.engine(), boundary, StateStore.forRepo(repo), log::add);
    }

    private WorkloadSpec spec(String task, String script) {
        return new WorkloadSpec(task, List.of("sh", "-c", script), repo, Map.of("GREETING", "hello world"),
                state.logFile(task));
    }

    @Test
    void createsThenReusesThenRecreatesOnDrift() throws Exception {
        ContainerBackend first = backend(boundary(DockerTestSupport.IMAGE));
        String id = first.ensure();
        assertThat(first.boundary()).map(BoundaryEvidence::reuse).contains("created");
        Container c = DockerTestSupport.containersOf(owner).get(0);
        assertThat(c.getLabels()).containsEntry("dev.ota.managed", "true").containsEntry("dev.ota.repo", owner)
                .containsEntry("dev.ota.lifecycle", "persistent").containsEntry("dev.ota.persistent.family", "shared_backend:workbench")
                .containsKey("dev.ota.persistent.shape");
        assertThat(c.getNames()[0]).isEqualTo("/" + ContainerBoundary.nameFor(owner, "shared_backend:workbench"));

        ContainerBackend again = backend(boundary(DockerTestSupport.IMAGE));
        assertThat(again.ensure()).isEqualTo(id);
        assertThat(again.boundary()).map(BoundaryEvidence::reason).contains("shape matches");
        assertThat(again.boundary()).map(BoundaryEvidence::reuse).contains("reused");

        int port = Live.freePort();
        ContainerBackend drifted = backend(boundary(DockerTestSupport.IMAGE,
                new ContainerBoundary.Publication("dev.http", 8080, "127.0.0.1", port)));
        String newId = drifted.ensure();
        assertThat(newId).isNotEqualTo(id);
        assertThat(drifted.boundary()).map(BoundaryEvidence::reuse).contains("recreated");
        assertThat(drifted.boundary()).map(BoundaryEvidence::reason).contains("shape changed");
        assertThat(drifted.publishedPorts()).containsEntry(8080, "127.0.0.1:" + port);
        assertThat(DockerTestSupport.containersOf(owner)).hasSize(1);
    }

    @Test
    void containerRemovedBehindOtasBackIsRecreatedAndSaysSo() throws Exception {
        String id = backend(boundary(DockerTestSupport.IMAGE)).ensure();
        ContainerBackend.remove(DockerTestSupport.client(), id);
        ContainerBackend next = backend(boundary(DockerTestSupport.IMAGE));
        assertThat(next.ensure()).isNotEqualTo(id);
        assertThat(next.boundary()).map(BoundaryEvidence::reuse).contains("recreated");
        assertThat(next.boundary().orElseThrow().reason()).contains("removed outside ota").contains(id.substring(0, 12));
    }

    @Test
    void stoppedContainerIsStartedAndReused() throws Exception {
        String id = backend(boundary(DockerTestSupport.IMAGE)).ensure();
        DockerTestSupport.client().stopContainerCmd(id).withTimeout(1).exec();
        ContainerBackend next = backend(boundary(DockerTestSupport.IMAGE));
        assertThat(next.ensure()).isEqualTo(id);
        assertThat(next.boundary().orElseThrow().reason()).contains("was stopped");
        assertThat(DockerTestSupport.client().inspectContainerCmd(id).exec().getState().getRunning()).isTrue();
    }

    @Test
    void serviceRunsDetachedAndStoppingItsTreeKeepsTheContainer() throws Exception {
        ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE));
        WorkloadHandle h = backend.startService(spec("dev", "echo \"$GREETING from $(pwd)\"; sleep 1000 & sleep 1000"));
        assertThat(h.backend()).isEqualTo("container:" + backend.ensure());
        assertThat(h.pid()).isPositive();
        assertThat(backend.isAlive(h)).isTrue();
        awaitLog(h, "hello world from /workspace");
        assertThat(DockerTestSupport.processes(backend.ensure(), "sleep 1000")).isEqualTo(2);

        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();
        assertThat(backend.isAlive(h)).isFalse();
        assertThat(DockerTestSupport.processes(backend.ensure(), "sleep 1000")).isZero();
        assertThat(DockerTestSupport.client().inspectContainerCmd(backend.ensure()).exec().getState().getRunning()).isTrue();
        // a handle whose start time does not match is not "alive", and stopping it touches nothing
        WorkloadHandle other = backend.startService(spec("dev", "sleep 1000"));
        WorkloadHandle forged = new WorkloadHandle(other.backend(), other.pid(), other.startTime() + 1, other.logFile());
        assertThat(backend.isAlive(forged)).isFalse();
        backend.stop(forged, Duration.ofSeconds(1));
        assertThat(backend.isAlive(other)).isTrue();
        backend.stop(other, Duration.ofSeconds(5));
    }

    @Test
    void serviceThatExitsReportsItsExitCodeAndLogTail() throws Exception {
        ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE));
        WorkloadHandle h = backend.startService(spec("dev", "echo 'listening failed: boom' >&2; exit 7"));
        OptionalInt exited = OptionalInt.empty();
        for (int i = 0; i < 100 && exited.isEmpty(); i++) {
            exited = backend.liveness(h).exited();
            Thread.sleep(50);
        }
        assertThat(exited).hasValue(7);
        assertThat(backend.logTail(h, 5)).contains("listening failed: boom");
        assertThat(backend.isAlive(h)).isFalse();
    }

    @Test
    void attachedRunStreamsOutputWithExitCodeEnvAndWorkingDirectory() throws Exception {
        Files.createDirectories(repo.resolve("sub"));
        ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE));
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        WorkloadSpec spec = new WorkloadSpec("check", List.of("sh", "-c", "pwd; echo \"$GREETING\"; echo oops >&2; exit 3"),
                repo.resolve("sub"), Map.of("GREETING", "it's $HOME; `x`"), null);
        assertThat(backend.runAttached(spec, out::add)).isEqualTo(3);
        assertThat(out).contains("/workspace/sub", "it's $HOME; `x`", "oops");
    }

    @Test
    void interruptingAnAttachedRunStopsItsTreeInsideTheContainer() throws Exception {
        ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE));
        String id = backend.ensure();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        CountDownLatch started = new CountDownLatch(1);
        Thread runner = new Thread(() -> {
            try {
                backend.runAttached(spec("long", "echo up; sleep 1000 & sleep 1000"), line -> started.countDown());
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        runner.start();
        assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        runner.interrupt();
        runner.join(60_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(DockerTestSupport.processes(id, "sleep 1000")).isZero();
    }

    @Test
    void fixedHostPortHeldByAnotherProcessNamesThePortAndListenerAndLeavesNoContainer() throws Exception {
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = held.getLocalPort();
            ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE,
                    new ContainerBoundary.Publication("dev.http", 8080, "127.0.0.1", port)));
            assertThatThrownBy(backend::ensure).isInstanceOf(BackendException.class)
                    .hasMessageContaining("host port 127.0.0.1:" + port + " of listener `dev.http` is already in use");
        }
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void missingImageThatCannotBePulledIsAClearError() {
        ContainerBackend backend = backend(boundary(DockerTestSupport.UNPULLABLE_IMAGE));
        assertThatThrownBy(backend::ensure).isInstanceOf(BackendException.class)
                .hasMessageContaining("image " + DockerTestSupport.UNPULLABLE_IMAGE + " is not present locally and could not be pulled")
                .hasMessageContaining("docker build / docker load / docker import");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void unreachableEngineIsOneClearError() {
        DockerEngine nowhere = new DockerEngine("unix://" + repo.resolve("no-such-docker.sock"));
        ContainerBackend backend = new ContainerBackend(nowhere, boundary(DockerTestSupport.IMAGE), state, log::add);
        assertThatThrownBy(backend::ensure).isInstanceOf(BackendException.class)
                .hasMessageStartingWith("Docker engine not reachable at unix://" + repo.resolve("no-such-docker.sock") + ": ")
                .hasMessageEndingWith("; start it or set DOCKER_HOST");
    }

    @Test
    void twoBuildsEnsuringTheSameBackendAtOnceMakeOneContainer() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> ids = new ArrayList<>();
            List<ContainerBackend> backends = List.of(backend(boundary(DockerTestSupport.IMAGE)),
                    backend(boundary(DockerTestSupport.IMAGE)));
            for (ContainerBackend b : backends) {
                ids.add(pool.submit(() -> {
                    go.await();
                    return b.ensure();
                }));
            }
            go.countDown();
            assertThat(ids.get(0).get(2, TimeUnit.MINUTES)).isEqualTo(ids.get(1).get(2, TimeUnit.MINUTES));
            assertThat(DockerTestSupport.containersOf(owner)).hasSize(1);
            assertThat(backends.stream().map(b -> b.boundary().orElseThrow().reuse()).sorted().toList())
                    .containsExactly("created", "reused");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void probesRunOnTheContainersPlane() throws Exception {
        ContainerBackend backend = backend(boundary(DockerTestSupport.IMAGE));
        Files.createDirectories(repo.resolve("www"));
        Files.writeString(repo.resolve("www/health"), "status ok\n");
        WorkloadHandle h = backend.startService(spec("dev", "exec httpd -f -p 127.0.0.1:8080 -h www"));
        ProbeSpec ready = httpSpec("ok");
        ProbeAttempt attempt = null;
        for (int i = 0; i < 50 && (attempt == null || !attempt.ready()); i++) {
            attempt = backend.probe(ready).attempt(i + 1);
        }
        assertThat(attempt.ready()).as(attempt.detail()).isTrue();
        assertThat(attempt.detail()).contains("HTTP 200");
        assertThat(backend.probe(httpSpec("missing words")).attempt(1).detail()).contains("body lacks");
        assertThat(backend.probe(tcpSpec(8080)).attempt(1).ready()).isTrue();
        ProbeAttempt closed = backend.probe(tcpSpec(8089)).attempt(1);
        assertThat(closed.ready()).isFalse();
        // the listener is bound to the container's own loopback: the build's plane cannot reach it
        assertThatThrownBy(() -> new Socket("127.0.0.1", 8080).close()).isInstanceOf(java.io.IOException.class);
        backend.stop(h, Duration.ofSeconds(5));
    }

    private static ProbeSpec httpSpec(String bodyContains) {
        return new ProbeSpec("dev.http", ProbeSpec.HTTP, "127.0.0.1", 8080, "http", "GET", "/health", Map.of(), List.of(),
                bodyContains, Duration.ofMillis(100), Duration.ofSeconds(2), 50, Duration.ZERO);
    }

    private static ProbeSpec tcpSpec(int port) {
        return new ProbeSpec("dev.tcp", ProbeSpec.TCP, "127.0.0.1", port, null, null, null, Map.of(), List.of(), null,
                Duration.ofMillis(100), Duration.ofSeconds(2), 50, Duration.ZERO);
    }

    private void awaitLog(WorkloadHandle h, String line) throws Exception {
        for (int i = 0; i < 100; i++) {
            if (Files.exists(h.logFile()) && Files.readString(h.logFile()).contains(line)) {
                return;
            }
            Thread.sleep(50);
        }
        assertThat(Files.readString(h.logFile())).contains(line);
    }
}
