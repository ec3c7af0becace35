package dev.ota.core.bench;

import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

/**
 * Activation overhead (not JMH): how long after a producer's listener becomes ready does the
 * consumer start? Target: median at most 150 ms with {@code interval: 100ms}.
 *
 * <p>Each run starts from a fresh directory (so an empty {@code .ota/state}), writes a contract with
 * a producer {@code dev} ({@link ReadyStampServer} on a free loopback port, readiness
 * {@code http /health}, {@code interval: 100ms}) and a consumer {@code sandbox}
 * ({@code run: date +%s%N > consumer.ns}, target {@code api} with {@code ensure_ready}), and calls
 * the full run path, {@link RunService#run}, on a new {@link RunService}. The producer writes the
 * wall-clock time at which its listener became ready (right after the HTTP server's
 * {@code start()}); the consumer's body writes the wall-clock time at which it ran. Per run:
 * {@code overhead = consumer_start - producer_ready}. Split, from more wall-clock stamps (the
 * producer's first answered request, and two engine log lines stamped on arrival):
 *
 * <ul>
 *   <li>{@code detect} = "{@code dev.http ready after …}" logged − producer ready: readiness
 *       detection latency. It is {@code to-req} (producer ready → the handler of the successful
 *       probe request runs: waiting for the next attempt, or a request already in flight being
 *       dispatched by the still-cold server) + {@code serve} (the producer answers it) +
 *       {@code notice} (the response reaches the engine and the wait returns);
 *   <li>{@code engine} = "{@code running `sandbox`…}" logged − ready logged: bookkeeping between the
 *       activation and the consumer's start (results, thread pool, receipt steps, task runner);
 *   <li>{@code spawn} = consumer start − "{@code running `sandbox`}" logged: starting the body
 *       ({@code setsid}, session check, {@code sh -c}, {@code date}).
 * </ul>
 *
 * {@code probe} is the duration of the successful readiness attempt as the engine measured it.
 * After each run the producer is stopped through its state record and {@link NativeBackend#stop},
 * and the harness fails when any process of it is left.
 *
 * <p>Two series: {@code same} runs all N in this JVM (run 1 also pays for class loading, later runs
 * are warm, like a long-lived build daemon); {@code fresh} runs each in a new JVM (cold, like each
 * {@code mvn ota:run}). Usage:
 * {@code ActivationOverheadHarness [runs] [csv-file] [--jvm=same|fresh|both] [--producer-delay=<ms>]}
 * (default 20 runs, both series, delay 0: the producer listens as soon as its JVM is up; a delay
 * models a producer that needs longer to start). {@code -Doverhead.verbose=true} prints every
 * readiness attempt.
 * See {@code ota-core/bench/run.sh overhead}.
 */
public final class ActivationOverheadHarness {

    private static final Duration GRACE = Duration.ofSeconds(5);
    private static final double TARGET_MS = 150.0;
    private static final String SAMPLE = "SAMPLE ";

    /** {@code -Doverhead.verbose=true}: print every readiness attempt of every run. */
    private static final boolean VERBOSE = Boolean.getBoolean("overhead.verbose");

    /** One run's wall-clock stamps (ns since the epoch) and what the engine reported. */
    record Sample(int run, long producerReady, long requestArrived, long responseSent, long readyLogged,
            long runningLogged, long consumerStart, int attempts, long waitMs, double probeMs, String status) {

        double overheadMs() {
            return ms(consumerStart - producerReady);
        }

        double detectMs() {
            return ms(readyLogged - producerReady);
        }

        double toRequestMs() {
            return ms(requestArrived - producerReady);
        }

        double serveMs() {
            return ms(responseSent - requestArrived);
        }

        double noticeMs() {
            return ms(readyLogged - responseSent);
        }

        double engineMs() {
            return ms(runningLogged - readyLogged);
        }

        double spawnMs() {
            return ms(consumerStart - runningLogged);
        }

        String encode() {
            return run + " " + producerReady + " " + requestArrived + " " + responseSent + " " + readyLogged + " "
                    + runningLogged + " " + consumerStart + " " + attempts + " " + waitMs + " " + probeMs + " " + status;
        }

        static Sample decode(String s) {
            String[] f = s.trim().split(" ");
            return new Sample(Integer.parseInt(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), Long.parseLong(f[6]), Integer.parseInt(f[7]),
                    Long.parseLong(f[8]), Double.parseDouble(f[9]), f[10]);
        }
    }

    private record Column(String name, ToDoubleFunction<Sample> value) {}

    private static final List<Column> COLUMNS = List.of(
            new Column("overhead", Sample::overheadMs),
            new Column("detect", Sample::detectMs),
            new Column("to-req", Sample::toRequestMs),
            new Column("serve", Sample::serveMs),
            new Column("notice", Sample::noticeMs),
            new Column("engine", Sample::engineMs),
            new Column("spawn", Sample::spawnMs),
            new Column("probe", Sample::probeMs));

    private ActivationOverheadHarness() {}

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        String jvm = "both";
        long delayMs = 0;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--one")) { // internal: one run in this (fresh) JVM, for --jvm=fresh
                System.out.println(SAMPLE + runOnce(Integer.parseInt(args[i + 1]), classesDir(),
                        Long.parseLong(args[i + 2])).encode());
                return;
            } else if (args[i].startsWith("--producer-delay=")) {
                delayMs = Long.parseLong(args[i].substring("--producer-delay=".length()));
            } else if (args[i].startsWith("--jvm=")) {
                jvm = args[i].substring("--jvm=".length());
            } else if (!args[i].isBlank()) {
                positional.add(args[i]);
            }
        }
        int runs = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 20;
        Path csv = positional.size() > 1 ? Path.of(positional.get(1)) : null;
        if (!List.of("same", "fresh", "both").contains(jvm)) {
            throw new IllegalArgumentException("--jvm=same, --jvm=fresh or --jvm=both, not --jvm=" + jvm);
        }
        if (!ProcStat.procAvailable() || !new NativeBackend().sessionIsolation()) {
            throw new IllegalStateException("needs Linux /proc and setsid (util-linux)");
        }
        PrintStream out = System.out;
        StringBuilder csvText = new StringBuilder("jvm,run,overhead_ms,detect_ms,to_request_ms,serve_ms,notice_ms,engine_ms,"
                + "spawn_ms,probe_ms,attempts,wait_ms,evidence\n");
        List<String> verdicts = new ArrayList<>();
        for (String series : jvm.equals("both") ? List.of("same", "fresh") : List.of(jvm)) {
            out.printf(Locale.ROOT, "%nactivation overhead, %s JVM: %d runs, producer readiness http /health, interval 100ms,"
                    + " producer listens %d ms after its JVM is up%n", series, runs, delayMs);
            out.printf(Locale.ROOT, "%4s", "run");
            COLUMNS.forEach(c -> out.printf(Locale.ROOT, " %9s", c.name()));
            out.printf(Locale.ROOT, " %8s %7s  %s   (all times in ms)%n", "attempts", "wait", "evidence");
            List<Sample> samples = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                Sample s = series.equals("same") ? runOnce(i, classesDir(), delayMs) : runInFreshJvm(i, delayMs);
                samples.add(s);
                out.printf(Locale.ROOT, "%4d", s.run());
                COLUMNS.forEach(c -> out.printf(Locale.ROOT, " %9.1f", c.value().applyAsDouble(s)));
                out.printf(Locale.ROOT, " %8d %7d  %s%n", s.attempts(), s.waitMs(), s.status());
                csvText.append(series).append(',').append(s.run());
                COLUMNS.forEach(c -> csvText.append(String.format(Locale.ROOT, ",%.3f", c.value().applyAsDouble(s))));
                csvText.append(',').append(s.attempts()).append(',').append(s.waitMs()).append(',').append(s.status())
                        .append('\n');
            }
            out.printf(Locale.ROOT, "%n%-9s %8s %8s %8s %8s %8s%n", series + " JVM", "median", "p90", "min", "max", "mean");
            for (Column c : COLUMNS) {
                summary(out, c.name(), samples.stream().mapToDouble(c.value()).toArray());
            }
            if (series.equals("same") && runs > 1) {
                summary(out, "overhead*", samples.stream().skip(1).mapToDouble(Sample::overheadMs).toArray());
                out.println("(* without run 1, which also paid for class loading in this JVM)");
            }
            double median = percentile(samples.stream().mapToDouble(Sample::overheadMs).toArray(), 50);
            verdicts.add(String.format(Locale.ROOT, "%s JVM: median overhead %.1f ms, target <= %.0f ms: %s", series, median,
                    TARGET_MS, median <= TARGET_MS ? "MET" : "MISSED"));
        }
        out.println();
        verdicts.forEach(out::println);
        if (csv != null) {
            if (csv.getParent() != null) {
                Files.createDirectories(csv.getParent());
            }
            Files.writeString(csv, csvText.toString(), StandardCharsets.UTF_8);
            out.println("per-run figures: " + csv.getFileName());
        }
    }

    /** One run in a new JVM (same class path, default JVM options), which prints its sample. */
    private static Sample runInFreshJvm(int run, long delayMs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        if (VERBOSE) {
            command.add("-Doverhead.verbose=true");
        }
        command.addAll(List.of(ActivationOverheadHarness.class.getName(), "--one", Integer.toString(run),
                Long.toString(delayMs)));
        Process p = new ProcessBuilder(command).redirectInput(Redirect.from(new java.io.File("/dev/null")))
                .redirectError(Redirect.INHERIT).start();
        Sample sample = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(SAMPLE)) {
                    sample = Sample.decode(line.substring(SAMPLE.length()));
                } else {
                    System.out.println(line);
                }
            }
        }
        int rc = p.waitFor();
        if (rc != 0 || sample == null) {
            throw new IllegalStateException("run " + run + " in a fresh JVM failed (exit code " + rc + ")");
        }
        return sample;
    }

    private static Sample runOnce(int run, String classes, long delayMs) throws Exception {
        Path dir = Files.createTempDirectory("ota-overhead-bench");
        String marker = "ota-overhead-bench-" + UUID.randomUUID();
        int port = Live.freePort();
        Path producerStamp = dir.resolve("producer.ns");
        Path servedStamp = dir.resolve("producer.ns.served");
        Path consumerStamp = dir.resolve("consumer.ns");
        String server = "exec " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx64m -cp " + classes + " " + ReadyStampServer.class.getName()
                + " " + port + " " + producerStamp + " " + delayMs + " " + marker;
        String tasks = "  dev:\n"
                + "    run: " + Live.yaml(server) + "\n"
                + "    runtime:\n"
                + "      kind: service\n"
                + "      listeners:\n"
                + "        http: { http: " + port + " }\n"
                + "      readiness: { kind: http, listener: http, path: /health, interval: 100ms, timeout: 2s, retries: 300 }\n"
                + "  sandbox:\n"
                + "    run: " + Live.yaml("date +%s%N > consumer.ns") + "\n"
                + "    targets:\n"
                + "      api:\n"
                + "        service: { task: dev, listener: http }\n"
                + "        activation: { mode: ensure_ready }\n";
        Path contract = Live.contract(dir, tasks);
        List<String[]> log = new CopyOnWriteArrayList<>();
        List<String> output = new CopyOnWriteArrayList<>();
        RunService.Options options = new RunService.Options(dir.resolve("target").resolve("ota"), "bench-overhead", null,
                line -> log.add(new String[] {Long.toString(wallNanos()), line}), output::add);
        RunService.Result result = null;
        try {
            result = new RunService().run(new PlanRequest(contract, "ota.yaml", "sandbox", Map.of(), Map.of()), options);
            if (!result.ok()) {
                throw new IllegalStateException("run " + run + " failed: " + result.message() + "; log: " + lines(log));
            }
            TargetActivation a = result.activations().get(0);
            if (!"started_ready".equals(a.status())) {
                throw new IllegalStateException("run " + run + ": expected started_ready, got " + a.status());
            }
            long readyLogged = stamp(log, " ready after ");
            long runningLogged = stamp(log, "running `sandbox`");
            List<ProbeAttempt> history = a.readiness() == null ? List.of() : a.readiness().history();
            if (VERBOSE) {
                history.forEach(h -> System.out.printf(Locale.ROOT, "       run %d attempt %d: %s (%.1f ms)%n", run, h.number(),
                        h.detail(), h.elapsed().toNanos() / 1e6));
            }
            String[] served = awaitFile(servedStamp).trim().split(" ");
            return new Sample(run, Long.parseLong(awaitFile(producerStamp).trim()), Long.parseLong(served[0]),
                    Long.parseLong(served[1]), readyLogged, runningLogged, Long.parseLong(awaitFile(consumerStamp).trim()),
                    a.readiness() == null ? 0 : a.readiness().attempts(),
                    a.readiness() == null ? 0 : a.readiness().elapsed().toMillis(),
                    history.isEmpty() ? 0 : history.get(history.size() - 1).elapsed().toNanos() / 1e6, a.status());
        } finally {
            stopAll(dir, result);
            List<ProcStat> left = Live.processesWith(marker);
            if (!left.isEmpty()) {
                throw new IllegalStateException("run " + run + ": processes left running: " + left);
            }
            delete(dir);
        }
    }

    /** Stops what the run started and whatever else the state dir recorded, and forgets the records. */
    private static void stopAll(Path dir, RunService.Result result) throws BackendException {
        NativeBackend backend = new NativeBackend();
        StateStore state = StateStore.forRepo(dir);
        if (result != null) {
            for (TargetActivation a : result.started()) {
                if (!backend.stop(a.handle(), GRACE)) {
                    throw new IllegalStateException("producer pid " + a.handle().pid() + " did not stop");
                }
                state.delete(a.producer());
            }
        }
        for (ServiceRecord r : state.list()) {
            if (r.started() && !backend.stop(r.handle(), GRACE)) {
                throw new IllegalStateException("producer pid " + r.pid() + " did not stop");
            }
            state.delete(r.task());
        }
    }

    /** The file's text, waiting up to 5 s for it to appear (the producer writes its stamps asynchronously). */
    private static String awaitFile(Path file) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no " + file.getFileName() + " written");
            }
            Thread.sleep(10);
        }
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static long stamp(List<String[]> log, String text) {
        return log.stream().filter(l -> l[1].contains(text)).mapToLong(l -> Long.parseLong(l[0])).findFirst()
                .orElseThrow(() -> new IllegalStateException("no log line with '" + text + "' in " + lines(log)));
    }

    private static List<String> lines(List<String[]> log) {
        return log.stream().map(l -> l[1]).toList();
    }

    private static long wallNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    /** Nearest-rank percentile; the median of an even count is the mean of the two middle values. */
    static double percentile(double[] values, double p) {
        double[] v = values.clone();
        Arrays.sort(v);
        if (p == 50 && v.length % 2 == 0) {
            return (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
        }
        int rank = (int) Math.ceil(p / 100.0 * v.length);
        return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
    }

    private static void summary(PrintStream out, String name, double[] v) {
        out.printf(Locale.ROOT, "%-9s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name, percentile(v, 50), percentile(v, 90),
                Arrays.stream(v).min().orElse(0), Arrays.stream(v).max().orElse(0), Arrays.stream(v).average().orElse(0));
    }

    /** The directory (or jar) {@link ReadyStampServer} was loaded from: the producer's class path. */
    private static String classesDir() throws URISyntaxException {
        return Path.of(ReadyStampServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
