package dev.ota.core.backend.nativeproc;

import static dev.ota.core.backend.nativeproc.Procs.await;
import static dev.ota.core.backend.nativeproc.Procs.awaitLine;
import static dev.ota.core.backend.nativeproc.Procs.gone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The native backend with real processes: detaching, identity, tree stops, attached runs, env, quoting. */
@Timeout(60)
class NativeBackendTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    Procs procs;
    NativeBackend backend;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(ProcStat.procAvailable(), "needs Linux /proc");
    }

    @BeforeEach
    void setUp() {
        procs = new Procs();
        backend = new NativeBackend(Duration.ofSeconds(2));
        assumeTrue(backend.sessionIsolation(), "needs setsid (util-linux)");
    }

    @AfterEach
    void reap() {
        procs.close();
    }

    private WorkloadSpec spec(String task, List<String> argv) {
        return new WorkloadSpec(task, argv, dir, Map.of(), dir.resolve("logs").resolve(task + ".log"));
    }

    private WorkloadSpec sh(String task, String script) {
        return spec(task, List.of("sh", "-c", script));
    }

    private WorkloadHandle start(NativeBackend b, WorkloadSpec spec) throws BackendException {
        WorkloadHandle h = procs.track(b.startService(spec));
        procs.trackTree(h.pid());
        return h;
    }

    // ---- detaching and identity -----------------------------------------------------------------

    @Test
    void detachedServiceLeadsItsOwnSessionAndIsFoundByPidAndStartTimeFromAnotherBackend() throws Exception {
        WorkloadHandle h = start(backend, spec("svc", List.of("sleep", "300")));

        ProcStat stat = ProcStat.read(h.pid()).orElseThrow();
        assertThat(h.backend()).isEqualTo("native");
        assertThat(h.startTime()).isEqualTo(stat.startTime()).isPositive();
        assertThat(stat.session()).isEqualTo(h.pid()).isNotEqualTo(Procs.ownSession());
        assertThat(stat.pgrp()).isEqualTo(h.pid());
        await(() -> ProcStat.read(h.pid()).map(s -> s.comm().equals("sleep")).orElse(false), WAIT, "exec of sleep");

        // a later build: no Process object, only the recorded pid + start time
        NativeBackend later = new NativeBackend(Duration.ofSeconds(2));
        assertThat(later.isAlive(h)).isTrue();
        assertThat(later.liveness(h).exited()).isEmpty();
        assertThat(later.isAlive(new WorkloadHandle("native", h.pid(), h.startTime() + 1, null))).isFalse();
        assertThat(later.isAlive(new WorkloadHandle("container", h.pid(), h.startTime(), null))).isFalse();

        assertThat(later.stop(h, Duration.ofSeconds(5))).isTrue();
        assertThat(later.isAlive(h)).isFalse();
        assertThat(later.liveness(h).exited()).isEqualTo(OptionalInt.of(-1)); // adopted: exit code unknown
    }

    @Test
    void serviceOutlivesTheJvmThatStartedIt() throws Exception {
        Path log = dir.resolve("detached.log");
        Process jvm = new ProcessBuilder(Procs.java(), "-cp", Procs.classpath(NativeBackend.class, DetachedStarter.class),
                DetachedStarter.class.getName(), log.toString())
                .redirectErrorStream(true)
                .start();
        String out;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            out = r.lines().reduce("", (a, b) -> a + b + "\n");
        }
        assertThat(jvm.waitFor()).as(out).isZero();
        String[] words = out.lines().filter(l -> l.startsWith("started ")).findFirst().orElseThrow().split(" ");
        WorkloadHandle h = procs.track(new WorkloadHandle("native", Long.parseLong(words[1]), Long.parseLong(words[2]), log));
        procs.trackTree(h.pid());

        await(() -> !jvm.isAlive(), WAIT, "the starting JVM to exit");
        assertThat(backend.isAlive(h)).as("service still running after its JVM exited").isTrue();
        ProcStat stat = ProcStat.read(h.pid()).orElseThrow();
        assertThat(stat.ppid()).isNotEqualTo(jvm.pid());
        assertThat(stat.session()).isEqualTo(h.pid());
        assertThat(backend.liveness(h).exited()).isEmpty();

        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();
        assertThat(backend.isAlive(h)).isFalse();
    }

    @Test
    void zombieCountsAsDead() throws Exception {
        // the background sleep exits, but its parent exec'd into a sleep that never reaps it
        WorkloadHandle h = start(backend, sh("zombie", "sleep 1 & echo zombie-pid $!; exec sleep 300"));
        String line = awaitLine(h.logFile(), "zombie-pid ", WAIT);
        long zpid = Long.parseLong(line.substring("zombie-pid ".length()).trim());
        ProcStat z = ProcStat.read(zpid).orElseThrow();
        await(() -> ProcStat.read(zpid).map(ProcStat::exited).orElse(true), WAIT, "the child to become a zombie");
        assertThat(ProcStat.read(zpid)).hasValueSatisfying(s -> assertThat(s.state()).isEqualTo('Z'));

        assertThat(backend.isAlive(new WorkloadHandle("native", zpid, z.startTime(), null))).isFalse();
        assertThat(backend.isAlive(h)).isTrue();
        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void livenessReportsTheExitCodeOfAServiceThisJvmStarted() throws Exception {
        WorkloadHandle h = start(backend, sh("exits", "echo bye; exit 3"));
        await(() -> backend.liveness(h).exited().isPresent(), WAIT, "the service to exit");
        assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(3));
        assertThat(backend.isAlive(h)).isFalse();
        assertThat(backend.logTail(h, 20)).contains("bye");
        assertThat(backend.stop(h, Duration.ofSeconds(1))).isTrue(); // already gone
    }

    @Test
    void serviceOutputIsAppendedToTheLogAcrossStarts() throws Exception {
        WorkloadSpec spec = sh("twice", "echo run-$RUN");
        WorkloadSpec first = new WorkloadSpec("twice", spec.argv(), dir, Map.of("RUN", "1"), spec.logFile());
        WorkloadSpec second = new WorkloadSpec("twice", spec.argv(), dir, Map.of("RUN", "2"), spec.logFile());
        WorkloadHandle a = start(backend, first);
        await(() -> backend.liveness(a).exited().isPresent(), WAIT, "first run");
        WorkloadHandle b = start(backend, second);
        await(() -> backend.liveness(b).exited().isPresent(), WAIT, "second run");
        List<String> lines = Files.readAllLines(spec.logFile());
        assertThat(lines).contains("run-1", "run-2");
        assertThat(lines.indexOf("run-1")).isLessThan(lines.indexOf("run-2"));
        assertThat(lines).anyMatch(l -> l.startsWith("=== ota: starting twice"));
    }

    // ---- stopping trees -------------------------------------------------------------------------

    @Test
    void stopRemovesTheWholeTreeIncludingOrphansAndEscapees() throws Exception {
        // two background children, an orphaned grandchild (its subshell exits) and a grandchild in a new session
        WorkloadHandle h = start(backend, sh("tree",
                "sleep 300 & sleep 301 & (sleep 302 &) ; setsid sleep 303 & echo started; wait"));
        awaitLine(h.logFile(), "started", WAIT);
        await(() -> Procs.tree(h.pid()).stream().filter(s -> s.comm().equals("sleep")).count() >= 4,
                WAIT, "four sleeps");
        List<ProcStat> tree = procs.trackTree(h.pid());
        assertThat(tree).extracting(ProcStat::comm).contains("sh", "sleep");
        assertThat(tree).anyMatch(s -> s.session() != h.pid()); // the setsid escapee
        assertThat(tree).anyMatch(s -> s.ppid() != h.pid() && s.pid() != h.pid() && s.session() == h.pid()); // the orphan

        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();

        assertThat(tree).allSatisfy(s -> assertThat(gone(s)).as("pid %d (%s) gone", s.pid(), s.comm()).isTrue());
        assertThat(backend.isAlive(h)).isFalse();
    }

    @Test
    void stopEscalatesToSigkillWhenTermIsIgnored() throws Exception {
        WorkloadHandle h = start(backend, sh("stubborn", "trap '' TERM; echo ready; while true; do sleep 1; done"));
        awaitLine(h.logFile(), "ready", WAIT);
        List<ProcStat> tree = procs.trackTree(h.pid());

        long begin = System.nanoTime();
        assertThat(backend.stop(h, Duration.ofMillis(700))).isTrue();
        Duration took = Duration.ofNanos(System.nanoTime() - begin);

        assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        assertThat(tree).allSatisfy(s -> assertThat(gone(s)).isTrue());
        assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(137)); // 128 + SIGKILL
    }

    @Test
    void stopReturnsQuicklyWhenTermIsHonoured() throws Exception {
        WorkloadHandle h = start(backend, spec("polite", List.of("sleep", "300")));
        long begin = System.nanoTime();
        assertThat(backend.stop(h, Duration.ofSeconds(20))).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(5));
        assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(143)); // 128 + SIGTERM
    }

    @Test
    void stopRefusesAHandleWhoseStartTimeDoesNotMatch() throws Exception {
        WorkloadHandle h = start(backend, spec("victim", List.of("sleep", "300")));
        WorkloadHandle forged = new WorkloadHandle("native", h.pid(), h.startTime() - 1, h.logFile());

        assertThatThrownBy(() -> backend.stop(forged, Duration.ZERO))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("refusing to stop pid " + h.pid())
                .hasMessageContaining("did not start");
        assertThat(backend.isAlive(h)).isTrue();
    }

    @Test
    void stopRefusesAProcessOtaDidNotStart() throws Exception {
        Process foreign = new ProcessBuilder("sleep", "300").start();
        procs.track(foreign.pid());
        try {
            // a record whose pid was reused by this unrelated process: the recorded start time is older
            long recorded = ProcStat.read(foreign.pid()).orElseThrow().startTime() - 100;
            WorkloadHandle stale = new WorkloadHandle("native", foreign.pid(), recorded, null);
            assertThat(backend.isAlive(stale)).isFalse();
            assertThatThrownBy(() -> backend.stop(stale, Duration.ZERO)).isInstanceOf(BackendException.class);
            assertThat(foreign.isAlive()).isTrue();
        } finally {
            foreign.destroyForcibly();
        }
    }

    @Test
    void stopOfSomethingNeverStartedOrAlreadyGoneSucceeds() throws Exception {
        assertThat(backend.stop(new WorkloadHandle("native", 0, 0, null), Duration.ZERO)).isTrue();
        WorkloadHandle h = start(backend, sh("quick", "exit 0"));
        await(() -> !backend.isAlive(h), WAIT, "exit");
        assertThat(backend.stop(h, Duration.ZERO)).isTrue();
        assertThatThrownBy(() -> backend.stop(new WorkloadHandle("container", 42, 1, null), Duration.ZERO))
                .isInstanceOf(BackendException.class);
    }

    @Test
    void withoutSetsidServicesStillStopWithTheirDescendants() throws Exception {
        NativeBackend degraded = new NativeBackend(null, Duration.ofSeconds(2));
        assertThat(degraded.sessionIsolation()).isFalse();
        assertThat(degraded.warning()).hasValueSatisfying(w -> assertThat(w).contains("setsid"));

        WorkloadHandle h = start(degraded, sh("plain", "sleep 300 & sleep 301 & echo started; wait"));
        awaitLine(h.logFile(), "started", WAIT);
        await(() -> ProcessHandle.of(h.pid()).map(p -> p.children().count() >= 2).orElse(false), WAIT, "two children");
        assertThat(ProcStat.read(h.pid()).orElseThrow().pgrp()).isEqualTo(Procs.ownGroup());
        List<ProcStat> tree = new ArrayList<>();
        tree.add(ProcStat.read(h.pid()).orElseThrow());
        ProcessHandle.of(h.pid()).orElseThrow().descendants()
                .forEach(d -> ProcStat.read(d.pid()).ifPresent(s -> {
                    tree.add(s);
                    procs.track(s.pid());
                }));

        assertThat(degraded.stop(h, Duration.ofSeconds(5))).isTrue();
        assertThat(tree).hasSizeGreaterThanOrEqualTo(3).allSatisfy(s -> assertThat(gone(s)).isTrue());
    }

    // ---- attached runs --------------------------------------------------------------------------

    @Test
    void runAttachedStreamsStdoutAndStderrLinesAndReturnsTheExitCode() throws Exception {
        List<String> lines = new ArrayList<>();
        int code = backend.runAttached(sh("once", "echo one; echo two >&2; printf 'no newline'; exit 7"), lines::add);
        assertThat(code).isEqualTo(7);
        assertThat(lines).containsExactly("one", "two", "no newline");
    }

    @Test
    void runAttachedRunsInItsOwnProcessGroup() throws Exception {
        List<String> lines = new ArrayList<>();
        int code = backend.runAttached(sh("group", "echo $$; ps -o pgid= -p $$ 2>/dev/null || cut -d' ' -f5 /proc/$$/stat"),
                lines::add);
        assertThat(code).isZero();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).trim()).isEqualTo(lines.get(0).trim());
    }

    @Test
    void interruptingRunAttachedStopsItsWholeTree() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread runner = new Thread(() -> {
            try {
                backend.runAttached(sh("long", "sleep 300 & echo child $!; echo self $$; wait"), lines::add);
                outcome.set(new AssertionError("returned normally"));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        runner.start();
        await(() -> lines.stream().anyMatch(l -> l.startsWith("self ")) && lines.stream().anyMatch(l -> l.startsWith("child ")),
                WAIT, "both pids");
        List<ProcStat> tree = new ArrayList<>();
        for (String l : lines) {
            long pid = Long.parseLong(l.substring(l.indexOf(' ') + 1).trim());
            procs.track(pid);
            tree.add(ProcStat.read(pid).orElseThrow());
        }

        runner.interrupt();
        runner.join(WAIT.toMillis());

        assertThat(runner.isAlive()).isFalse();
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);
        assertThat(tree).hasSize(2).allSatisfy(s -> assertThat(gone(s)).as("pid %d gone", s.pid()).isTrue());
    }

    @Test
    void sigintToTheJvmDuringAnAttachedRunStopsItsTree() throws Exception {
        Process jvm = new ProcessBuilder(Procs.java(), "-cp", Procs.classpath(NativeBackend.class, AttachedRunner.class),
                AttachedRunner.class.getName(), "sleep 300 & echo child $!; echo self $$; wait")
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        procs.track(jvm.pid());
        List<ProcStat> tree = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            while (tree.size() < 2) {
                String line = out.readLine();
                assertThat(line).as("output of the attached run").isNotNull();
                long pid = Long.parseLong(line.substring(line.indexOf(' ') + 1).trim());
                procs.track(pid);
                tree.add(ProcStat.read(pid).orElseThrow());
            }
            assertThat(tree).allSatisfy(s -> assertThat(s.session()).isNotEqualTo(Procs.ownSession()));

            Process kill = new ProcessBuilder("kill", "-s", "INT", Long.toString(jvm.pid())).start();
            assertThat(kill.waitFor()).isZero();
            assertThat(jvm.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        }
        assertThat(tree).allSatisfy(s -> assertThat(gone(s)).as("pid %d gone", s.pid()).isTrue());
    }

    @Test
    void runAttachedDoesNotStartWhenAlreadyInterrupted() {
        Path marker = dir.resolve("ran");
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> backend.runAttached(sh("never", "touch '" + marker + "'"), l -> {}))
                    .isInstanceOf(InterruptedException.class);
        } finally {
            Thread.interrupted();
        }
        assertThat(marker).doesNotExist();
    }

    @Test
    void runAttachedReturnsEvenWhenABackgroundProcessKeepsItsOutputOpen() throws Exception {
        List<String> lines = new ArrayList<>();
        long begin = System.nanoTime();
        // the leftover keeps writing to the inherited output until the reaper kills it
        int code = backend.runAttached(
                sh("leaves", "(while true; do echo tick; sleep 0.05; done) & echo $!; echo done"), lines::add);
        procs.trackTree(Long.parseLong(lines.get(0).trim()));
        assertThat(code).isZero();
        assertThat(lines).contains("done");
        assertThat(Duration.ofNanos(System.nanoTime() - begin)).isLessThan(Duration.ofSeconds(10));
    }

    // ---- what reaches the workload --------------------------------------------------------------

    @Test
    void envIsInheritedThenOverriddenAndCwdIsApplied() throws Exception {
        Path cwd = Files.createDirectories(dir.resolve("work dir"));
        WorkloadSpec spec = new WorkloadSpec("env",
                List.of("sh", "-c", "pwd; printf '%s\\n' \"$OTA_TEST_VALUE\"; printf '%s\\n' \"$HOME\"; test -n \"$PATH\" && echo has-path"),
                cwd, Map.of("OTA_TEST_VALUE", "a b $c 'd'", "HOME", "/ota/home"), null);

        List<String> lines = new ArrayList<>();
        assertThat(backend.runAttached(spec, lines::add)).isZero();
        assertThat(lines).containsExactly(cwd.toRealPath().toString(), "a b $c 'd'", "/ota/home", "has-path");

        WorkloadSpec service = new WorkloadSpec("env-svc", spec.argv(), cwd, spec.env(), dir.resolve("env-svc.log"));
        WorkloadHandle h = start(backend, service);
        await(() -> backend.liveness(h).exited().isPresent(), WAIT, "the service to finish");
        assertThat(backend.logTail(h, 4)).containsExactly(cwd.toRealPath().toString(), "a b $c 'd'", "/ota/home", "has-path");
    }

    @Test
    void argumentsWithShellMetacharactersArriveLiterally() throws Exception {
        Path marker = Path.of("/tmp", "pwned-" + UUID.randomUUID());
        List<String> hostile = List.of(
                "'; touch " + marker + "; '",
                "$(touch " + marker + ")",
                "`touch " + marker + "`",
                "\"; touch " + marker + "; \"",
                "a && touch " + marker);
        List<String> argv = new ArrayList<>(List.of("printf", "%s\\n"));
        argv.addAll(hostile);

        List<String> lines = new ArrayList<>();
        assertThat(backend.runAttached(spec("quote", argv), lines::add)).isZero();
        assertThat(lines).containsExactlyElementsOf(hostile);

        WorkloadHandle h = start(backend, spec("quote-svc", argv));
        await(() -> backend.liveness(h).exited().isPresent(), WAIT, "the service to finish");
        assertThat(backend.logTail(h, hostile.size())).containsExactlyElementsOf(hostile);
        assertThat(marker).doesNotExist();
    }

    @Test
    void startFailsClearlyForAMissingWorkingDirectory() {
        WorkloadSpec spec = new WorkloadSpec("nowhere", List.of("true"), dir.resolve("missing"), Map.of(), dir.resolve("x.log"));
        assertThatThrownBy(() -> backend.startService(spec))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("nowhere")
                .hasMessageContaining("does not exist");
    }

    @Test
    void aMissingExecutableExitsWith127AndSaysWhyInTheLog() throws Exception {
        WorkloadHandle h = start(backend, spec("typo", List.of("no-such-command-" + UUID.randomUUID())));
        await(() -> backend.liveness(h).exited().isPresent(), WAIT, "exit");
        assertThat(backend.liveness(h).exited()).isEqualTo(OptionalInt.of(127));
        assertThat(String.join("\n", backend.logTail(h, 5))).contains("No such file or directory");
    }

    // ---- listeners ------------------------------------------------------------------------------

    @Test
    void aJavaServiceListensOnLoopbackAndStopsWithItsPort() throws Exception {
        Path source = Procs.resource("nativeproc/TinyServer.java");
        WorkloadHandle h = start(backend, spec("server", List.of(Procs.java(), source.toString())));
        String line = awaitLine(h.logFile(), "listening on ", Duration.ofSeconds(40));
        int port = Integer.parseInt(line.substring("listening on ".length()).trim());
        String host = backend.probeHost("0.0.0.0");
        assertThat(host).isEqualTo("127.0.0.1");

        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine())
                    .isEqualTo("hello");
        }

        assertThat(backend.stop(h, Duration.ofSeconds(5))).isTrue();
        assertThatThrownBy(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 2000);
            }
        }).isInstanceOf(ConnectException.class);
    }

    @Test
    void probeHostMapsWildcardsToLoopback() {
        assertThat(backend.probeHost("0.0.0.0")).isEqualTo("127.0.0.1");
        assertThat(backend.probeHost("::")).isEqualTo("127.0.0.1");
        assertThat(backend.probeHost("[::]")).isEqualTo("127.0.0.1");
        assertThat(backend.probeHost(null)).isEqualTo("127.0.0.1");
        assertThat(backend.probeHost("127.0.0.1")).isEqualTo("127.0.0.1");
        assertThat(backend.probeHost("::1")).isEqualTo("::1");
        assertThat(backend.probeHost("localhost")).isEqualTo("localhost");
    }

    @Test
    void identityNamesTheFamilyAndHost() {
        assertThat(backend.family()).isEqualTo("native");
        assertThat(backend.identity()).startsWith("native@").hasSizeGreaterThan("native@".length());
        assertThat(backend.warning()).isEmpty();
    }

    @Test
    void logTailOfAMissingLogIsEmpty() throws IOException {
        assertThat(backend.logTail(new WorkloadHandle("native", 1, 1, dir.resolve("none.log")), 20)).isEmpty();
        assertThat(backend.logTail(new WorkloadHandle("native", 1, 1, null), 20)).isEmpty();
    }
}
