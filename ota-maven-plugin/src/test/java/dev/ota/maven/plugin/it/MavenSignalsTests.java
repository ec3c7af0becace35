package dev.ota.maven.plugin.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real {@code mvn} processes running the installed plugin, interrupted (SIGINT to the build's
 * process group, as Ctrl-C does), killed (SIGKILL) and raced, with the process table checked
 * afterwards. Runs after the invoker has installed the plugin into {@code target/it-repo}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class MavenSignalsTests {

    /** The Maven installation whose {@code bin/mvn} the builds run. */
    abstract Path mavenHome();

    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");

    @TempDir
    Path dir;

    private int port;
    private final List<Process> builds = new ArrayList<>();
    private final List<Long> strays = new ArrayList<>();

    @BeforeEach
    void contract() throws IOException {
        port = freePort();
        Files.createDirectories(dir.resolve("api"));
        Files.copy(Path.of(System.getProperty("ota.it.example")).resolve("api/DevApi.java"), dir.resolve("api/DevApi.java"));
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: signals }
                execution:
                  default_context: host
                  contexts:
                    host: { backend: native }
                tasks:
                  dev:
                    run: exec java api/DevApi.java %1$d
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %1$d }
                      readiness: { kind: http, listener: http, path: /health, interval: 200ms, retries: 300 }
                  slow:
                    run: echo $$ > body.pid; exec sleep 300
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                  quick:
                    run: "true"
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                  it:
                    run: "true"
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                """.formatted(port), StandardCharsets.UTF_8);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process build : builds) {
            if (build.isAlive()) {
                kill("-KILL", "-" + build.pid());
            }
        }
        mvn("clean").waitFor(120, TimeUnit.SECONDS);
        for (long pid : strays) {
            if (alive(pid)) {
                kill("-KILL", String.valueOf(pid));
            }
        }
        assertThat(devPidFromProcessTable()).as("no DevApi left on port %d", port).isEmpty();
    }

    @Test
    void ctrlCDuringTheTaskBodyStopsTheBodyAndTheProducerThisRunStarted() throws Exception {
        Process build = mvn("run", "-Dota.task=slow");
        long body = awaitPidFile(dir.resolve("body.pid"), build);
        long dev = recordedPid();
        assertThat(alive(body)).isTrue();
        assertThat(alive(dev)).isTrue();

        interrupt(build);

        assertThat(build.waitFor(90, TimeUnit.SECONDS)).as("mvn exits after Ctrl-C").isTrue();
        awaitDead(body);
        awaitDead(dev);
        assertThat(recordFiles()).isEmpty();
        assertThat(latestReceipt()).contains("\"status\" : \"INTERRUPTED\"");
    }

    @Test
    void ctrlCDuringActivationStopsTheProducerBeingStarted() throws Exception {
        // A producer that never gets ready: the run is still waiting for it when Ctrl-C comes.
        Files.writeString(dir.resolve("ota.yaml"), Files.readString(dir.resolve("ota.yaml"))
                .replace("run: exec java api/DevApi.java " + port, "run: exec sleep 600"));
        Process build = mvn("run", "-Dota.task=slow");
        long dev = awaitRecordedPid(build);
        assertThat(alive(dev)).isTrue();

        interrupt(build);

        assertThat(build.waitFor(90, TimeUnit.SECONDS)).isTrue();
        awaitDead(dev);
        assertThat(recordFiles()).isEmpty();
        assertThat(Files.exists(dir.resolve("body.pid"))).as("the task body never ran").isFalse();
    }

    @Test
    void ctrlCLeavesAReusedProducerServing() throws Exception {
        Process first = mvn("run", "-Dota.task=quick");
        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(log(first)).isZero();
        long dev = recordedPid();

        Process build = mvn("run", "-Dota.task=slow");
        long body = awaitPidFile(dir.resolve("body.pid"), build);
        interrupt(build);
        assertThat(build.waitFor(90, TimeUnit.SECONDS)).isTrue();

        awaitDead(body);
        assertThat(alive(dev)).as("the reused producer keeps running").isTrue();
        assertThat(recordedPid()).isEqualTo(dev);
        assertThat(httpStatus("/health")).isEqualTo(200);
    }

    @Test
    void afterSigkillTheNextRunAdoptsTheRecordedProducerAndCleanStopsIt() throws Exception {
        Process build = mvn("run", "-Dota.task=slow");
        long body = awaitPidFile(dir.resolve("body.pid"), build);
        strays.add(body); // the body has its own session; SIGKILL of mvn leaves it orphaned
        long dev = recordedPid();

        kill("-KILL", String.valueOf(build.pid()));
        assertThat(build.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(alive(dev)).isTrue();

        Process next = mvn("run", "-Dota.task=quick");
        assertThat(next.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).as(log(next)).isZero();
        assertThat(log(next)).contains("reused_ready");
        assertThat(recordedPid()).as("adopted, not restarted").isEqualTo(dev);

        Process clean = mvn("clean");
        assertThat(clean.waitFor(120, TimeUnit.SECONDS)).isTrue();
        awaitDead(dev);
        assertThat(recordFiles()).isEmpty();
    }

    @Test
    void twoActivationsAtTheSameMomentStartExactlyOneProducer() throws Exception {
        Process a = mvn("activate", "-Dota.task=it");
        Process b = mvn("activate", "-Dota.task=it");
        assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String logs = log(a) + log(b);
        assertThat(a.exitValue()).as(logs).isZero();
        assertThat(b.exitValue()).as(logs).isZero();
        assertThat(count(logs, "started_ready")).as(logs).isEqualTo(1);
        assertThat(count(logs, "reused_ready")).as(logs).isEqualTo(1);
        assertThat(devPidFromProcessTable()).hasSize(1);
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Process mvn(String goal, String... args) throws IOException {
        Path home = mavenHome();
        List<String> command = new ArrayList<>(List.of("setsid", home.resolve("bin/mvn").toString(), "-B", "-nsu",
                "-Dmaven.repo.local=" + System.getProperty("ota.it.repo"),
                "dev.ota:ota-maven-plugin:" + System.getProperty("ota.it.pluginVersion") + ":" + goal,
                "-Dota.file=ota.yaml"));
        command.addAll(List.of(args));
        Path log = dir.resolve("mvn-" + goal + "-" + builds.size() + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        builds.add(p);
        return p;
    }

    private String log(Process p) throws IOException {
        int index = builds.indexOf(p);
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().startsWith("mvn-")
                            && f.getFileName().toString().endsWith("-" + index + ".log"))
                    .map(f -> {
                        try {
                            return Files.readString(f);
                        } catch (IOException e) {
                            return "";
                        }
                    }).findFirst().orElse("");
        }
    }

    /** Ctrl-C in a terminal: SIGINT to the build's foreground process group. */
    private static void interrupt(Process build) throws Exception {
        kill("-INT", "--", "-" + build.pid());
    }

    private static void kill(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kill"));
        command.addAll(List.of(args));
        new ProcessBuilder(command).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private long awaitPidFile(Path file, Process build) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
        while (Instant.now().isBefore(deadline)) {
            if (Files.exists(file)) {
                String text = Files.readString(file).trim();
                if (!text.isEmpty()) {
                    return Long.parseLong(text);
                }
            }
            assertThat(build.isAlive()).as("mvn ended early: %s", log(build)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("the task body did not start: " + log(build));
    }

    private long awaitRecordedPid(Process build) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (Instant.now().isBefore(deadline)) {
            long pid = recordedPidOrZero();
            if (pid > 0) {
                return pid;
            }
            assertThat(build.isAlive()).as("mvn ended early: %s", log(build)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no producer was started: " + log(build));
    }

    private long recordedPid() throws IOException {
        long pid = recordedPidOrZero();
        assertThat(pid).as("a recorded producer pid").isPositive();
        return pid;
    }

    private long recordedPidOrZero() throws IOException {
        for (Path record : recordFiles()) {
            Matcher m = PID.matcher(Files.readString(record));
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
        }
        return 0;
    }

    private List<Path> recordFiles() throws IOException {
        Path services = dir.resolve(".ota/state/services");
        if (!Files.isDirectory(services)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(services)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }

    private String latestReceipt() throws IOException {
        return Files.readString(dir.resolve("target/ota/receipts/latest.json"));
    }

    /** Alive and not a zombie. */
    private static boolean alive(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
            return !state.equals("Z") && !state.equals("X");
        } catch (IOException e) {
            return false;
        }
    }

    private static void awaitDead(long pid) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (alive(pid) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(alive(pid)).as("process %d is gone", pid).isFalse();
    }

    /** Pids of live DevApi processes serving this test's port (from /proc cmdlines). */
    private List<Long> devPidFromProcessTable() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(x -> x.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    long pid = Long.parseLong(p.getFileName().toString());
                    if (cmd.contains("DevApi.java " + port) && alive(pid)) {
                        out.add(pid);
                    }
                } catch (IOException | RuntimeException e) {
                    // process ended while scanning
                }
            }
        }
        return out;
    }

    private int httpStatus(String path) throws Exception {
        var client = java.net.http.HttpClient.newHttpClient();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build();
        return client.send(request, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
