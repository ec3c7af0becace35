package dev.ota.core.run;

import static dev.ota.core.activate.Live.yaml;
import static dev.ota.core.backend.nativeproc.Procs.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.core.activate.ActivationEngine;
import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The task runner with real {@code sh -c} bodies: order, env, exit codes, literal inputs, interrupts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TaskRunnerTest {

    @TempDir
    Path dir;

    String marker;
    NativeBackend backend;
    Procs procs;
    final List<String> output = new CopyOnWriteArrayList<>();
    final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(ProcStat.procAvailable(), "needs Linux /proc");
    }

    @BeforeEach
    void setUp() {
        marker = "ota-run-" + UUID.randomUUID();
        backend = new NativeBackend(Duration.ofSeconds(2));
        assumeTrue(backend.sessionIsolation(), "needs setsid (util-linux)");
        procs = new Procs();
    }

    @AfterEach
    void tearDown() throws Exception {
        StateStore state = new StateStore(dir.resolve(".ota").resolve("state"));
        for (ServiceRecord r : state.list()) {
            if (r.started()) {
                try {
                    backend.stop(r.handle(), Duration.ofSeconds(5));
                } catch (BackendException e) {
                    // the pid belongs to another process now: nothing of ours to stop
                }
            }
            state.delete(r.task());
        }
        procs.close();
        Live.assertNoneLeft(marker);
    }

    private Path contract(String tasks) {
        return Live.contract(dir, tasks);
    }

    private TaskRunner runner(OtaEngine.Prepared p) {
        return new TaskRunner(p.contract(), p.topology(), p.plan(), shape -> backend, output::add, log::add);
    }

    private List<TaskExecution> run(Path file, String task, Map<String, String> inputs) throws Exception {
        return runner(Live.prepare(file, task, inputs)).run(task);
    }

    @Test
    void dependenciesRunFirstInOrderEachOnce() throws Exception {
        Path file = contract("""
                  c:
                    run: echo c >> order.txt
                  b:
                    depends_on: [c]
                    run: echo b >> order.txt
                  a:
                    depends_on: [b, c]
                    run: echo a >> order.txt
                """);

        List<TaskExecution> done = run(file, "a", Map.of());

        assertThat(done).extracting(TaskExecution::task).containsExactly("c", "b", "a");
        assertThat(done).extracting(TaskExecution::relation).containsExactly("depends_on", "depends_on", "requested");
        assertThat(done).allMatch(TaskExecution::succeeded);
        assertThat(Files.readAllLines(dir.resolve("order.txt"))).containsExactly("c", "b", "a");
        assertThat(runner(Live.prepare(file, "a", Map.of())).order("a")).containsExactly("c", "b", "a");
    }

    @Test
    void theBodyGetsTaskEnvTargetsAndInputsAndRunsInTheContractDirectory() throws Exception {
        int port = Live.freePort();
        Path file = contract("""
                  api:
                    run: exec sleep 300
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                  show:
                    env: { GREETING: hello }
                    inputs:
                      name: { default: world }
                      flavour: {}
                    targets:
                      api: { service: { task: api, listener: http } }
                    run: 'echo "api=$OTA_TARGET_API"; echo "name=$OTA_INPUT_NAME"; echo "flavour=$OTA_INPUT_FLAVOUR"; echo "greeting=$GREETING"; echo "pwd=$(pwd -P)"'
                """.formatted(port));

        List<TaskExecution> done = run(file, "show", Map.of("flavour", "mint"));

        assertThat(done).extracting(TaskExecution::exitCode).containsExactly(0);
        assertThat(output).containsExactly(
                "api=http://127.0.0.1:" + port + "/",
                "name=world",
                "flavour=mint",
                "greeting=hello",
                "pwd=" + dir.toRealPath());
        assertThat(log).anyMatch(l -> l.startsWith("running `show`"));
    }

    @Test
    void anOverriddenTargetReachesTheBodyThroughItsInputAndTheTargetVariable() throws Exception {
        int port = Live.freePort();
        Path file = contract("""
                  api:
                    run: exec sleep 300
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                  show:
                    inputs:
                      base_url: {}
                    targets:
                      api:
                        service: { task: api, listener: http }
                        override_input: base_url
                        activation: { mode: ensure_ready }
                    run: 'echo "input=$OTA_INPUT_BASE_URL"; echo "target=$OTA_TARGET_API"'
                """.formatted(port));
        OtaEngine.Prepared p = Live.prepare(file, "show", Map.of("base_url", "http://127.0.0.1:1/elsewhere"));
        assertThat(p.plan().activationSteps()).as("the explicit override skips activation").isEmpty();

        runner(p).run("show");

        assertThat(output).containsExactly("input=http://127.0.0.1:1/elsewhere", "target=http://127.0.0.1:1/elsewhere");
        assertThat(Live.processesWith(marker)).isEmpty();
    }

    @Test
    void aFailingBodyFailsWithItsExitCode() throws Exception {
        Path file = contract("""
                  broken:
                    run: 'echo about to fail; exit 7'
                """);

        assertThatThrownBy(() -> run(file, "broken", Map.of()))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.getMessage()).contains("`broken`").contains("exit code 7");
                    assertThat(e.failed().task()).isEqualTo("broken");
                    assertThat(e.failed().exitCode()).isEqualTo(7);
                    assertThat(e.executions()).extracting(TaskExecution::task).containsExactly("broken");
                });
        assertThat(output).containsExactly("about to fail");
    }

    @Test
    void aFailingDependencyStopsTheChainBeforeTheRequestedBody() throws Exception {
        Path file = contract("""
                  setup:
                    run: 'exit 4'
                  main:
                    depends_on: [setup]
                    run: 'touch main-ran'
                """);

        assertThatThrownBy(() -> run(file, "main", Map.of()))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.getMessage()).contains("`setup`").contains("exit code 4").contains("dependency of `main`");
                    assertThat(e.failed().exitCode()).isEqualTo(4);
                    assertThat(e.failed().relation()).isEqualTo("depends_on");
                });
        assertThat(dir.resolve("main-ran")).doesNotExist();
    }

    @Test
    void anInputWithShellMetacharactersReachesTheBodyAsALiteral() throws Exception {
        Path pwned = dir.resolve("pwned");
        String value = "'; touch " + pwned + "; ' $(touch " + pwned + "2) `touch " + pwned + "3` \"; touch "
                + pwned + "4; \" && touch " + pwned + "5 | $HOME *";
        Path file = contract("""
                  echo:
                    inputs:
                      x: { required: true }
                    run: 'printf "%s" "$OTA_INPUT_X" > value.txt; echo "got: $OTA_INPUT_X"'
                """);

        run(file, "echo", Map.of("x", value));

        assertThat(Files.readString(dir.resolve("value.txt"), StandardCharsets.UTF_8)).isEqualTo(value);
        assertThat(output).containsExactly("got: " + value);
        for (String suffix : List.of("", "2", "3", "4", "5")) {
            assertThat(dir.resolve("pwned" + suffix)).doesNotExist();
        }
    }

    @Test
    void interruptingTheRunStopsTheBodysWholeProcessTree() throws Exception {
        Path file = contract("""
                  long:
                    run: %s
                """.formatted(yaml("sh -c 'sleep 300; : " + marker + "' & sleep 300 & echo started; wait # " + marker)));
        TaskRunner runner = runner(Live.prepare(file, "long", Map.of()));
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread build = new Thread(() -> {
            try {
                runner.run("long");
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "interrupted-run");
        build.start();
        await(() -> output.contains("started"), Duration.ofSeconds(20), "the body to start");
        // the body's shell (leader of its own session) and the nested shell, each with a sleep
        await(() -> Live.processesWith(marker).size() == 2 && Procs.tree(leader()).size() == 4, Duration.ofSeconds(20),
                "sh, sh, sleep, sleep");
        List<ProcStat> tree = Procs.tree(leader());
        tree.forEach(s -> procs.track(s.pid()));
        assertThat(tree).extracting(ProcStat::comm).containsExactlyInAnyOrder("sh", "sh", "sleep", "sleep");

        build.interrupt();
        build.join(TimeUnit.SECONDS.toMillis(30));

        assertThat(build.isAlive()).isFalse();
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        for (ProcStat s : tree) {
            await(() -> Procs.gone(s), Duration.ofSeconds(10), "pid " + s.pid() + " (" + s.comm() + ") stopped");
        }
        assertThat(Live.processesWith(marker)).isEmpty();
    }

    /** The session leader among the marked processes: the body's own shell. */
    private long leader() {
        return Live.processesWith(marker).stream().filter(s -> s.session() == s.pid()).mapToLong(ProcStat::pid)
                .findFirst().orElse(-1);
    }

    @Test
    void activationThenTheConsumerBodyReachesTheProducer() throws Exception {
        int port = Live.freePort();
        Path file = contract("""
                  dev:
                    run: %s
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, timeout: 2s, retries: 300 }
                  app:
                    targets:
                      api:
                        service: { task: dev, listener: http }
                        activation: { mode: ensure_ready }
                    run: %s
                """.formatted(yaml(Live.healthServer(port, 2, marker)), port, yaml(Live.httpGet("\"${OTA_TARGET_API}health\""))));
        OtaEngine.Prepared p = Live.prepare(file, "app", Map.of());
        StateStore state = new StateStore(dir.resolve(".ota").resolve("state"));
        List<TargetActivation> activated = new ActivationEngine(p.contract(), p.topology(), p.plan(), state,
                shape -> backend, "build-1", log::add, new ReadinessWaiter()).activate();
        assertThat(activated).extracting(TargetActivation::status).containsExactly("started_ready");

        List<TaskExecution> done = runner(p).run("app");

        assertThat(done).extracting(TaskExecution::exitCode).containsExactly(0);
        assertThat(output).containsExactly("200 UP");
    }
}
