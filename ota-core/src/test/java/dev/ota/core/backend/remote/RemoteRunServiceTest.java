package dev.ota.core.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.receipt.SchemaSupport;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Remote producers and tasks end to end: the shared-remote example and fault cases against a real
 * OpenSSH server in its own network namespace (same filesystem and pid space, other network).
 */
class RemoteRunServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SshTestHostExtension DEVBOX = new SshTestHostExtension();

    private static SshTestHost host() {
        return DEVBOX.host();
    }

    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private RunService.Options options;

    @BeforeEach
    void setUp() {
        options = new RunService.Options(dir.resolve("target/ota"), "remote test", null, log::add, log::add);
    }

    @AfterEach
    void tearDown() {
        if (Files.exists(dir.resolve("ota.yaml"))) {
            service().clean(request(null), options);
        }
    }

    private static RunService service() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", host().home().toString());
        env.remove("SSH_AUTH_SOCK");
        return new RunService(RunService.defaultBackends(env), new ReadinessWaiter());
    }

    private PlanRequest request(String task) {
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", task, Map.of(), Map.of());
    }

    /** The shipped example, pointed at the test devbox: its cwd is this directory (same filesystem). */
    private void example() throws IOException {
        Path example = Path.of(System.getProperty("ota.examples", "../examples")).resolve("shared-remote-topology");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(example.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        String text = Files.readString(dir.resolve("ota.yaml"))
                .replace("cwd: /srv/ota/shared-remote-topology", "cwd: " + dir)
                .replace("address: 192.0.2.10", "address: " + host().address());
        Files.writeString(dir.resolve("ota.yaml"), text);
    }

    /** One remote producer `dev` and a co-located consumer `use` (both bound to `workbench`). */
    private void contract(String devRun, String mode, String readiness) throws IOException {
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: remote-test }
                execution:
                  default_context: devbox
                  contexts:
                    devbox:
                      backend: remote
                      lifecycle: persistent
                      remote: { provider: ssh, target: devbox, cwd: %1$s }
                  shared_backends:
                    workbench: { scope: remote, backend: remote, lifecycle: persistent, context: devbox }
                tasks:
                  dev:
                    run: %2$s
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 127.0.0.1, port: { mode: fixed, value: 18190 } }
                      readiness: { kind: %4$s, listener: http, interval: 100ms, retries: 300 }
                  use:
                    run: exec busybox httpd -f -p 127.0.0.1:18191 -h www
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 127.0.0.1, port: { mode: fixed, value: 18191 } }
                    targets:
                      api:
                        service: { task: dev, listener: http, address_view: internal }
                        activation: { mode: %3$s }
                  once:
                    run: echo "in $(pwd) as $GREETING with $OTA_WORKSPACE"; exit 4
                    env: { GREETING: "hi $(id) 'q'" }
                """.formatted(dir, devRun, mode, readiness), StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/health.txt"), "ok\n");
    }

    private static String httpd() {
        return "exec busybox httpd -f -p 127.0.0.1:18190 -h www";
    }

    private static JsonNode receipt(RunService.Result r) throws IOException {
        return JSON.readTree(r.receiptFile().toFile());
    }

    private long recordedPid(String task) {
        return StateStore.forRepo(dir).read(task).map(ServiceRecord::pid).orElse(0L);
    }

    private static boolean running(long pid) {
        return pid > 0 && Files.exists(Path.of("/proc/" + pid));
    }

    private static void awaitGone(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(20);
        while (running(pid) && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        assertThat(running(pid)).as("pid %d is gone", pid).isFalse();
    }

    @Test
    void theSharedRemoteExampleStartsThenReusesItsProducerOnTheDevbox() throws Exception {
        example();
        RunService.Result first = service().activate(request("sandbox"), options);
        assertThat(first.ok()).as(first.message() + "\n" + String.join("\n", log)).isTrue();
        assertThat(first.activations()).extracting(a -> a.producer() + "=" + a.status()).containsExactly("dev=started_ready");
        assertThat(first.targets()).containsEntry("api", "http://127.0.0.1:18180");
        // dev listens on the devbox's loopback only: invisible from this machine
        assertThat(host().reachableFromHost("127.0.0.1", 18180)).isFalse();
        assertThat(host().reachableFromHost(host().address(), 18180)).isFalse();
        long dev = recordedPid("dev");
        assertThat(running(dev)).isTrue();

        JsonNode r1 = receipt(first);
        SchemaSupport.assertValid(r1);
        JsonNode unit = r1.path("backend_units").get(0);
        assertThat(unit.path("unit").asText()).isEqualTo("shared_backend:workbench");
        assertThat(unit.path("provider").asText()).isEqualTo("ssh");
        assertThat(unit.path("target").asText()).isEqualTo(host().user() + "@" + host().address() + ":22");
        assertThat(unit.path("cwd").asText()).isEqualTo(dir.toString());
        assertThat(unit.path("reuse").asText()).isEqualTo("connected");
        assertThat(r1.toString()).contains("via direct-tcpip");

        log.clear();
        RunService.Result second = service().activate(request("sandbox"), options);
        assertThat(second.ok()).as(second.message() + "\n" + String.join("\n", log)).isTrue();
        assertThat(second.activations()).extracting(a -> a.producer() + "=" + a.status()).containsExactly("dev=reused_ready");
        assertThat(recordedPid("dev")).as("the same process").isEqualTo(dev);

        // sandbox in the foreground on the devbox (as `mvn ota:run -Dota.task=sandbox`), smoke from here
        AtomicReference<Throwable> sandboxEnd = new AtomicReference<>();
        Thread sandbox = inBackground(() -> service().run(request("sandbox"), options), null, sandboxEnd);
        try {
            awaitReachable(host().address(), 18181);
            RunService.Result smoke = service().run(request("smoke"), options);
            assertThat(smoke.ok()).as(smoke.message() + "\n" + String.join("\n", log)).isTrue();
            assertThat(log).anyMatch(l -> l.contains("smoke: http://" + host().address() + ":18181/index.html -> 200")
                    && l.contains("api at http://127.0.0.1:18180 says ok"));
        } finally {
            sandbox.interrupt();
            sandbox.join(60_000);
        }
        assertThat(sandboxEnd.get()).isInstanceOf(InterruptedException.class);
        assertThat(host().reachableFromHost(host().address(), 18181)).as("the interrupted foreground task stopped on the devbox")
                .isFalse();

        List<RunService.ServiceStatus> status = service().status(dir.resolve("ota.yaml"));
        assertThat(status).singleElement().satisfies(s -> {
            assertThat(s.alive()).isTrue();
            assertThat(s.record().backend()).startsWith("remote:ssh:devbox;cwd=");
        });
        RunService.Result clean = service().clean(request(null), options);
        assertThat(clean.ok()).as(clean.message()).isTrue();
        awaitGone(dev);
    }

    private static void awaitReachable(String address, int port) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (!host().reachableFromHost(address, port)) {
            assertThat(Instant.now()).as("%s:%d never became reachable", address, port).isBefore(deadline);
            Thread.sleep(100);
        }
    }

    @Test
    void everyActivationModeOnARemoteProducer() throws Exception {
        contract(httpd(), "ensure_started", "tcp");
        assertThat(status(service().activate(request("use"), options))).isEqualTo("started_started");
        awaitRunningListener();
        assertThat(status(service().activate(request("use"), options))).isEqualTo("reused_started");

        contract(httpd(), "ensure_running", "tcp");
        assertThat(status(service().activate(request("use"), options))).isEqualTo("reused_running");

        contract(httpd(), "restart_ready", "tcp");
        long before = recordedPid("dev");
        assertThat(status(service().activate(request("use"), options))).isEqualTo("restarted_ready");
        assertThat(recordedPid("dev")).isNotEqualTo(before);
        awaitGone(before);

        contract(httpd(), "ensure_ready", "tcp");
        assertThat(status(service().activate(request("use"), options))).isEqualTo("reused_ready");
        service().clean(request(null), options);
        contract(httpd(), "ensure_running", "tcp");
        assertThat(status(service().activate(request("use"), options))).isEqualTo("started_running");
    }

    private String status(RunService.Result r) {
        assertThat(r.ok()).as(r.message() + "\n" + String.join("\n", log)).isTrue();
        return r.activations().get(0).status();
    }

    private void awaitRunningListener() throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        while (Instant.now().isBefore(deadline)) {
            if (host().runInNamespace(Duration.ofSeconds(5), "bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/18190") == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("dev never listened");
    }

    @Test
    void aProducerThatDiesBeforeReadyFailsWithItsExitCodeAndRemoteLogTail() throws Exception {
        contract("\"echo 'cannot bind 18190 - permission denied' >&2; exit 3\"", "ensure_ready", "tcp");
        RunService.Result r = service().activate(request("use"), options);
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("exited with code 3").contains("cannot bind 18190 - permission denied")
                .contains("/.ota/state/remote-");
    }

    @Test
    void interruptingARemoteActivationStopsTheProducerItStarted() throws Exception {
        contract("echo $$ > started.pid; exec sleep 300", "ensure_ready", "tcp");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = inBackground(() -> service().activate(request("use"), options), null, thrown);
        long pid = awaitPidFile(dir.resolve("started.pid"));
        assertThat(running(pid)).isTrue();
        t.interrupt();
        t.join(60_000);
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        awaitGone(pid);
        assertThat(StateStore.forRepo(dir).read("dev")).isEmpty();
    }

    @Test
    void aConnectionThatDropsDuringTheWaitFailsClearly() throws Exception {
        contract("echo $$ > started.pid; exec sleep 300", "ensure_ready", "tcp");
        AtomicReference<RunService.Result> result = new AtomicReference<>();
        Thread t = inBackground(() -> service().activate(request("use"), options), result, new AtomicReference<>());
        long pid = awaitPidFile(dir.resolve("started.pid"));
        awaitRecordedPid("dev"); // the start finished: what drops now is the readiness wait
        host().cutNetwork();
        try {
            t.join(90_000);
            assertThat(t.isAlive()).isFalse();
        } finally {
            host().restoreNetwork();
        }
        RunService.Result r = result.get();
        assertThat(r.ok()).isFalse();
        assertThat(r.message()).contains("lost the remote backend while waiting for `dev`").contains("was lost");
        // nothing runs locally on its behalf; the producer on the devbox is on record for clean
        assertThat(recordedPid("dev")).isPositive();
        assertThat(running(pid)).isTrue();
        assertThat(service().clean(request(null), options).ok()).isTrue();
        awaitGone(pid);
    }

    @Test
    void aRemoteOneShotTaskStreamsItsOutputAndReportsTheRemoteBoundary() throws Exception {
        contract(httpd(), "ensure_ready", "tcp");
        RunService.Result r = service().run(request("once"), options);
        assertThat(r.ok()).as(r.message()).isFalse();
        assertThat(r.message()).as(String.join("\n", log)).doesNotContain("INVALID");
        assertThat(r.exitCode()).as(r.message() + "\n" + String.join("\n", log)).isEqualTo(4);
        assertThat(log).contains("in " + dir + " as hi $(id) 'q' with " + dir);
        JsonNode receipt = receipt(r);
        SchemaSupport.assertValid(receipt);
        assertThat(receipt.path("backend").asText()).isEqualTo("remote");
        assertThat(receipt.path("provider").asText()).isEqualTo("ssh");
        assertThat(receipt.path("target").asText()).isEqualTo(host().user() + "@" + host().address() + ":22");
        assertThat(receipt.path("cwd").asText()).isEqualTo(dir.toString());
    }

    private void awaitRecordedPid(String task) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (recordedPid(task) <= 0) {
            assertThat(Instant.now()).as("`%s` was never recorded as started", task).isBefore(deadline);
            Thread.sleep(50);
        }
    }

    /** Runs a goal on its own thread (to interrupt it, or to act while it waits); result or throwable land in the refs. */
    private static Thread inBackground(java.util.concurrent.Callable<RunService.Result> goal,
            AtomicReference<RunService.Result> result, AtomicReference<Throwable> thrown) {
        Thread t = new Thread(() -> {
            try {
                RunService.Result r = goal.call();
                if (result != null) {
                    result.set(r);
                }
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        t.start();
        return t;
    }

    private static long awaitPidFile(Path file) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            Optional<String> text = Files.exists(file) ? Optional.of(Files.readString(file).trim()) : Optional.empty();
            if (text.isPresent() && !text.get().isEmpty()) {
                return Long.parseLong(text.get());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the producer never started");
    }
}
