package dev.ota.core.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.Backends;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link RemoteBackend} over a {@link CliShell} whose {@code kubectl} is a stand-in that runs the
 * command on this machine ({@link ProviderStandIns}): the "remote" plane is this host, and
 * {@code remote.cwd} is a temp directory, so every workload can be checked in {@code /proc}.
 */
class CliRemoteBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private ProviderStandIns standIns;
    private Map<String, String> env;
    private Path cwd;
    private RemoteEndpoint endpoint;
    private CliShell shell;
    private RemoteBackend backend;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final Procs procs = new Procs();

    @BeforeEach
    void setUp() throws Exception {
        standIns = ProviderStandIns.create(tmp.resolve("bin"));
        env = standIns.environment(Files.createDirectories(tmp.resolve("home")));
        cwd = Files.createDirectories(tmp.resolve("workspace")).toRealPath();
        endpoint = new RemoteEndpoint("kubectl", "pod/dev", cwd.toString(), null, null);
        shell = new CliShell(endpoint, env);
        backend = new RemoteBackend(endpoint, shell, "context:dev", "owner-1", log::add);
    }

    @AfterEach
    void tearDown() {
        procs.close();
        shell.close();
    }

    private static WorkloadSpec sh(String task, String body, Map<String, String> env) {
        return new WorkloadSpec(task, List.of("sh", "-c", body), null, env, null);
    }

    private WorkloadHandle start(Backend b, WorkloadSpec spec) throws BackendException {
        WorkloadHandle h = b.startService(spec);
        if (h.startTime() != -1) {
            procs.track(h);
            procs.trackTree(h.pid());
        }
        return h;
    }

    private static void awaitLogLine(Backend b, WorkloadHandle h, String text) throws InterruptedException {
        Procs.await(() -> b.logTail(h, 50).contains(text), WAIT, "`" + text + "` in the log of pid " + h.pid());
    }

    @Test
    void serviceStartsDetachedRunsOnThePlaneAndStopsWithItsTree() throws Exception {
        WorkloadHandle h = start(backend, sh("svc", "echo started; exec sleep 300", Map.of()));

        assertThat(h.backend()).startsWith("remote:kubectl:").isEqualTo(endpoint.handleBackend());
        assertThat(RemoteEndpoint.fromHandle(h.backend())).isEqualTo(endpoint);
        String stateDir = cwd.resolve(".ota/state/remote-owner-1").toString();
        assertThat(h.logFile()).isEqualTo(Path.of(stateDir, "logs", "svc.log"));
        assertThat(backend.isAlive(h)).isTrue();
        assertThat(backend.liveness(h).exited()).isEmpty();
        awaitLogLine(backend, h, "started");

        // the workload really runs here: same pid, same start ticks, in its own session
        ProcStat stat = ProcStat.read(h.pid()).orElseThrow();
        assertThat(Path.of("/proc", Long.toString(h.pid()))).exists();
        assertThat(stat.startTime()).isEqualTo(h.startTime());
        assertThat(stat.session()).isEqualTo(h.pid()).isNotEqualTo(Procs.ownSession());
        Procs.await(() -> Procs.tree(h.pid()).stream().anyMatch(s -> s.comm().equals("sleep")), WAIT, "the sleep to run");
        List<ProcStat> tree = Procs.tree(h.pid());

        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();
        for (ProcStat s : tree) {
            Procs.await(() -> Procs.gone(s), WAIT, "pid " + s.pid() + " (" + s.comm() + ") to stop");
        }
        assertThat(backend.isAlive(h)).isFalse();
        assertThat(backend.liveness(h).exited()).isPresent();
        assertThat(backend.stop(h, Duration.ofSeconds(1))).as("stopping it again").isTrue();

        // the steps went through `kubectl exec pod/dev -- sh ...`, starting with a login shell
        List<ProviderStandIns.Invocation> runs = standIns.invocations("kubectl");
        assertThat(runs).isNotEmpty().allSatisfy(i -> assertThat(i.argv().subList(0, 5))
                .containsExactly(standIns.executable("kubectl").toString(), "exec", "pod/dev", "--", "sh"));
        assertThat(runs).anySatisfy(i -> assertThat(i.argv()).containsSubsequence("-lc", "ota",
                stateDir + "/logs/svc.log", "sh", "-c", "echo started; exec sleep 300"));
        assertThat(backend.identity()).isEqualTo("remote:kubectl:pod/dev");
        assertThat(backend.boundary()).get().extracting(BoundaryEvidence::provider, BoundaryEvidence::target,
                BoundaryEvidence::cwd, BoundaryEvidence::unit).containsExactly("kubectl", "pod/dev", cwd.toString(), "context:dev");
        assertThat(log).anySatisfy(l -> assertThat(l).contains("on kubectl exec pod/dev: connected"));
    }

    @Test
    void stopEscalatesToKillForAServiceThatIgnoresTerm() throws Exception {
        WorkloadHandle h = start(backend, sh("stubborn", "trap '' TERM; echo ignoring; while :; do sleep 1; done", Map.of()));
        awaitLogLine(backend, h, "ignoring");
        List<ProcStat> tree = Procs.tree(h.pid());

        assertThat(backend.stop(h, Duration.ofSeconds(1))).isTrue();
        for (ProcStat s : tree) {
            Procs.await(() -> Procs.gone(s), WAIT, "pid " + s.pid() + " (" + s.comm() + ") to stop");
        }
    }

    @Test
    void serviceThatExitsReportsItsCodeAndKeepsItsLog() throws Exception {
        WorkloadHandle h = start(backend, sh("failing", "echo 'about to fail'; exit 7", Map.of()));

        Procs.await(() -> backend.liveness(h).exited().isPresent(), WAIT, "the service to exit");
        assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(7));
        assertThat(backend.isAlive(h)).isFalse();
        assertThat(backend.logTail(h, 10)).contains("about to fail");
        assertThat(backend.stop(h, Duration.ofSeconds(1))).isTrue();
    }

    @Test
    void aWrapperLingeringAsAZombieHasExitedWithItsCodeAndNeedsNoStopping() throws Exception {
        backend.prepare();
        Path stateDir = cwd.resolve(".ota/state/remote-owner-1");
        // a zombie nobody reaps, as a service wrapper is on a plane whose pid 1 reaps late or never:
        // the child of a process that never waits
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 300")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        procs.track(parent.pid());
        try (BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.UTF_8))) {
            long zombie = Long.parseLong(out.readLine().trim());
            Procs.await(() -> ProcStat.read(zombie).map(ProcStat::exited).orElse(false), WAIT, "pid " + zombie + " to be a zombie");
            long ticks = ProcStat.read(zombie).orElseThrow().startTime();
            WorkloadHandle h = new WorkloadHandle(endpoint.handleBackend(), zombie, ticks, stateDir.resolve("logs/z.log"));

            Files.writeString(stateDir.resolve(zombie + ".exit"), "7\n");
            assertThat(backend.isAlive(h)).isFalse();
            assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(7));
            assertThat(backend.stop(h, Duration.ofSeconds(1))).isTrue();

            Files.delete(stateDir.resolve(zombie + ".exit"));
            assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(-1));
            // an exit file of an earlier process with this pid does not describe another process
            Files.writeString(stateDir.resolve(zombie + ".exit"), "7\n");
            assertThat(backend.liveness(new WorkloadHandle(h.backend(), zombie, ticks + 1, h.logFile())).exited())
                    .isEqualTo(OptionalInt.of(-1));
        } finally {
            parent.destroyForcibly();
            parent.waitFor();
        }
    }

    @Test
    void runAttachedStreamsOutputReturnsTheCodeAndPassesEnvLiterally() throws Exception {
        String value = "$(id) `x` 'q' \"d\" \\ ;|&";
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        int code = backend.runAttached(sh("task", "echo \"$VALUE\"; echo \"ws=$OTA_WORKSPACE\"; echo \"pwd=$(pwd)\";"
                + " echo oops >&2; exit 4", Map.of("VALUE", value)), lines::add);

        assertThat(code).isEqualTo(4);
        assertThat(lines).containsExactly(value, "ws=" + cwd, "pwd=" + cwd, "oops");
        assertThat(tmp.resolve("x")).doesNotExist();

        List<String> quiet = Collections.synchronizedList(new ArrayList<>());
        assertThat(backend.runAttached(sh("ok", "true", Map.of()), quiet::add)).isZero();
        assertThat(quiet).isEmpty();
    }

    @Test
    void envNamesThatAreNotShellVariablesAreRefused() {
        assertThatThrownBy(() -> backend.runAttached(sh("task", "true", Map.of("BAD-NAME", "v")), line -> {}))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("env `BAD-NAME` of `task` is not a valid shell variable name");
    }

    @Test
    void interruptingRunAttachedStopsTheWorkload() throws Exception {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                backend.runAttached(sh("long", "echo pid $$; exec sleep 300", Map.of()), lines::add);
                thrown.set(new AssertionError("runAttached returned without an interrupt"));
            } catch (Throwable e) {
                thrown.set(e);
            }
        }, "remote-attached");
        t.setDaemon(true);
        t.start();
        Procs.await(() -> lines.stream().anyMatch(l -> l.startsWith("pid ")), WAIT, "the task to start");
        long pid = Long.parseLong(lines.stream().filter(l -> l.startsWith("pid ")).findFirst().orElseThrow().substring(4));
        ProcStat stat = ProcStat.read(pid).orElseThrow();
        procs.track(pid);

        t.interrupt();
        t.join(WAIT.toMillis());
        assertThat(t.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        Procs.await(() -> Procs.gone(stat), WAIT, "the attached task to stop");
    }

    @Test
    void tcpProbeRunsOnThePlane() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try (Socket s = listener.accept()) {
                        // accept and close
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "probe-listener");
            acceptor.setDaemon(true);
            acceptor.start();

            ProbeAttempt ok = backend.probe(ProbeSpec.reachability("svc.tcp", "127.0.0.1", listener.getLocalPort())).attempt(1);
            assertThat(ok.ready()).as(ok.detail()).isTrue();
            assertThat(ok.detail()).contains("on kubectl exec pod/dev");
        }
        assertThat(standIns.last("kubectl").argv()).containsSequence("sh", "-c");
    }

    @Test
    void tcpProbeOfAClosedPortIsNotReady() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ProbeAttempt attempt = backend.probe(ProbeSpec.reachability("svc.tcp", "127.0.0.1", port)).attempt(1);
        assertThat(attempt.ready()).as(attempt.detail()).isFalse();
        assertThat(attempt.detail()).isNotBlank();
    }

    @Test
    void missingRemoteCwdFailsPrepare() throws Exception {
        Path missing = tmp.resolve("no-such-dir");
        RemoteEndpoint e = new RemoteEndpoint("kubectl", "pod/dev", missing.toString(), null, null);
        RemoteBackend b = new RemoteBackend(e, new CliShell(e, env), "context:dev", "owner-1", log::add);

        assertThatThrownBy(b::prepare)
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("`remote.cwd` " + missing + " does not exist on kubectl exec pod/dev");
        // the failure sticks for the run, and starting a workload reports it too
        assertThatThrownBy(b::prepare).isInstanceOf(BackendException.class).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> b.startService(sh("svc", "sleep 300", Map.of())))
                .isInstanceOf(BackendException.class).hasMessageContaining("does not exist");
        assertThat(missing).doesNotExist();
    }

    @Test
    void missingCliFailsPrepare() {
        RemoteBackend b = new RemoteBackend(endpoint, new CliShell(endpoint, Map.of("PATH", tmp.resolve("home").toString(),
                "HOME", tmp.resolve("home").toString())), "context:dev", "owner-1", log::add);
        assertThatThrownBy(b::prepare)
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("remote provider `kubectl` runs through the `kubectl` command, and none is on PATH");
    }

    @Test
    void aHandleAloneChecksAndStopsAWorkloadStartedByAnotherBackend() throws Exception {
        WorkloadHandle h = start(backend, sh("svc", "echo started; exec sleep 300", Map.of()));
        awaitLogLine(backend, h, "started");
        List<ProcStat> tree = Procs.tree(h.pid());

        // a later build: a fresh shell registry and only the recorded handle, no contract
        try (RemoteShells shells = new RemoteShells(env)) {
            Backend later = Backends.forHandle(h, null, shells, new NativeBackend());
            assertThat(later).isInstanceOf(RemoteBackend.class);
            assertThat(later).isNotSameAs(backend);
            assertThat(later.family()).isEqualTo("remote");
            assertThat(later.identity()).isEqualTo("remote:kubectl:pod/dev");
            assertThat(later.isAlive(h)).isTrue();
            assertThat(later.liveness(h).exited()).isEmpty();
            assertThat(later.logTail(h, 10)).contains("started");

            assertThat(later.stop(h, Duration.ofSeconds(5))).isTrue();
            for (ProcStat s : tree) {
                Procs.await(() -> Procs.gone(s), WAIT, "pid " + s.pid() + " (" + s.comm() + ") to stop");
            }
            assertThat(later.isAlive(h)).isFalse();
            assertThat(backend.isAlive(h)).isFalse();
        }
    }
}
