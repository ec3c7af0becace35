package dev.ota.core.bench;

import dev.ota.core.activate.ActivationEngine;
import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.ProbeSpecs;
import dev.ota.core.probe.Probes;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reuse cost: activating a producer that already runs and is ready (evidence {@code reused_ready}).
 * Target: at most 100 ms of engine time per activation (Maven start-up excluded).
 *
 * <p>{@code @Setup} writes a contract with a producer {@code dev} (the {@code HealthServer} test
 * program, a real native process on a free loopback port, readiness {@code http /health}, interval
 * 100ms) and a consumer {@code sandbox} whose target {@code api} uses {@code ensure_ready}. It starts
 * {@code dev} once through the engine ({@code started_ready}) and checks that a second activation
 * reports {@code reused_ready}. Each operation of {@link #activate} is then what the engine does for
 * one {@code ota:activate} of an already-ready producer: {@link OtaEngine#prepare} (read, load,
 * validate, plan the contract) plus a new {@link ActivationEngine} on a new {@link StateStore} and
 * {@link NativeBackend}, and {@code activate()}. {@code @TearDown} stops the producer through its
 * state record and {@link NativeBackend#stop}, and fails when any process of it is left.
 *
 * <p>The other benchmarks are informational, to show where the time goes: {@link #prepare} alone,
 * the two one-shot probes the reuse path makes ({@link #reachabilityProbe}, {@link #readinessProbe}),
 * and {@link #runServiceActivate}, the whole {@link RunService#activate} (adds the receipt and
 * {@code targets.properties}). Run with {@code ota-core/bench/run.sh -Djmh.args=ActivationReuseBenchmark}.
 *
 * <p>JMH reports the warm steady state (many activations in one JVM). {@link ColdReuseHarness}
 * times the same operation as the first one of a fresh JVM, like a single {@code mvn ota:activate}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
@Warmup(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
public class ActivationReuseBenchmark {

    private static final String PRODUCER = "dev";
    private static final String CONSUMER = "sandbox";
    private static final Duration GRACE = Duration.ofSeconds(5);

    private Path dir;
    private String marker;
    private int port;
    private PlanRequest request;
    private ProbeSpec reach;
    private ProbeSpec ready;
    private RunService.Options runOptions;
    private final List<String> log = new ArrayList<>();

    @Setup(Level.Trial)
    public void startProducer() throws Exception {
        if (!ProcStat.procAvailable() || !new NativeBackend().sessionIsolation()) {
            throw new IllegalStateException("needs Linux /proc and setsid (util-linux)");
        }
        dir = Files.createTempDirectory("ota-reuse-bench");
        marker = "ota-reuse-bench-" + UUID.randomUUID();
        port = Live.freePort();
        request = request(writeContract(dir, port, marker));
        runOptions = new RunService.Options(dir.resolve("target").resolve("ota"), "bench", null, line -> {}, line -> {});

        try {
            TargetActivation first = only(activateOnce(request, log::add));
            if (!"started_ready".equals(first.status())) {
                throw new IllegalStateException("the first activation should start the producer, got " + first.status()
                        + " (" + first.found() + "); log: " + log);
            }
            TargetActivation again = only(activateOnce(request, log::add));
            if (!"reused_ready".equals(again.status()) || again.handle() == null
                    || again.handle().pid() != first.handle().pid()) {
                throw new IllegalStateException("the second activation should reuse pid " + first.handle().pid() + ", got "
                        + again.status() + " (" + again.found() + ")");
            }
        } catch (Exception | Error e) {
            try {
                stopAndDelete(dir, marker); // JMH does not run @TearDown after a failed @Setup
            } catch (Exception | Error cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        reach = ProbeSpecs.reachability(PRODUCER,
                OtaEngine.prepare(request).contract().task(PRODUCER).runtime().listener("http"), "127.0.0.1", port);
        ready = new ProbeSpec(PRODUCER + ".http", ProbeSpec.HTTP, "127.0.0.1", port, "http", "GET", "/health", Map.of(),
                List.of(), null, Duration.ofMillis(100), Duration.ofSeconds(2), 300, Duration.ZERO);
    }

    @TearDown(Level.Trial)
    public void stopProducer() throws IOException, BackendException {
        stopAndDelete(dir, marker);
    }

    /**
     * Stops every producer recorded under {@code dir} (state record + {@link NativeBackend#stop}),
     * fails when a process with {@code marker} is left, and deletes {@code dir}.
     */
    static void stopAndDelete(Path dir, String marker) throws IOException, BackendException {
        try {
            StateStore state = StateStore.forRepo(dir);
            NativeBackend backend = new NativeBackend();
            for (ServiceRecord r : state.list()) {
                if (r.started() && !backend.stop(r.handle(), GRACE)) {
                    throw new IllegalStateException("producer pid " + r.pid() + " did not stop");
                }
                state.delete(r.task());
            }
            List<ProcStat> left = Live.processesWith(marker);
            if (!left.isEmpty()) {
                throw new IllegalStateException("processes left running after teardown: " + left);
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** The target: prepare + a new ActivationEngine's activate() of an already-ready producer. */
    @Benchmark
    public TargetActivation activate() throws Exception {
        TargetActivation a = only(activateOnce(request, line -> {}));
        if (!"reused_ready".equals(a.status())) {
            throw new IllegalStateException("expected reused_ready, got " + a.status() + " (" + a.found() + ")");
        }
        return a;
    }

    /** Informational: OtaEngine.prepare alone (read, load, validate, plan the two-task contract). */
    @Benchmark
    public OtaEngine.Prepared prepare() {
        return OtaEngine.prepare(request);
    }

    /** Informational: the one-shot listener reachability probe (tcp) the reuse path makes first. */
    @Benchmark
    public ProbeAttempt reachabilityProbe() {
        return Probes.of(reach).attempt(1);
    }

    /** Informational: the one-shot readiness probe (http GET /health, new client) the reuse path makes next. */
    @Benchmark
    public ProbeAttempt readinessProbe() {
        return Probes.of(ready).attempt(1);
    }

    /** Informational: all of RunService.activate (adds the receipt and targets.properties). */
    @Benchmark
    public RunService.Result runServiceActivate() throws Exception {
        RunService.Result r = new RunService().activate(request, runOptions);
        if (!r.ok() || r.activations().size() != 1 || !"reused_ready".equals(r.activations().get(0).status())) {
            throw new IllegalStateException("expected one reused_ready activation, got " + r.activations() + ": "
                    + r.message());
        }
        return r;
    }

    /**
     * Writes {@code dir/ota.yaml}: producer {@code dev} (HealthServer on {@code port}, readiness http
     * /health, interval 100ms; {@code marker} in its command line) and consumer {@code sandbox}
     * (target {@code api}, {@code ensure_ready}).
     */
    static Path writeContract(Path dir, int port, String marker) {
        String tasks = "  " + PRODUCER + ":\n"
                + "    run: " + Live.yaml(Live.healthServer(port, 0, marker)) + "\n"
                + "    runtime:\n"
                + "      kind: service\n"
                + "      listeners:\n"
                + "        http: { http: " + port + " }\n"
                + "      readiness: { kind: http, listener: http, path: /health, interval: 100ms, timeout: 2s, retries: 300 }\n"
                + "  " + CONSUMER + ":\n"
                + "    run: \"true\"\n"
                + "    targets:\n"
                + "      api:\n"
                + "        service: { task: " + PRODUCER + ", listener: http }\n"
                + "        activation: { mode: ensure_ready }\n";
        return Live.contract(dir, tasks);
    }

    /** The request that plans {@code sandbox} (and so activates {@code dev}). */
    static PlanRequest request(Path contract) {
        return new PlanRequest(contract, "ota.yaml", CONSUMER, Map.of(), Map.of());
    }

    /** What each operation does: prepare, then a new ActivationEngine (new state store and backend) activates. */
    static List<TargetActivation> activateOnce(PlanRequest request, Consumer<String> logTo) throws Exception {
        return activate(OtaEngine.prepare(request), logTo);
    }

    /** The activation half of {@link #activateOnce}. */
    static List<TargetActivation> activate(OtaEngine.Prepared p, Consumer<String> logTo) throws Exception {
        if (!p.outcome().ok()) {
            throw new IllegalStateException("contract does not plan: " + p.outcome().diagnostics());
        }
        StateStore state = StateStore.forRepo(p.contract().directory());
        NativeBackend backend = new NativeBackend();
        return new ActivationEngine(p.contract(), p.topology(), p.plan(), state, shape -> backend, "bench", logTo,
                new ReadinessWaiter()).activate();
    }

    static TargetActivation only(List<TargetActivation> results) {
        if (results.size() != 1) {
            throw new IllegalStateException("expected one activation, got " + results);
        }
        return results.get(0);
    }
}
