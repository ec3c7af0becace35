package dev.ota.core.activate;

import static dev.ota.core.activate.Live.yaml;
import static dev.ota.core.backend.nativeproc.Procs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.probe.Liveness;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The activation engine with real producer processes and loopback sockets: every evidence word,
 * what each mode waits for, producer failures, foreign listeners, stale records and changed
 * definitions, racing builds, levels and rollback, and interrupts. Every test stops what it
 * started (through the state records and the native backend) and checks /proc that nothing is left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ActivationEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern STOPPING = Pattern.compile("stopping `([^`]+)` \\(started by this run, pid (\\d+)\\)");

    /** Readiness of the HealthServer producers: http /health, generous budget (the JVM has to start). */
    private static final String HTTP_READY =
            "{ kind: http, listener: http, path: /health, interval: 100ms, timeout: 2s, retries: 300 }";

    @TempDir
    Path dir;

    String marker;
    StateStore state;
    NativeBackend backend;
    Procs procs;
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<AutoCloseable> closeables = new ArrayList<>();

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(ProcStat.procAvailable(), "needs Linux /proc");
        Live.healthServerClasses();
    }

    @BeforeEach
    void setUp() {
        marker = "ota-act-" + UUID.randomUUID();
        state = new StateStore(dir.resolve(".ota").resolve("state"));
        backend = new NativeBackend(Duration.ofSeconds(5));
        assumeTrue(backend.sessionIsolation(), "needs setsid (util-linux)");
        procs = new Procs();
    }

    /** Stops every recorded producer through the backend, kills test helpers, then checks /proc. */
    @AfterEach
    void tearDown() throws Exception {
        List<Long> pids = new ArrayList<>();
        NativeBackend cleaner = new NativeBackend(Duration.ofSeconds(5));
        for (ServiceRecord r : state.list()) {
            if (r.started()) {
                pids.add(r.pid());
                try {
                    cleaner.stop(r.handle(), Duration.ofSeconds(5));
                } catch (BackendException e) {
                    // a record whose pid belongs to another process now: nothing of ours to stop
                }
            }
            state.delete(r.task());
        }
        for (AutoCloseable c : closeables) {
            c.close();
        }
        procs.close();
        for (String line : log) {
            Matcher m = STOPPING.matcher(line);
            if (m.find()) {
                pids.add(Long.parseLong(m.group(2)));
            }
        }
        Live.assertNoneLeft(marker);
        for (long pid : pids) {
            await(() -> Live.treeGone(pid), Duration.ofSeconds(10), "process tree of pid " + pid + " gone");
        }
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    /** A HealthServer producer on {@code port}; {@code readiness} may be null (listener reachability). */
    private String producer(String name, int port, long unhealthy, String readiness, String extraArg) {
        String run = Live.healthServer(port, unhealthy, marker) + (extraArg == null ? "" : " " + extraArg);
        return producerRun(name, port, run, readiness, "");
    }

    private String producerRun(String name, int port, String run, String readiness, String targets) {
        return "  " + name + ":\n"
                + "    run: " + yaml(run) + "\n"
                + "    runtime:\n"
                + "      kind: service\n"
                + "      listeners:\n"
                + "        http: { http: " + port + " }\n"
                + (readiness == null ? "" : "      readiness: " + readiness + "\n")
                + targets;
    }

    /** {@code targets:} lines: each entry is {@code target=producer:mode}. */
    private static String targets(String... entries) {
        StringBuilder sb = new StringBuilder("    targets:\n");
        for (String e : entries) {
            String[] kv = e.split("=");
            String[] pm = kv[1].split(":");
            sb.append("      ").append(kv[0]).append(":\n")
                    .append("        service: { task: ").append(pm[0]).append(", listener: http }\n")
                    .append("        activation: { mode: ").append(pm[1]).append(" }\n");
        }
        return sb.toString();
    }

    private static String consumer(String name, String... targets) {
        return "  " + name + ":\n    run: \"true\"\n" + targets(targets);
    }

    private Path contract(String... tasks) {
        return Live.contract(dir, String.join("", tasks));
    }

    private ActivationEngine engine(OtaEngine.Prepared p) {
        return engine(p, state, backend, "build-1");
    }

    private ActivationEngine engine(OtaEngine.Prepared p, StateStore store, NativeBackend b, String owner) {
        return engine(p, store, b, owner, log::add);
    }

    private ActivationEngine engine(OtaEngine.Prepared p, StateStore store, NativeBackend b, String owner,
            Consumer<String> logTo) {
        return new ActivationEngine(p.contract(), p.topology(), p.plan(), store, shape -> b, owner, logTo,
                new ReadinessWaiter());
    }

    private List<TargetActivation> activate(Path contract, String task) throws Exception {
        return engine(Live.prepare(contract, task, Map.of())).activate();
    }

    private static TargetActivation only(List<TargetActivation> results) {
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    private static TargetActivation of(List<TargetActivation> results, String producer) {
        return results.stream().filter(a -> a.producer().equals(producer)).findFirst()
                .orElseThrow(() -> new AssertionError("no activation of " + producer + " in " + results));
    }

    private static boolean alive(TargetActivation a) {
        return ProcStat.running(a.handle().pid(), a.handle().startTime());
    }

    private int logIndex(String text) {
        for (int i = 0; i < log.size(); i++) {
            if (log.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    /** A listener this test holds itself (not started by ota): accepts and keeps connections open. */
    private ServerSocket foreignListener(int port) throws IOException {
        ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"));
        List<Socket> held = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    held.add(server.accept());
                } catch (IOException e) {
                    return;
                }
            }
        }, "foreign-listener");
        acceptor.setDaemon(true);
        acceptor.start();
        closeables.add(() -> {
            server.close();
            for (Socket s : held) {
                s.close();
            }
        });
        return server;
    }

    private static boolean connects(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    // ---- evidence words ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}: {1}, then {2}")
    @CsvSource({
        "ensure_started, started_started, reused_started",
        "ensure_running, started_running, reused_running",
        "ensure_ready,   started_ready,   reused_ready",
    })
    void firstActivationStartsTheProducerAndTheNextReusesIt(String mode, String first, String second) throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, null), consumer("app", "api=dev:" + mode));

        ActivationEngine build1 = engine(Live.prepare(file, "app", Map.of()));
        TargetActivation a = only(build1.activate());

        assertThat(a.status()).isEqualTo(first);
        assertThat(a.mode()).isEqualTo(mode);
        assertThat(a.consumer()).isEqualTo("app");
        assertThat(a.target()).isEqualTo("api");
        assertThat(a.owned()).isTrue();
        assertThat(a.startedByThisRun()).isTrue();
        assertThat(a.found()).contains("no record");
        assertThat(a.url()).isEqualTo("http://127.0.0.1:" + port + "/");
        assertThat(alive(a)).isTrue();
        assertThat(build1.startedByThisRun()).extracting(TargetActivation::producer).containsExactly("dev");
        ServiceRecord record = state.read("dev").orElseThrow();
        assertThat(record.pid()).isEqualTo(a.handle().pid());
        assertThat(record.startTime()).isEqualTo(a.handle().startTime());
        assertThat(record.owner()).isEqualTo("build-1");
        assertThat(record.identity()).isEqualTo("live-test/dev");
        if (mode.equals("ensure_started")) {
            assertThat(a.readiness()).isNull(); // returns at once, waits for nothing
        } else {
            assertThat(a.readiness()).isNotNull();
            assertThat(a.readiness().ready()).isTrue();
        }

        // a later build: a new engine, backend and store over the same state directory
        NativeBackend later = new NativeBackend(Duration.ofSeconds(5));
        ActivationEngine build2 = engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()), later, "build-2");
        TargetActivation b = only(build2.activate());

        assertThat(b.status()).isEqualTo(second);
        assertThat(b.owned()).isTrue();
        assertThat(b.startedByThisRun()).isFalse();
        assertThat(b.found()).contains("ota-owned process pid " + a.handle().pid());
        assertThat(b.handle().pid()).isEqualTo(a.handle().pid());
        assertThat(build2.startedByThisRun()).isEmpty();
        assertThat(state.read("dev").orElseThrow().owner()).isEqualTo("build-1");
        assertThat(alive(a)).isTrue();
    }

    @Test
    void restartReadyStartsWhenNothingRunsAndRestartsAnOwnedProducerWithANewPid() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, null), consumer("app", "api=dev:restart_ready"));

        TargetActivation first = only(activate(file, "app"));
        assertThat(first.status()).isEqualTo("started_ready");
        assertThat(first.owned()).isTrue();
        assertThat(Live.get(port, "/").body()).isEqualTo("pid " + first.handle().pid());

        ActivationEngine build2 = engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()),
                new NativeBackend(Duration.ofSeconds(5)), "build-2");
        TargetActivation second = only(build2.activate());

        assertThat(second.status()).isEqualTo("restarted_ready");
        assertThat(second.owned()).isTrue();
        assertThat(second.startedByThisRun()).isTrue();
        assertThat(second.handle().pid()).isNotEqualTo(first.handle().pid());
        assertThat(alive(first)).as("the old process is stopped").isFalse();
        assertThat(alive(second)).isTrue();
        assertThat(second.readiness().ready()).isTrue();
        assertThat(build2.startedByThisRun()).extracting(TargetActivation::producer).containsExactly("dev");
        ServiceRecord record = state.read("dev").orElseThrow();
        assertThat(record.pid()).isEqualTo(second.handle().pid());
        assertThat(record.owner()).isEqualTo("build-2");
        assertThat(Live.get(port, "/").body()).isEqualTo("pid " + second.handle().pid());
        assertThat(Live.processesWith(marker)).hasSize(1);
    }

    // ---- what each mode waits for -----------------------------------------------------------------

    @Test
    void ensureRunningWaitsForTheListenerOnlyNotForHttpReadiness() throws Exception {
        int port = Live.freePort();
        // /health never turns healthy: an ensure_ready would fail, ensure_running must not care
        Path file = contract(producer("dev", port, Long.MAX_VALUE, HTTP_READY, null), consumer("app", "api=dev:ensure_running"));

        TargetActivation a = only(activate(file, "app"));

        assertThat(a.status()).isEqualTo("started_running");
        assertThat(a.readiness().ready()).isTrue();
        assertThat(a.readiness().spec().kind()).isEqualTo("tcp");
        assertThat(a.readiness().spec().port()).isEqualTo(port);
        assertThat(Live.get(port, "/health").statusCode()).isEqualTo(503);
    }

    @Test
    void ensureReadyWaitsForHttpReadinessPastTheFirst503s() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 3, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));

        TargetActivation a = only(activate(file, "app"));

        assertThat(a.status()).isEqualTo("started_ready");
        assertThat(a.readiness().ready()).isTrue();
        assertThat(a.readiness().spec().kind()).isEqualTo("http");
        assertThat(a.readiness().spec().path()).isEqualTo("/health");
        assertThat(a.readiness().attempts()).isGreaterThanOrEqualTo(4);
        assertThat(a.readiness().history()).extracting(ProbeAttempt::detail).filteredOn(d -> d.contains("HTTP 503"))
                .hasSize(3);
        assertThat(Live.get(port, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void ensureReadyReusesAnOwnedProducerOnlyOnceItIsReady() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 5, HTTP_READY, null),
                consumer("app", "api=dev:ensure_running"), consumer("it", "api=dev:ensure_ready"));

        TargetActivation running = only(activate(file, "app"));
        assertThat(running.status()).isEqualTo("started_running");

        TargetActivation ready = only(activate(file, "it"));
        assertThat(ready.status()).isEqualTo("reused_ready");
        assertThat(ready.owned()).isTrue();
        assertThat(ready.handle().pid()).isEqualTo(running.handle().pid());
        assertThat(Live.get(port, "/health").statusCode()).isEqualTo(200);
    }

    // ---- producer failures ------------------------------------------------------------------------

    @Test
    void producerThatExitsBeforeItIsReadyFailsWithExitCodeAndLogTailAndLeavesNothing() throws Exception {
        int port = Live.freePort();
        Path file = contract(producerRun("bad", port, "echo boom; exit 3 # " + marker, HTTP_READY, ""),
                consumer("app", "api=bad:ensure_ready"));
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()));

        assertThatThrownBy(engine::activate)
                .isInstanceOf(ActivationException.class)
                .hasMessageContaining("`bad`")
                .hasMessageContaining("exited with code 3")
                .hasMessageContaining("boom")
                .hasMessageContaining(state.logFile("bad").toString());

        assertThat(state.read("bad")).isEmpty();
        assertThat(state.list()).isEmpty();
        assertThat(engine.startedByThisRun()).isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
    }

    @Test
    void readinessThatNeverSucceedsFailsAfterTheBudgetAndStopsTheStartedProducer() throws Exception {
        int port = Live.freePort();
        // the producer runs but never listens: every attempt is refused
        Path file = contract(producerRun("dev", port, "sleep 300; : " + marker,
                        "{ kind: http, listener: http, path: /health, interval: 100ms, timeout: 1s, retries: 3 }", ""),
                consumer("app", "api=dev:ensure_ready"));
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()));

        assertThatThrownBy(engine::activate)
                .isInstanceOf(ActivationException.class)
                .hasMessageContaining("`dev`")
                .hasMessageContaining("did not become ready")
                .hasMessageContaining("3 of 3 attempts failed")
                .hasMessageContaining("interval 100ms")
                .hasMessageContaining("last failure: connection refused");

        long pid = stoppedPid("dev");
        assertThat(Live.treeGone(pid)).as("the started producer and its children are stopped").isTrue();
        assertThat(state.read("dev")).isEmpty();
        assertThat(engine.startedByThisRun()).isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
    }

    /** The pid the engine logged when it stopped {@code task} during rollback. */
    private long stoppedPid(String task) {
        for (String line : log) {
            Matcher m = STOPPING.matcher(line);
            if (m.find() && m.group(1).equals(task)) {
                return Long.parseLong(m.group(2));
            }
        }
        throw new AssertionError("no rollback of " + task + " in the log: " + log);
    }

    @Test
    void aCommandBodyProducerRunsWithoutAShell() throws Exception {
        int port = Live.freePort();
        String args = String.join(", ", List.of("-XX:TieredStopAtLevel=1", "-cp", Live.healthServerClasses().toString(),
                "HealthServer", String.valueOf(port), "0", marker));
        Path file = contract("  dev:\n    command: { exe: " + yaml(Procs.java()) + ", args: [" + args + "] }\n"
                + "    runtime:\n      kind: service\n      listeners:\n        http: { http: " + port + " }\n"
                + "      readiness: " + HTTP_READY + "\n", consumer("app", "api=dev:ensure_ready"));

        TargetActivation a = only(activate(file, "app"));

        assertThat(a.status()).isEqualTo("started_ready");
        assertThat(ProcStat.read(a.handle().pid()).orElseThrow().comm()).isEqualTo("java");
        assertThat(Live.get(port, "/").body()).isEqualTo("pid " + a.handle().pid());
    }

    // ---- a listener ota did not start -------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({"ensure_started, reused_started", "ensure_running, reused_running", "ensure_ready, reused_ready"})
    void aForeignListenerIsReusedButNotOwned(String mode, String word) throws Exception {
        int port = Live.freePort();
        ServerSocket foreign = foreignListener(port);
        Path file = contract(producer("dev", port, 0, null, null), consumer("app", "api=dev:" + mode));
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()));

        TargetActivation a = only(engine.activate());

        assertThat(a.status()).isEqualTo(word);
        assertThat(a.owned()).isFalse();
        assertThat(a.startedByThisRun()).isFalse();
        assertThat(a.handle()).isNull();
        assertThat(a.found()).contains("no record").contains("127.0.0.1:" + port + " reachable")
                .contains("held by a process ota did not start");
        assertThat(engine.startedByThisRun()).isEmpty();
        assertThat(state.read("dev")).isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
        assertThat(foreign.isClosed()).isFalse();
    }

    @Test
    void restartReadyRefusesToKillAListenerItDoesNotOwn() throws Exception {
        int port = Live.freePort();
        ServerSocket foreign = foreignListener(port);
        Path file = contract(producer("dev", port, 0, null, null), consumer("app", "api=dev:restart_ready"));
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()));

        assertThatThrownBy(engine::activate)
                .isInstanceOf(ActivationException.class)
                .hasMessageContaining("`dev`")
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageContaining("did not start")
                .hasMessageContaining("does not own");

        assertThat(foreign.isClosed()).isFalse();
        assertThat(connects(port)).as("the foreign listener still serves").isTrue();
        assertThat(state.read("dev")).isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
        assertThat(log).noneMatch(l -> l.contains("stopping") || l.contains("starting"));
    }

    // ---- stale records and changed definitions ----------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dead-pid", "other-start-time", "never-started"})
    void aStaleRecordIsCleanedAndTheProducerStartedFresh(String kind) throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));
        Process bystander = new ProcessBuilder("sleep", "300").start();
        procs.track(bystander.pid());
        long bystanderStart = ProcStat.read(bystander.pid()).orElseThrow().startTime();
        long pid;
        long startTime;
        switch (kind) {
            case "dead-pid" -> {
                bystander.destroyForcibly();
                bystander.waitFor();
                pid = bystander.pid();
                startTime = bystanderStart;
            }
            case "other-start-time" -> { // the pid now belongs to a process ota did not start
                pid = bystander.pid();
                startTime = bystanderStart + 4711;
            }
            default -> { // written before a start by a build that died before it could record the process
                pid = 0;
                startTime = 0;
            }
        }
        state.write(new ServiceRecord("dev", "live-test/dev", "native", pid, startTime, "0".repeat(64), "crashed-build",
                Instant.now().minusSeconds(60), state.logFile("dev").toString(), List.of()));

        TargetActivation a = only(activate(file, "app"));

        assertThat(a.status()).isEqualTo("started_ready");
        assertThat(a.found()).contains("stale record");
        assertThat(a.handle().pid()).isNotEqualTo(pid);
        assertThat(alive(a)).isTrue();
        ServiceRecord record = state.read("dev").orElseThrow();
        assertThat(record.pid()).isEqualTo(a.handle().pid());
        assertThat(record.owner()).isEqualTo("build-1");
        if (kind.equals("other-start-time")) {
            assertThat(ProcStat.running(bystander.pid(), bystanderStart)).as("the unrelated process is untouched").isTrue();
        }
    }

    @Test
    void aChangedRunCommandStopsTheOldProcessAndStartsTheNewOne() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, "v1"), consumer("app", "api=dev:ensure_ready"));
        TargetActivation first = only(activate(file, "app"));
        String oldFingerprint = state.read("dev").orElseThrow().fingerprint();

        contract(producer("dev", port, 0, HTTP_READY, "v2"), consumer("app", "api=dev:ensure_ready"));
        TargetActivation second = only(engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()),
                new NativeBackend(Duration.ofSeconds(5)), "build-2").activate());

        assertThat(second.status()).isEqualTo("started_ready");
        assertThat(second.found()).contains("ota-owned process pid " + first.handle().pid()).contains("definition changed");
        assertThat(alive(first)).as("the old definition is stopped").isFalse();
        assertThat(alive(second)).isTrue();
        assertThat(second.handle().pid()).isNotEqualTo(first.handle().pid());
        ServiceRecord record = state.read("dev").orElseThrow();
        assertThat(record.pid()).isEqualTo(second.handle().pid());
        assertThat(record.fingerprint()).isNotEqualTo(oldFingerprint);
        assertThat(Live.processesWith(marker)).hasSize(1);
        assertThat(log).anyMatch(l -> l.contains("`dev` changed since it was started"));
    }

    @Test
    void restartReadyAfterADefinitionChangeReportsTheRestart() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, "v1"), consumer("app", "api=dev:restart_ready"));
        TargetActivation first = only(activate(file, "app"));
        assertThat(first.status()).isEqualTo("started_ready");

        contract(producer("dev", port, 0, HTTP_READY, "v2"), consumer("app", "api=dev:restart_ready"));
        TargetActivation second = only(activate(file, "app"));

        assertThat(second.status()).isEqualTo("restarted_ready");
        assertThat(second.found()).contains("definition changed");
        assertThat(alive(first)).isFalse();
        assertThat(alive(second)).isTrue();
        assertThat(Live.processesWith(marker)).hasSize(1);
    }

    @Test
    void anUnchangedContractKeepsItsFingerprint() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));
        TargetActivation first = only(activate(file, "app"));
        String fingerprint = state.read("dev").orElseThrow().fingerprint();

        TargetActivation second = only(activate(file, "app"));

        assertThat(second.status()).isEqualTo("reused_ready");
        assertThat(second.handle().pid()).isEqualTo(first.handle().pid());
        assertThat(state.read("dev").orElseThrow().fingerprint()).isEqualTo(fingerprint);
    }

    // ---- racing builds ----------------------------------------------------------------------------

    @Test
    void twoActivationsRacingForOneProducerStartExactlyOneProcess() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 2, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));
        CyclicBarrier barrier = new CyclicBarrier(2);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            List<Future<TargetActivation>> futures = new ArrayList<>();
            for (int i = 1; i <= 2; i++) {
                String owner = "build-" + i;
                futures.add(threads.submit(() -> {
                    ActivationEngine e = engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()),
                            new NativeBackend(Duration.ofSeconds(5)), owner);
                    barrier.await(30, TimeUnit.SECONDS);
                    return only(e.activate());
                }));
            }
            List<TargetActivation> results = new ArrayList<>();
            for (Future<TargetActivation> f : futures) {
                results.add(f.get(90, TimeUnit.SECONDS));
            }

            assertThat(results).extracting(TargetActivation::status)
                    .containsExactlyInAnyOrder("started_ready", "reused_ready");
            assertThat(results).extracting(a -> a.handle().pid()).containsOnly(results.get(0).handle().pid());
            assertThat(Live.processesWith(marker)).hasSize(1);
            assertThat(state.list()).hasSize(1);
        } finally {
            threads.shutdownNow();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }
    }

    // ---- levels and rollback ----------------------------------------------------------------------

    @Test
    void producersOfProducersStartFirst() throws Exception {
        int portA = Live.freePort();
        int portB = Live.freePort();
        Path file = contract(
                producerRun("a", portA, Live.healthServer(portA, 0, marker), HTTP_READY, targets("dep=b:ensure_ready")),
                producer("b", portB, 0, HTTP_READY, null),
                consumer("app", "api=a:ensure_ready"));

        List<TargetActivation> results = activate(file, "app");

        assertThat(results).extracting(TargetActivation::producer).containsExactly("b", "a");
        assertThat(results).extracting(TargetActivation::consumer).containsExactly("a", "app");
        assertThat(results).extracting(TargetActivation::status).containsOnly("started_ready");
        int startB = logIndex("starting `b`");
        int readyB = logIndex("a.dep → `b`: started_ready");
        int startA = logIndex("starting `a`");
        assertThat(startB).isNotNegative();
        assertThat(readyB).isGreaterThan(startB);
        assertThat(startA).as("a starts only after b is ready").isGreaterThan(readyB);
        ServiceRecord b = state.read("b").orElseThrow();
        ServiceRecord a = state.read("a").orElseThrow();
        assertThat(b.startedAt()).isBeforeOrEqualTo(a.startedAt());
        assertThat(ProcStat.read(b.pid()).orElseThrow().startTime())
                .isLessThanOrEqualTo(ProcStat.read(a.pid()).orElseThrow().startTime());
    }

    @Test
    void aLaterFailureStopsWhatThisRunStartedButNotWhatItReused() throws Exception {
        int portR = Live.freePort();
        int portS = Live.freePort();
        int portF = Live.freePort();
        Path file = contract(
                producer("reused", portR, 0, HTTP_READY, null),
                producer("started", portS, 0, HTTP_READY, null),
                producerRun("failing", portF, "echo boom; exit 3 # " + marker, HTTP_READY,
                        targets("r=reused:ensure_ready", "s=started:ensure_ready")),
                consumer("warm", "api=reused:ensure_ready"),
                consumer("app", "api=failing:ensure_ready"));
        TargetActivation warm = only(activate(file, "warm"));
        assertThat(warm.status()).isEqualTo("started_ready");

        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()),
                new NativeBackend(Duration.ofSeconds(5)), "build-2");
        ActivationException e = assertThrows(ActivationException.class, engine::activate);

        assertThat(e.getMessage()).contains("`failing`").contains("exited with code 3").contains("boom");
        assertThat(e.report()).extracting(TargetActivation::producer).contains("reused", "started");
        TargetActivation started = of(e.report(), "started");
        TargetActivation reused = of(e.report(), "reused");
        assertThat(started.status()).isEqualTo("started_ready");
        assertThat(reused.status()).isEqualTo("reused_ready");

        assertThat(alive(started)).as("started by this run: stopped").isFalse();
        assertThat(Live.treeGone(started.handle().pid())).isTrue();
        assertThat(state.read("started")).isEmpty();
        assertThat(state.read("failing")).isEmpty();
        assertThat(alive(reused)).as("reused: keeps running").isTrue();
        assertThat(state.read("reused").orElseThrow().pid()).isEqualTo(warm.handle().pid());
        assertThat(Live.get(portR, "/health").statusCode()).isEqualTo(200);
        assertThat(engine.startedByThisRun()).isEmpty();
    }

    @Test
    void interruptDuringAReadinessWaitStopsWhatThisRunStartedAndKeepsWhatItReused() throws Exception {
        int portR = Live.freePort();
        int portD = Live.freePort();
        Path file = contract(
                producer("reused", portR, 0, HTTP_READY, null),
                // never healthy, with a budget far beyond the test's patience
                producer("dev", portD, Long.MAX_VALUE,
                        "{ kind: http, listener: http, path: /health, interval: 100ms, timeout: 1s, retries: 100000 }", null),
                consumer("warm", "api=reused:ensure_ready"),
                consumer("app", "api=dev:ensure_ready", "r=reused:ensure_ready"));
        TargetActivation warm = only(activate(file, "warm"));

        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()), new StateStore(state.root()),
                new NativeBackend(Duration.ofSeconds(5)), "build-2");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                engine.activate();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "interrupted-build");
        build.start();
        await(() -> state.read("dev").map(ServiceRecord::started).orElse(false), WAIT, "dev started");
        long devPid = state.read("dev").orElseThrow().pid();
        await(() -> {
            try {
                return Live.get(portD, "/health").statusCode() == 503;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, WAIT, "dev answering 503 while the engine waits");
        assertThat(build.isAlive()).isTrue();

        build.interrupt();
        build.join(TimeUnit.SECONDS.toMillis(60));

        assertThat(build.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        await(() -> Live.treeGone(devPid), Duration.ofSeconds(10), "dev stopped");
        assertThat(state.read("dev")).isEmpty();
        assertThat(engine.startedByThisRun()).isEmpty();
        assertThat(log).anyMatch(l -> l.contains("stopping `dev`"));
        assertThat(log).noneMatch(l -> l.contains("stopping `reused`"));
        assertThat(ProcStat.running(warm.handle().pid(), warm.handle().startTime())).isTrue();
        assertThat(state.read("reused")).isPresent();
        assertThat(Live.get(portR, "/health").statusCode()).isEqualTo(200);
    }

    @Test
    void anInterruptWhileTheProducerIsBeingStartedStillStopsIt() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, Long.MAX_VALUE, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));
        AtomicReference<Thread> build = new AtomicReference<>();
        // The engine logs "starting `dev`" from its worker just before the process starts: interrupt
        // the build right then, and hold the worker a moment so the build's cleanup runs first.
        Consumer<String> interruptOnStart = line -> {
            log.add(line);
            if (line.startsWith("starting `dev`")) {
                build.get().interrupt();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
            }
        };
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()), state, backend, "build-1", interruptOnStart);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        build.set(new Thread(() -> {
            try {
                engine.activate();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "interrupted-build"));
        build.get().start();
        build.get().join(TimeUnit.SECONDS.toMillis(60));

        assertThat(build.get().isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(state.read("dev")).as("no record left behind").isEmpty();
        assertThat(Live.processesWith(marker)).as("no producer left behind").isEmpty();
        assertThat(engine.startedByThisRun()).isEmpty();
    }

    @Test
    void anInterruptRightAfterTheProducerStartedStillStopsIt() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, Long.MAX_VALUE, HTTP_READY, null), consumer("app", "api=dev:ensure_ready"));
        AtomicReference<Thread> build = new AtomicReference<>();
        AtomicReference<WorkloadHandle> started = new AtomicReference<>();
        // A backend that interrupts the build as soon as the process exists, before the engine has
        // recorded it, and holds the worker a moment so the build's cleanup would run first.
        Backend interrupting = new ForwardingBackend(backend) {
            @Override
            public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
                WorkloadHandle h = super.startService(spec);
                started.set(h);
                build.get().interrupt();
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return h;
            }
        };
        OtaEngine.Prepared p = Live.prepare(file, "app", Map.of());
        ActivationEngine engine = new ActivationEngine(p.contract(), p.topology(), p.plan(), state, shape -> interrupting,
                "build-1", log::add, new ReadinessWaiter());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        build.set(new Thread(() -> {
            try {
                engine.activate();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "interrupted-build"));
        build.get().start();
        build.get().join(TimeUnit.SECONDS.toMillis(60));

        assertThat(build.get().isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(started.get()).as("the producer was started").isNotNull();
        assertThat(Live.treeGone(started.get().pid())).as("and stopped again").isTrue();
        assertThat(state.read("dev")).as("no record left behind").isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
        assertThat(engine.startedByThisRun()).isEmpty();
    }

    /** A backend that forwards everything (tests override what they need to observe or disturb). */
    private static class ForwardingBackend implements Backend {
        private final Backend delegate;

        ForwardingBackend(Backend delegate) {
            this.delegate = delegate;
        }

        @Override
        public String family() {
            return delegate.family();
        }

        @Override
        public String identity() {
            return delegate.identity();
        }

        @Override
        public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
            return delegate.startService(spec);
        }

        @Override
        public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException {
            return delegate.runAttached(spec, output);
        }

        @Override
        public boolean isAlive(WorkloadHandle handle) {
            return delegate.isAlive(handle);
        }

        @Override
        public Liveness liveness(WorkloadHandle handle) {
            return delegate.liveness(handle);
        }

        @Override
        public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
            return delegate.stop(handle, grace);
        }

        @Override
        public List<String> logTail(WorkloadHandle handle, int lines) {
            return delegate.logTail(handle, lines);
        }

        @Override
        public String probeHost(String bindAddress) {
            return delegate.probeHost(bindAddress);
        }
    }

    @Test
    void nothingToActivateForManualTargets() throws Exception {
        int port = Live.freePort();
        Path file = contract(producer("dev", port, 0, HTTP_READY, null), consumer("app", "api=dev:manual"));
        ActivationEngine engine = engine(Live.prepare(file, "app", Map.of()));

        assertThat(engine.activate()).isEmpty();
        assertThat(state.list()).isEmpty();
        assertThat(Live.processesWith(marker)).isEmpty();
    }
}
