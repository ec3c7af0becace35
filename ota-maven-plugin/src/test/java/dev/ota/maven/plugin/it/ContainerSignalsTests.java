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
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on real {@code mvn} builds whose producers and tasks run in containers of the real
 * engine: exec'd producers are stopped and the persistent shared container is kept; an ephemeral
 * task container is removed. Checked with the {@code docker} CLI.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
abstract class ContainerSignalsTests {

    abstract Path mavenHome();

    @TempDir
    Path dir;

    private final List<Process> builds = new ArrayList<>();

    @BeforeEach
    void contract() throws Exception {
        int port = freePort();
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: container-signals }
                execution:
                  default_context: host
                  contexts:
                    host: { backend: native }
                    app:
                      backend: container
                      lifecycle: persistent
                      container: { image: ota-test/busybox:1 }
                    once:
                      backend: container
                      lifecycle: ephemeral
                      container: { image: ota-test/busybox:1 }
                  shared_backends:
                    workbench: { scope: local, backend: container, lifecycle: persistent, context: app }
                tasks:
                  dev:
                    context: app
                    run: exec sleep 600
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: %d } } }
                      readiness: { kind: tcp, listener: http, interval: 200ms, retries: 600 }
                  slow:
                    run: "true"
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                  web:
                    context: app
                    run: mkdir -p /tmp/www && echo ok > /tmp/www/health && exec httpd -f -p 0.0.0.0:8081 -h /tmp/www
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8081 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: %d } } }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 100 }
                  it:
                    run: "true"
                    targets:
                      web:
                        service: { task: web, address_view: host }
                        activation: { mode: ensure_ready }
                  once:
                    context: once
                    run: echo started; exec sleep 600
                """.formatted(port, freePort()), StandardCharsets.UTF_8);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process build : builds) {
            if (build.isAlive()) {
                new ProcessBuilder("kill", "-KILL", "-" + build.pid()).start().waitFor(10, TimeUnit.SECONDS);
            }
        }
        mvn("clean").waitFor(120, TimeUnit.SECONDS);
        assertThat(containers()).as("clean removed every container of the repo").isEmpty();
    }

    @Test
    void ctrlCDuringActivationStopsTheExecdProducerAndKeepsTheSharedContainer() throws Exception {
        Process build = mvn("run", "-Dota.task=slow");
        awaitRecord(build);
        List<String> before = containers();
        assertThat(before).singleElement().satisfies(c -> assertThat(c).endsWith(" running"));
        String name = before.get(0).split(" ")[0];
        assertThat(sleepers(name)).isEqualTo(1);

        interrupt(build);

        assertThat(build.waitFor(90, TimeUnit.SECONDS)).as("mvn exits after Ctrl-C").isTrue();
        assertThat(records()).isEmpty();
        assertThat(containers()).containsExactly(name + " running");
        assertThat(sleepers(name)).as("the exec'd producer is gone").isZero();
        assertThat(Files.readString(dir.resolve("target/ota/receipts/latest.json"))).contains("\"status\" : \"INTERRUPTED\"");
    }

    @Test
    void ctrlCDuringAnEphemeralTaskRemovesItsContainer() throws Exception {
        Process build = mvn("run", "-Dota.task=once");
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        while (!log(build).contains("| started") && Instant.now().isBefore(deadline)) {
            assertThat(build.isAlive()).as("mvn ended early: %s", log(build)).isTrue();
            Thread.sleep(100);
        }
        assertThat(containers()).singleElement().satisfies(c -> assertThat(c).endsWith(" running"));

        interrupt(build);

        assertThat(build.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(containers()).as("the ephemeral container was removed").isEmpty();
    }

    @Test
    void twoBuildsActivatingTheSharedBackendAtOnceMakeOneContainerAndStartTheProducerOnce() throws Exception {
        Process a = mvn("activate", "-Dota.task=it");
        Process b = mvn("activate", "-Dota.task=it");
        assertThat(a.waitFor(180, TimeUnit.SECONDS)).isTrue();
        assertThat(b.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String logs = log(a) + log(b);
        assertThat(a.exitValue()).as(logs).isZero();
        assertThat(b.exitValue()).as(logs).isZero();
        assertThat(count(logs, "started_ready")).as(logs).isEqualTo(1);
        assertThat(count(logs, "reused_ready")).as(logs).isEqualTo(1);
        assertThat(count(logs, "): created (")).as(logs).isEqualTo(1);
        assertThat(containers()).singleElement().satisfies(c -> assertThat(c).endsWith(" running"));
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
            n++;
        }
        return n;
    }

    // ---- helpers ------------------------------------------------------------------------------

    private Process mvn(String goal, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("setsid", mavenHome().resolve("bin/mvn").toString(), "-B", "-nsu",
                "-Dmaven.repo.local=" + System.getProperty("ota.it.repo"),
                "dev.ota:ota-maven-plugin:" + System.getProperty("ota.it.pluginVersion") + ":" + goal, "-Dota.file=ota.yaml"));
        command.addAll(List.of(args));
        Path log = dir.resolve("mvn-" + builds.size() + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        builds.add(p);
        return p;
    }

    private String log(Process p) throws IOException {
        return Files.readString(dir.resolve("mvn-" + builds.indexOf(p) + ".log"));
    }

    private static void interrupt(Process build) throws Exception {
        new ProcessBuilder("kill", "-INT", "--", "-" + build.pid()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
    }

    private void awaitRecord(Process build) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(150));
        while (Instant.now().isBefore(deadline)) {
            for (Path record : records()) {
                if (Files.readString(record).matches("(?s).*\"pid\"\\s*:\\s*[1-9].*")) {
                    return;
                }
            }
            assertThat(build.isAlive()).as("mvn ended early: %s", log(build)).isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("no producer was started: " + log(build));
    }

    private List<Path> records() throws IOException {
        Path services = dir.resolve(".ota/state/services");
        if (!Files.isDirectory(services)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(services)) {
            return files.filter(f -> f.toString().endsWith(".json")).toList();
        }
    }

    /** {@code <name> <state>} of every container labelled with this repo's ownership id. */
    private List<String> containers() throws Exception {
        Path idFile = dir.resolve(".ota/state/ownership-id");
        if (!Files.exists(idFile)) {
            return List.of();
        }
        String id = Files.readString(idFile).trim();
        String out = docker("ps", "-a", "--filter", "label=dev.ota.repo=" + id, "--format", "{{.Names}} {{.State}}");
        return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
    }

    /** Processes in the container whose command line is exactly {@code sleep 600}. */
    private static int sleepers(String container) throws Exception {
        String out = docker("exec", container, "sh", "-c",
                "n=0; for f in /proc/[0-9]*/cmdline; do [ \"$(tr '\\0' ' ' < $f 2>/dev/null)\" = \"sleep 600 \" ] && n=$((n+1));"
                        + " done; echo $n");
        return Integer.parseInt(out.trim());
    }

    private static String docker(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("docker %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
