package dev.ota.core.bench;

import dev.ota.core.activate.Live;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Reuse cost in a cold JVM (not JMH; informational, next to {@link ActivationReuseBenchmark}).
 * Starts the benchmark's producer once through the engine, then N times starts a new JVM that
 * times {@link ActivationReuseBenchmark#activateOnce} (prepare + a new ActivationEngine's
 * activate(), which must report {@code reused_ready}) twice, each split into prepare and activate:
 * the first call is what one
 * {@code mvn ota:activate} pays on top of Maven's own start-up (ota-core and the JDK HTTP client are
 * still cold), the second shows the same JVM once those classes are loaded. Finally stops the
 * producer and fails when any process of it is left.
 *
 * <p>Usage: {@code ColdReuseHarness [runs]} (default 10); see {@code ota-core/bench/run.sh cold-reuse}.
 */
public final class ColdReuseHarness {

    private static final String RESULT = "COLD ";

    private ColdReuseHarness() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("--child")) {
            PlanRequest request = ActivationReuseBenchmark.request(Path.of(args[1]));
            StringBuilder line = new StringBuilder(RESULT);
            for (int i = 0; i < 2; i++) {
                long t0 = System.nanoTime();
                OtaEngine.Prepared prepared = OtaEngine.prepare(request);
                long t1 = System.nanoTime();
                TargetActivation a = ActivationReuseBenchmark.only(ActivationReuseBenchmark.activate(prepared, l -> {}));
                long t2 = System.nanoTime();
                line.append(String.format(Locale.ROOT, "%.3f %.3f %.3f %s ", (t2 - t0) / 1e6, (t1 - t0) / 1e6,
                        (t2 - t1) / 1e6, a.status()));
            }
            System.out.println(line.toString().trim());
            return;
        }
        int runs = args.length > 0 && !args[0].isBlank() ? Integer.parseInt(args[0]) : 10;
        if (!ProcStat.procAvailable() || !new NativeBackend().sessionIsolation()) {
            throw new IllegalStateException("needs Linux /proc and setsid (util-linux)");
        }
        Path dir = Files.createTempDirectory("ota-cold-reuse-bench");
        String marker = "ota-cold-reuse-bench-" + UUID.randomUUID();
        try {
            Path contract = ActivationReuseBenchmark.writeContract(dir, Live.freePort(), marker);
            TargetActivation first = ActivationReuseBenchmark.only(
                    ActivationReuseBenchmark.activateOnce(ActivationReuseBenchmark.request(contract), l -> {}));
            if (!"started_ready".equals(first.status())) {
                throw new IllegalStateException("the producer did not start: " + first.status() + " (" + first.found() + ")");
            }
            System.out.printf(Locale.ROOT, "reuse cost in a fresh JVM: %d runs (prepare + activate, evidence reused_ready)%n",
                    runs);
            System.out.printf(Locale.ROOT, "%4s %10s %10s %10s %10s %10s %10s   (ms; total = prepare + activate)%n", "run",
                    "1st total", "prepare", "activate", "2nd total", "prepare", "activate");
            List<double[]> rows = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                String[] f = child(contract).split(" ");
                if (!"reused_ready".equals(f[3]) || !"reused_ready".equals(f[7])) {
                    throw new IllegalStateException("run " + i + ": expected reused_ready twice, got " + f[3] + ", " + f[7]);
                }
                double[] row = {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Double.parseDouble(f[6])};
                rows.add(row);
                System.out.printf(Locale.ROOT, "%4d %10.1f %10.1f %10.1f %10.1f %10.1f %10.1f%n", i, row[0], row[1], row[2],
                        row[3], row[4], row[5]);
            }
            System.out.printf(Locale.ROOT, "%n%-13s %8s %8s %8s %8s %8s%n", "", "median", "p90", "min", "max", "mean");
            String[] names = {"1st total", "1st prepare", "1st activate", "2nd total", "2nd prepare", "2nd activate"};
            for (int c = 0; c < names.length; c++) {
                int col = c;
                summary(names[c], rows.stream().mapToDouble(r -> r[col]).toArray());
            }
        } finally {
            ActivationReuseBenchmark.stopAndDelete(dir, marker);
        }
    }

    private static String child(Path contract) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), ColdReuseHarness.class.getName(), "--child", contract.toString())
                .redirectInput(Redirect.from(new File("/dev/null"))).redirectError(Redirect.INHERIT).start();
        String result = null;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(RESULT)) {
                    result = line.substring(RESULT.length());
                } else {
                    System.out.println(line);
                }
            }
        }
        if (p.waitFor() != 0 || result == null) {
            throw new IllegalStateException("the child JVM failed (exit code " + p.exitValue() + ")");
        }
        return result;
    }

    private static void summary(String name, double[] v) {
        System.out.printf(Locale.ROOT, "%-13s %8.1f %8.1f %8.1f %8.1f %8.1f%n", name,
                ActivationOverheadHarness.percentile(v, 50), ActivationOverheadHarness.percentile(v, 90),
                java.util.Arrays.stream(v).min().orElse(0), java.util.Arrays.stream(v).max().orElse(0),
                java.util.Arrays.stream(v).average().orElse(0));
    }
}
