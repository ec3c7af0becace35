package dev.ota.core.bench;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.remote.RemoteBackend;
import dev.ota.core.backend.remote.RemoteEndpoint;
import dev.ota.core.backend.remote.RemoteShell;
import dev.ota.core.backend.remote.SshShell;
import dev.ota.core.backend.remote.SshTestHost;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.model.RemoteSettings;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.state.StateStore;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Reuse of a ready remote producer against a fresh {@code ssh host true} (not JMH). Target: the
 * median reuse costs at most twice the median OpenSSH round trip.
 *
 * <p>Starts an {@link SshTestHost} (a real sshd alone in a network namespace; needs root), writes a
 * contract with a remote producer {@code dev} (busybox httpd on the namespace's 127.0.0.1, tcp
 * readiness) bound to the shared remote backend {@code workbench}, and a consumer {@code use} on
 * the same backend whose target {@code api} is {@code internal} with {@code ensure_ready}, plus a
 * second project whose producer has http readiness. Activates {@code use} of each once
 * ({@code started_ready}), then times, interleaved, after the warm-ups:
 *
 * <ul>
 *   <li>{@code ssh}: a fresh OpenSSH client, {@code ssh -F <home>/.ssh/config -o
 *       UserKnownHostsFile=<home>/.ssh/known_hosts -o BatchMode=yes devbox true}, a new process
 *       each time (start to exit); {@code ssh_curve25519}: the same with
 *       {@code -o KexAlgorithms=curve25519-sha256}, the key exchange sshj negotiates;
 *   <li>{@code activate}: {@code new RunService(RunService.defaultBackends(env), ...).activate(use)} in
 *       this JVM, which must report {@code reused_ready} every time: prepare the contract, one SSH
 *       connection (the operation releases it at its end), the boundary's prepare script, the state
 *       record's remote STAT, one tcp probe through {@code direct-tcpip}, the receipt;
 *   <li>{@code transport}: the bare transport part of it, {@code new SshShell(...)}, {@code connect()},
 *       one {@code probe(...).attempt(1)} (must be ready), {@code close()}, split into those three;
 *   <li>{@code activate_http_readiness} (informational): {@code activate} of the http-readiness
 *       project, whose one probe is a {@code GET} (no tcp read window);
 *   <li>{@code phases} (informational): the same activation as {@code activate}, through a backend
 *       provider that builds the same {@link RemoteBackend} over a timing wrapper of the
 *       {@link SshShell}, split into connect, each remote command, the probe, the close and the
 *       rest (engine, receipt).
 * </ul>
 *
 * <p>Each series runs under two conditions, each with its own sshd: {@code rc}, the account's login
 * shell as it is (bash run by sshd sources {@code ~/.bashrc} for every command), and {@code no-rc},
 * where sshd sets {@code SHLVL=1} so that bash skips it. Prints a table per condition (median, p90,
 * min, max, ratios of medians) and the machine, and writes every sample and the summary as JSON,
 * and the samples as CSV next to it.
 *
 * <p>Usage: {@code RemoteReuseHarness [runs] [result.json] [--warmup=N] [--port=P] [--shell=rc|no-rc|both]}
 * (defaults 30, {@code target/remote-reuse-result.json}, 3, 18190, both); see
 * {@code ota-core/bench/run.sh remote-reuse}.
 */
public final class RemoteReuseHarness {

    private static final String PRODUCER = "dev";
    private static final String CONSUMER = "use";

    private RemoteReuseHarness() {}

    /** How the test sshd runs each session's login shell. */
    record Condition(String name, String description, List<String> sshdConfig) {}

    static final Condition RC = new Condition("rc", "the account's login shell as it is: bash, run by sshd, sources"
            + " ~/.bashrc for every command (Debian's SSH_SOURCE_BASHRC)", List.of());
    static final Condition NO_RC = new Condition("no-rc", "sshd sets SHLVL=1 for every session (SetEnv), so bash skips"
            + " ~/.bashrc: a remote account with a light shell start", List.of("SetEnv SHLVL=1"));

    public static void main(String[] args) throws Exception {
        List<String> positional = new ArrayList<>();
        int warmup = 3;
        int port = 18190;
        String shell = "both";
        for (String a : args) {
            if (a.startsWith("--warmup=")) {
                warmup = Integer.parseInt(a.substring("--warmup=".length()));
            } else if (a.startsWith("--port=")) {
                port = Integer.parseInt(a.substring("--port=".length()));
            } else if (a.startsWith("--shell=")) {
                shell = a.substring("--shell=".length());
            } else if (!a.isBlank()) {
                positional.add(a);
            }
        }
        int runs = positional.isEmpty() ? 30 : Integer.parseInt(positional.get(0));
        Path result = Path.of(positional.size() > 1 ? positional.get(1) : "target/remote-reuse-result.json");
        List<Condition> conditions = switch (shell) {
            case "both" -> List.of(RC, NO_RC);
            case "rc" -> List.of(RC);
            case "no-rc" -> List.of(NO_RC);
            default -> throw new IllegalArgumentException("--shell=rc|no-rc|both, not " + shell);
        };
        if (!isRoot()) {
            throw new IllegalStateException("RemoteReuseHarness needs root: it starts sshd in a network namespace of its own"
                    + " (SshTestHost; also iproute2 and openssh-server, see .ci/ssh-prereqs.sh). Run it as root.");
        }
        Map<String, Object> machine = machine();
        machine.put("loadavg_before", loadAverage());
        Map<Condition, Map<String, double[]>> results = new LinkedHashMap<>();
        for (Condition c : conditions) {
            Path dir = Files.createTempDirectory("ota-remote-reuse-bench");
            try (SshTestHost host = SshTestHost.start(dir.resolve("sshd"), c.sshdConfig())) {
                System.out.printf(Locale.ROOT, "%n== %s: %s%n", c.name(), c.description());
                Map<String, double[]> series = new RemoteReuseHarness().run(host, dir.resolve("project"), port, runs, warmup);
                summary(series);
                results.put(c, series);
            } finally {
                deleteTree(dir);
            }
        }
        machine.put("loadavg_after", loadAverage());
        System.out.println();
        for (Map.Entry<Condition, Map<String, double[]>> e : results.entrySet()) {
            double ssh = median(e.getValue().get("ssh"));
            double curve = median(e.getValue().get("ssh_curve25519"));
            double b = median(e.getValue().get("activate"));
            double c = median(e.getValue().get("transport"));
            System.out.printf(Locale.ROOT, "%-6s b/a = %.2f (%s), c/a = %.2f (%s); against a' (same kex as sshj): b/a' = %.2f,"
                    + " c/a' = %.2f; target ≤ 2%n", e.getKey().name(), b / ssh, b / ssh <= 2 ? "met" : "not met", c / ssh,
                    c / ssh <= 2 ? "met" : "not met", b / curve, c / curve);
        }
        System.out.println("machine: " + machine);
        write(results, machine, runs, warmup, result);
    }

    // ---- the run --------------------------------------------------------------------------------

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    private Map<String, double[]> run(SshTestHost host, Path project, int port, int runs, int warmup) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("HOME", host.home().toString());
        env.remove("SSH_AUTH_SOCK");
        // the measured contract (tcp readiness), and the same with http readiness (informational)
        Path projectHttp = project.resolveSibling(project.getFileName() + "-http");
        PlanRequest request = project(project, port, "tcp");
        PlanRequest requestHttp = project(projectHttp, port + 2, "http");
        RunService.Options options = options(project);
        RunService.Options optionsHttp = options(projectHttp);
        try {
            for (PlanRequest r : List.of(request, requestHttp)) {
                String first = activate(new RunService(RunService.defaultBackends(env), new ReadinessWaiter()), r,
                        r == request ? options : optionsHttp);
                if (!"started_ready".equals(first)) {
                    throw new IllegalStateException("the remote producer did not start: " + first + "\n"
                            + String.join("\n", log));
                }
            }
            if (Integer.getInteger("remoteReuse.hold", 0) > 0) {
                System.out.println("HOLD " + host.home() + " " + host.namespace());
                Thread.sleep(Integer.getInteger("remoteReuse.hold") * 1000L);
            }
            List<String> sshArgv = sshArgv(host, null);
            List<String> sshCurveArgv = sshArgv(host, SSHJ_KEX);
            RemoteEndpoint endpoint = new RemoteEndpoint("ssh", host.alias(), project.toString(), null, null);
            ProbeSpec probe = ProbeSpec.reachability(PRODUCER + ".http", "127.0.0.1", port);

            System.out.printf(Locale.ROOT, "`%s`: %d runs after %d warm-ups, the series interleaved%n",
                    String.join(" ", sshArgv).replace(host.home().toString(), "<home>"), runs, warmup);
            System.out.printf(Locale.ROOT, "%4s %9s %9s %9s %9s %9s %9s | %8s %8s %8s %8s %8s %8s   (ms)%n", "run", "ssh",
                    "ssh-c25519", "activate", "transport", "act-http", "phases", "connect", "prepare", "stat", "probe", "close",
                    "rest");
            List<double[]> rows = new ArrayList<>();
            for (int i = 1 - warmup; i <= runs; i++) {
                double ssh = ssh(sshArgv, env);
                double sshCurve = ssh(sshCurveArgv, env);
                double activate = timedActivate(env, request, options);
                double[] transport = transport(endpoint, env, probe);
                double activateHttp = timedActivate(env, requestHttp, optionsHttp);
                Phases ph = new Phases();
                double phased = phasedActivate(env, ph, request, options);
                double rest = phased - ph.connect - ph.prepare - ph.stat - ph.probe - ph.close;
                double[] row = {ssh, sshCurve, activate, transport[0], transport[1], transport[2], transport[3], activateHttp,
                    phased, ph.connect,
                    ph.prepare, ph.stat, ph.probe, ph.close, rest};
                System.out.printf(Locale.ROOT, "%4s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f | %8.1f %8.1f %8.1f %8.1f %8.1f %8.1f%n",
                        i <= 0 ? "w" + (i + warmup) : Integer.toString(i), ssh, sshCurve, activate, transport[0], activateHttp,
                        phased, ph.connect,
                        ph.prepare, ph.stat, ph.probe, ph.close, rest);
                if (i > 0) {
                    rows.add(row);
                }
            }
            Map<String, double[]> series = new LinkedHashMap<>();
            for (int c = 0; c < SERIES.length; c++) {
                int col = c;
                series.put(SERIES[c], rows.stream().mapToDouble(r -> r[col]).toArray());
            }
            return series;
        } finally {
            for (Path p : List.of(project, projectHttp)) {
                RunService.Result clean = new RunService(RunService.defaultBackends(env), new ReadinessWaiter())
                        .clean(new PlanRequest(p.resolve("ota.yaml"), "ota.yaml", null, Map.of(), Map.of()), options(p));
                if (!clean.ok()) {
                    System.err.println("clean failed (the namespace is removed anyway): " + clean.message());
                }
            }
        }
    }

    /** Writes the contract and the producer's www/ into {@code dir}; the request activates the consumer. */
    private static PlanRequest project(Path dir, int port, String readiness) throws IOException {
        Files.createDirectories(dir.resolve("www"));
        Files.writeString(dir.resolve("www/health.txt"), "ok\n");
        Files.writeString(dir.resolve("ota.yaml"), contract(dir, port, readiness), StandardCharsets.UTF_8);
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", CONSUMER, Map.of(), Map.of());
    }

    private RunService.Options options(Path dir) {
        return new RunService.Options(dir.resolve("target/ota"), "remote-reuse-bench", null, log::add, log::add);
    }

    /** The key exchange sshj negotiates with OpenSSH 9 (it has no sntrup761x25519, OpenSSH's default). */
    static final String SSHJ_KEX = "curve25519-sha256";

    /** {@code ssh ... devbox true}, with OpenSSH's default key exchange or the given one. */
    static List<String> sshArgv(SshTestHost host, String kex) {
        List<String> argv = new ArrayList<>(List.of("ssh", "-F", host.sshConfig().toString(), "-o",
                "UserKnownHostsFile=" + host.knownHosts(), "-o", "BatchMode=yes"));
        if (kex != null) {
            argv.addAll(List.of("-o", "KexAlgorithms=" + kex));
        }
        argv.addAll(List.of(host.alias(), "true"));
        return argv;
    }

    /**
     * One remote producer `dev` and a co-located consumer `use` (both bound to `workbench`), as in
     * RemoteRunServiceTest; `dev`'s readiness is `tcp`, or `http` (GET /health.txt).
     */
    static String contract(Path cwd, int port, String readiness) {
        return """
                version: 1
                project: { name: remote-reuse-bench }
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
                    run: exec busybox httpd -f -p 127.0.0.1:%2$d -h www
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 127.0.0.1, port: { mode: fixed, value: %2$d } }
                      readiness: { kind: %4$s, listener: http,%5$s interval: 100ms, retries: 300 }
                  use:
                    run: exec busybox httpd -f -p 127.0.0.1:%3$d -h www
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 127.0.0.1, port: { mode: fixed, value: %3$d } }
                    targets:
                      api:
                        service: { task: dev, listener: http, address_view: internal }
                        activation: { mode: ensure_ready }
                """.formatted(cwd, port, port + 1, readiness, readiness.equals("http") ? " path: /health.txt," : "");
    }

    // ---- the series -----------------------------------------------------------------------------

    /** A fresh OpenSSH client running `true`: process start to exit, in ms. */
    private static double ssh(List<String> argv, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(Redirect.from(new File("/dev/null")))
                .redirectOutput(Redirect.DISCARD).redirectError(Redirect.PIPE);
        pb.environment().clear();
        pb.environment().putAll(env);
        long t0 = System.nanoTime();
        Process p = pb.start();
        byte[] err = p.getErrorStream().readAllBytes();
        int code = p.waitFor();
        long t1 = System.nanoTime();
        if (code != 0) {
            throw new IllegalStateException("`" + String.join(" ", argv) + "` exited with " + code + ": "
                    + new String(err, StandardCharsets.UTF_8));
        }
        return (t1 - t0) / 1e6;
    }

    private double timedActivate(Map<String, String> env, PlanRequest request, RunService.Options options)
            throws InterruptedException {
        long t0 = System.nanoTime();
        String status = activate(new RunService(RunService.defaultBackends(env), new ReadinessWaiter()), request, options);
        long t1 = System.nanoTime();
        requireReused(status);
        return (t1 - t0) / 1e6;
    }

    private double phasedActivate(Map<String, String> env, Phases ph, PlanRequest request, RunService.Options options)
            throws InterruptedException {
        long t0 = System.nanoTime();
        String status = activate(new RunService(new TimedProvider(env, ph), new ReadinessWaiter()), request, options);
        long t1 = System.nanoTime();
        requireReused(status);
        if (ph.connects != 1 || ph.probes != 1 || ph.runs != 2) {
            throw new IllegalStateException("expected one connection, two remote commands and one probe, got " + ph.connects
                    + ", " + ph.runs + ", " + ph.probes);
        }
        return (t1 - t0) / 1e6;
    }

    private void requireReused(String status) {
        if (!"reused_ready".equals(status)) {
            throw new IllegalStateException("expected reused_ready, got " + status + "\n" + String.join("\n", log));
        }
    }

    private String activate(RunService service, PlanRequest request, RunService.Options options) throws InterruptedException {
        log.clear();
        RunService.Result r = service.activate(request, options);
        if (!r.ok()) {
            throw new IllegalStateException("activation failed: " + r.message() + "\n" + String.join("\n", log));
        }
        List<TargetActivation> a = r.activations();
        if (a.size() != 1) {
            throw new IllegalStateException("expected one activation, got " + a);
        }
        return a.get(0).status();
    }

    /** new SshShell, connect, one probe attempt, close: {total, connect, probe, close} in ms. */
    private static double[] transport(RemoteEndpoint endpoint, Map<String, String> env, ProbeSpec spec) throws Exception {
        long t0 = System.nanoTime();
        SshShell shell = new SshShell(endpoint, env);
        long t1;
        long t2;
        ProbeAttempt attempt;
        try {
            shell.connect();
            t1 = System.nanoTime();
            attempt = shell.probe(spec).attempt(1);
            t2 = System.nanoTime();
        } finally {
            shell.close();
        }
        long t3 = System.nanoTime();
        if (!attempt.ready()) {
            throw new IllegalStateException("the bare probe was not ready: " + attempt.detail());
        }
        return new double[] {(t3 - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6};
    }

    // ---- the phases of one activation -----------------------------------------------------------

    /** Where one activation's remote time went (ms), filled by {@link TimedShell}. */
    static final class Phases {
        double connect;
        double prepare;
        double stat;
        double probe;
        double close;
        int connects;
        int runs;
        int probes;
    }

    /**
     * The backends {@link RunService#defaultBackends} gives a remote-only contract (one
     * {@link RemoteBackend} per unit, one shell per endpoint, closed by {@code release()}), over
     * {@link TimedShell}s.
     */
    private static final class TimedProvider implements RunService.BackendProvider {
        private final Map<String, String> env;
        private final Phases phases;
        private final Map<RemoteEndpoint, TimedShell> shells = new LinkedHashMap<>();

        TimedProvider(Map<String, String> env, Phases phases) {
            this.env = Map.copyOf(env);
            this.phases = phases;
        }

        private synchronized TimedShell shell(RemoteEndpoint e) {
            return shells.computeIfAbsent(e, x -> new TimedShell(new SshShell(x, env), phases));
        }

        @Override
        public Function<TaskShape, Backend> forRun(OtaEngine.Prepared prepared, StateStore state, Consumer<String> log) {
            Map<String, Backend> units = new HashMap<>();
            NativeBackend nativeBackend = new NativeBackend();
            return shape -> {
                if (shape == null || !"remote".equals(shape.backend())) {
                    return nativeBackend;
                }
                RemoteSettings settings = shape.context() != null ? shape.context().remote()
                        : prepared.contract().execution().rootRemote();
                RemoteEndpoint endpoint = RemoteEndpoint.of(settings);
                String unit = shape.binding() != null ? "shared_backend:" + shape.binding().name() : "context:" + shape.contextName();
                synchronized (units) {
                    return units.computeIfAbsent(unit, u -> new RemoteBackend(endpoint, shell(endpoint), u, state.ownershipId(),
                            log));
                }
            };
        }

        @Override
        public Backend forHandle(WorkloadHandle handle) {
            RemoteEndpoint endpoint = RemoteEndpoint.fromHandle(handle.backend());
            return new RemoteBackend(endpoint, shell(endpoint), null, null, line -> {});
        }

        @Override
        public synchronized void release() {
            shells.values().forEach(RemoteShell::close);
            shells.clear();
        }
    }

    /** A {@link RemoteShell} that adds the time of each call to {@link Phases}. */
    private static final class TimedShell implements RemoteShell {
        private final RemoteShell shell;
        private final Phases phases;

        TimedShell(RemoteShell shell, Phases phases) {
            this.shell = shell;
            this.phases = phases;
        }

        @Override
        public String describe() {
            return shell.describe();
        }

        @Override
        public String resolvedTarget() {
            return shell.resolvedTarget();
        }

        @Override
        public void connect() throws BackendException, InterruptedException {
            long t0 = System.nanoTime();
            shell.connect();
            phases.connect += (System.nanoTime() - t0) / 1e6;
            phases.connects++;
        }

        @Override
        public ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout)
                throws BackendException, InterruptedException {
            long t0 = System.nanoTime();
            ScriptResult r = shell.run(shellFlags, script, args, timeout);
            double ms = (System.nanoTime() - t0) / 1e6;
            // the boundary's prepare script checks /proc (OTA_NO_PROC); the other command of a reuse is the STAT
            if (script.contains("OTA_NO_PROC")) {
                phases.prepare += ms;
            } else {
                phases.stat += ms;
            }
            phases.runs++;
            return r;
        }

        @Override
        public ScriptResult runToEnd(String shellFlags, String script, List<String> args, Duration timeout)
                throws BackendException {
            return shell.runToEnd(shellFlags, script, args, timeout);
        }

        @Override
        public int stream(String shellFlags, String script, List<String> args, Consumer<String> lines)
                throws BackendException, InterruptedException {
            return shell.stream(shellFlags, script, args, lines);
        }

        @Override
        public Probe probe(ProbeSpec spec) {
            Probe p = shell.probe(spec);
            return number -> {
                long t0 = System.nanoTime();
                ProbeAttempt a = p.attempt(number);
                phases.probe += (System.nanoTime() - t0) / 1e6;
                phases.probes++;
                return a;
            };
        }

        @Override
        public String broken() {
            return shell.broken();
        }

        @Override
        public void close() {
            long t0 = System.nanoTime();
            shell.close();
            phases.close += (System.nanoTime() - t0) / 1e6;
        }
    }

    // ---- the report -----------------------------------------------------------------------------

    /** The columns of one run, in order. */
    private static final String[] SERIES = {"ssh", "ssh_curve25519", "activate", "transport", "transport_connect",
        "transport_probe", "transport_close", "activate_http_readiness", "phases", "phases_connect", "phases_prepare",
        "phases_stat", "phases_probe", "phases_close", "phases_rest"};
    private static final String[] LABELS = {"a) ssh devbox true (fresh)", "a') the same, kex curve25519-sha256",
        "b) activate, reused_ready", "c) transport: connect+probe", "   · connect (tcp+kex+auth)",
        "   · probe (direct-tcpip)", "   · close", "b, http readiness (GET /health.txt)", "phases: activate, timed",
        "   · connect (tcp+kex+auth)", "   · prepare script", "   · STAT of the record", "   · probe (direct-tcpip)",
        "   · close", "   · rest (engine, receipt)"};

    private static void summary(Map<String, double[]> series) {
        double ssh = median(series.get("ssh"));
        double curve = median(series.get("ssh_curve25519"));
        System.out.printf(Locale.ROOT, "%n%-36s %8s %8s %8s %8s %8s %8s%n", "(ms)", "median", "p90", "min", "max", "÷ a",
                "÷ a'");
        for (int c = 0; c < SERIES.length; c++) {
            double[] v = series.get(SERIES[c]);
            System.out.printf(Locale.ROOT, "%-36s %8.1f %8.1f %8.1f %8.1f %8.2f %8.2f%n", LABELS[c], median(v),
                    ActivationOverheadHarness.percentile(v, 90), min(v), max(v), median(v) / ssh, median(v) / curve);
        }
    }

    private static void write(Map<Condition, Map<String, double[]>> results, Map<String, Object> machine, int runs,
            int warmup, Path result) throws IOException {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"benchmark\": \"remote-reuse\",\n");
        json.append("  \"runs\": ").append(runs).append(",\n  \"warmup\": ").append(warmup).append(",\n");
        json.append("  \"baseline_command\": ")
                .append(quote("ssh -F <home>/.ssh/config -o UserKnownHostsFile=<home>/.ssh/known_hosts -o BatchMode=yes devbox"
                        + " true")).append(",\n");
        json.append("  \"target\": \"median(activate) / median(ssh) <= 2\",\n");
        json.append("  \"machine\": {");
        String sep = "\n";
        for (Map.Entry<String, Object> e : machine.entrySet()) {
            json.append(sep).append("    ").append(quote(e.getKey())).append(": ")
                    .append(e.getValue() instanceof Number ? e.getValue().toString() : quote(String.valueOf(e.getValue())));
            sep = ",\n";
        }
        json.append("\n  },\n  \"conditions\": {");
        String csep = "\n";
        StringBuilder csv = new StringBuilder("condition,run");
        for (String name : SERIES) {
            csv.append(',').append(name).append("_ms");
        }
        csv.append('\n');
        for (Map.Entry<Condition, Map<String, double[]>> c : results.entrySet()) {
            Map<String, double[]> series = c.getValue();
            double ssh = median(series.get("ssh"));
            json.append(csep).append("    ").append(quote(c.getKey().name())).append(": {\n      \"description\": ")
                    .append(quote(c.getKey().description())).append(",\n      \"sshd_config_extra\": ")
                    .append(quote(String.join("; ", c.getKey().sshdConfig()))).append(",\n      \"ratios\": {")
                    .append(" \"activate_over_ssh\": ").append(fmt(median(series.get("activate")) / ssh))
                    .append(", \"transport_over_ssh\": ").append(fmt(median(series.get("transport")) / ssh))
                    .append(", \"activate_over_ssh_curve25519\": ")
                    .append(fmt(median(series.get("activate")) / median(series.get("ssh_curve25519"))))
                    .append(", \"transport_over_ssh_curve25519\": ")
                    .append(fmt(median(series.get("transport")) / median(series.get("ssh_curve25519"))))
                    .append(" },\n      \"series\": {");
            sep = "\n";
            for (Map.Entry<String, double[]> e : series.entrySet()) {
                double[] v = e.getValue();
                json.append(sep).append("        ").append(quote(e.getKey())).append(": { \"median\": ").append(fmt(median(v)))
                        .append(", \"p90\": ").append(fmt(ActivationOverheadHarness.percentile(v, 90))).append(", \"min\": ")
                        .append(fmt(min(v))).append(", \"max\": ").append(fmt(max(v))).append(", \"ms\": [");
                for (int i = 0; i < v.length; i++) {
                    json.append(i == 0 ? "" : ", ").append(fmt(v[i]));
                }
                json.append("] }");
                sep = ",\n";
            }
            json.append("\n      }\n    }");
            csep = ",\n";
            int n = series.get("ssh").length;
            for (int r = 0; r < n; r++) {
                csv.append(c.getKey().name()).append(',').append(r + 1);
                for (double[] v : series.values()) {
                    csv.append(',').append(fmt(v[r]));
                }
                csv.append('\n');
            }
        }
        json.append("\n  }\n}\n");
        if (result.toAbsolutePath().getParent() != null) {
            Files.createDirectories(result.toAbsolutePath().getParent());
        }
        Files.writeString(result, json.toString(), StandardCharsets.UTF_8);
        Path csvFile = result.resolveSibling(result.getFileName().toString().replaceFirst("\\.json$", "") + ".csv");
        Files.writeString(csvFile, csv.toString(), StandardCharsets.UTF_8);
        System.out.println("results: " + result + ", " + csvFile);
    }

    private static double median(double[] v) {
        return ActivationOverheadHarness.percentile(v, 50);
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    private static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    if (ch < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        b.append(ch);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    // ---- the machine ----------------------------------------------------------------------------

    private static Map<String, Object> machine() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", cpuModel());
        m.put("memory_mib", memoryMib());
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("jvm_args", String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("openssh_client", firstLine(List.of("ssh", "-V")));
        m.put("sshj", jarVersion("sshj"));
        m.put("sshd", firstLine(List.of("/usr/sbin/sshd", "-V")) + ", in a network namespace of its own over a veth pair");
        m.put("remote_login_shell", loginShell());
        m.put("started", Instant.now().toString());
        return m;
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static long memoryMib() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal:")).mapToLong(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024)
                    .findFirst().orElse(0);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** The login shell of the account the harness runs as (sshd runs every command through it). */
    private static String loginShell() {
        try (Stream<String> lines = Files.lines(Path.of("/etc/passwd"))) {
            String user = System.getProperty("user.name");
            return lines.map(l -> l.split(":")).filter(f -> f.length >= 7 && f[0].equals(user)).map(f -> f[6]).findFirst()
                    .orElse("?");
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String firstLine(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).redirectInput(Redirect.from(new File("/dev/null")))
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            p.waitFor();
            return out.lines().findFirst().orElse("?");
        } catch (IOException e) {
            return "?";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "?";
        }
    }

    /** The version in the classpath jar named {@code <artifact>-<version>.jar}. */
    private static String jarVersion(String artifact) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.startsWith(artifact + "-") && name.endsWith(".jar")) {
                return name.substring(artifact.length() + 1, name.length() - 4);
            }
        }
        return "?";
    }

    private static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            return lines.filter(l -> l.startsWith("Uid:")).map(l -> l.split("\\s+")[2]).anyMatch("0"::equals);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
