package dev.ota.maven.plugin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.backend.remote.SshTestHost;
import dev.ota.core.backend.remote.SshTestHostExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/shared-remote-topology} run by real {@code mvn} against a real OpenSSH server in
 * a network namespace of its own: the example's devbox. Only the devbox's address, the remote
 * cwd (the project directory: the namespace shares this filesystem) and HOME (whose
 * {@code .ssh} holds the alias, key and known_hosts) are set for the test.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
abstract class RemoteExampleTests {

    /** The Maven installation whose {@code bin/mvn} the builds run. */
    abstract Path mavenHome();

    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final SshTestHostExtension DEVBOX = new SshTestHostExtension();

    private static SshTestHost host() {
        return DEVBOX.host();
    }

    @TempDir
    Path dir;

    private final List<Path> logs = new ArrayList<>();

    @BeforeEach
    void copyExample() throws IOException {
        Path example = Path.of(System.getProperty("ota.it.examples")).resolve("shared-remote-topology");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !example.relativize(f).startsWith("target"))
                    .toList()) {
                Path to = dir.resolve(example.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        Files.writeString(dir.resolve("ota.yaml"), Files.readString(dir.resolve("ota.yaml"))
                .replace("cwd: /srv/ota/shared-remote-topology", "cwd: " + dir)
                .replace("address: 192.0.2.10", "address: " + host().address()));
    }

    @AfterEach
    void clean() throws Exception {
        mvn("clean");
    }

    @Test
    void theExampleStartsTheProducerOnTheDevboxThenReusesIt() throws Exception {
        String first = mvn("activate", "-Dota.task=sandbox");
        assertThat(first).contains("sandbox.api → `dev`: started_ready").contains("BUILD SUCCESS");
        long dev = recordedPid();
        assertThat(Files.exists(Path.of("/proc/" + dev))).as("dev runs on the devbox").isTrue();
        // bound to the devbox's loopback: not reachable from this machine's loopback (nor over the link)
        assertThat(host().reachableFromHost("127.0.0.1", 18180)).isFalse();
        assertThat(host().reachableFromHost(host().address(), 18180)).isFalse();
        Properties targets = new Properties();
        try (var in = Files.newInputStream(dir.resolve("target/ota/targets.properties"))) {
            targets.load(in);
        }
        assertThat(targets).containsValue("http://127.0.0.1:18180");

        JsonNode receipt = latestReceipt();
        JsonNode unit = receipt.path("backend_units").get(0);
        assertThat(unit.path("unit").asText()).isEqualTo("shared_backend:workbench");
        assertThat(unit.path("provider").asText()).isEqualTo("ssh");
        assertThat(unit.path("target").asText()).isEqualTo(host().user() + "@" + host().address() + ":22");
        assertThat(unit.path("cwd").asText()).isEqualTo(dir.toString());
        assertThat(receipt.toString()).contains("started_ready").contains("via direct-tcpip");

        String second = mvn("activate", "-Dota.task=sandbox");
        assertThat(second).contains("sandbox.api → `dev`: reused_ready").contains("BUILD SUCCESS");
        assertThat(recordedPid()).as("the same process, reused").isEqualTo(dev);
        assertThat(latestReceipt().toString()).contains("reused_ready");

        String status = mvn("status");
        assertThat(status).contains("remote ssh:devbox").contains("running");

        mvn("clean");
        Instant deadline = Instant.now().plusSeconds(30);
        while (Files.exists(Path.of("/proc/" + dev)) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(Files.exists(Path.of("/proc/" + dev))).as("clean stopped dev on the devbox").isFalse();
    }

    @Test
    void ctrlCDuringTheForegroundSandboxStopsItOnTheDevboxAndLeavesTheReusedProducer() throws Exception {
        assertThat(mvn("activate", "-Dota.task=sandbox")).contains("started_ready");
        long dev = recordedPid();
        Path log = dir.resolve("mvn-run-sandbox.log");
        ProcessBuilder pb = new ProcessBuilder("setsid", mavenHome().resolve("bin/mvn").toString(), "-B", "-nsu",
                "-Dmaven.repo.local=" + System.getProperty("ota.it.repo"),
                "dev.ota:ota-maven-plugin:" + System.getProperty("ota.it.pluginVersion") + ":run", "-Dota.file=ota.yaml",
                "-Dota.task=sandbox").directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("HOME", host().home().toString());
        Process build = pb.start();
        try {
            Instant deadline = Instant.now().plusSeconds(120);
            while (!host().reachableFromHost(host().address(), 18181)) {
                assertThat(build.isAlive()).as("mvn ended early: %s", Files.readString(log)).isTrue();
                assertThat(Instant.now()).as("sandbox never served: %s", Files.readString(log)).isBefore(deadline);
                Thread.sleep(200);
            }
            assertThat(Files.readString(log)).contains("reused_ready");
            // Ctrl-C in a terminal: SIGINT to the build's process group
            new ProcessBuilder("kill", "-INT", "--", "-" + build.pid()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
            assertThat(build.waitFor(90, TimeUnit.SECONDS)).as("mvn exits after Ctrl-C").isTrue();
        } finally {
            if (build.isAlive()) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + build.pid()).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
        Instant deadline = Instant.now().plusSeconds(20);
        while (host().reachableFromHost(host().address(), 18181) && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
        assertThat(host().reachableFromHost(host().address(), 18181)).as("sandbox stopped on the devbox").isFalse();
        assertThat(Files.exists(Path.of("/proc/" + dev))).as("dev, reused and not started by that run, still runs").isTrue();
    }

    // ---- helpers ------------------------------------------------------------------------------

    /** Runs one goal to its end and returns its output; fails the test when it does not end. */
    private String mvn(String goal, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenHome().resolve("bin/mvn").toString(), "-B", "-nsu",
                "-Dmaven.repo.local=" + System.getProperty("ota.it.repo"),
                "dev.ota:ota-maven-plugin:" + System.getProperty("ota.it.pluginVersion") + ":" + goal, "-Dota.file=ota.yaml"));
        command.addAll(List.of(args));
        Path log = dir.resolve("mvn-" + goal + "-" + logs.size() + ".log");
        logs.add(log);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("HOME", host().home().toString());
        pb.environment().remove("SSH_AUTH_SOCK");
        Process p = pb.start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn " + goal + " did not finish: " + Files.readString(log));
        }
        return Files.readString(log);
    }

    private long recordedPid() throws IOException {
        Path record = dir.resolve(".ota/state/services/dev.json");
        if (!Files.exists(record)) {
            try (Stream<Path> files = Files.walk(dir.resolve(".ota/state"))) {
                record = files.filter(f -> f.getFileName().toString().startsWith("dev") && f.toString().endsWith(".json"))
                        .findFirst().orElseThrow(() -> new AssertionError("no record of dev"));
            }
        }
        return JSON.readTree(record.toFile()).path("pid").asLong();
    }

    private JsonNode latestReceipt() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("target/ota/receipts"))) {
            Path latest = files.filter(f -> f.toString().endsWith(".json"))
                    .max(Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
            return JSON.readTree(latest.toFile());
        }
    }
}
