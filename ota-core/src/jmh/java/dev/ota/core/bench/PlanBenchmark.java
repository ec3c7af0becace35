package dev.ota.core.bench;

import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
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
 * Full {@link OtaEngine#plan} of a generated contract (1,000 tasks, 300 targets, 20 shared
 * backends; see {@link ContractGenerator}) from its file: read + parse YAML, load the model,
 * discover and load the org policy, validate every rule, plan every task and shared backend.
 * Target: at most 150 ms per operation. Run with {@code ota-core/bench/run.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 10, time = 2, timeUnit = TimeUnit.SECONDS)
public class PlanBenchmark {

    private Path dir;
    private PlanRequest request;

    @Setup(Level.Trial)
    public void writeContract() throws IOException {
        dir = Files.createTempDirectory("ota-plan-bench");
        ContractGenerator generator = new ContractGenerator();
        Path contract = generator.writeTo(dir);
        request = new PlanRequest(contract, "ota.yaml", null, Map.of(), Map.of());
        // Measure the success path only: a contract that stopped validating would plan nothing.
        PlanOutcome outcome = OtaEngine.plan(request);
        if (!outcome.ok() || outcome.plan().tasks().size() != generator.taskCount()
                || outcome.plan().sharedBackends().size() != generator.sharedBackendCount()) {
            throw new IllegalStateException("generated contract does not plan cleanly: " + outcome.errors());
        }
    }

    @TearDown(Level.Trial)
    public void deleteContract() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Load + validate + plan, from the file on disk. */
    @Benchmark
    public PlanOutcome plan() {
        return OtaEngine.plan(request);
    }
}
