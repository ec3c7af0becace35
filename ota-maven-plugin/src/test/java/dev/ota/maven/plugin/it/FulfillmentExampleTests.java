package dev.ota.maven.plugin.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code examples/fulfillment-policy} through real {@code mvn ota:fulfill} against the real engine
 * and a real apt install: {@code none} reports what is missing, {@code run} installs it through the
 * policy-approved source, the next run finds it satisfied, and an image from a denied registry is
 * refused with nothing started.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
abstract class FulfillmentExampleTests {

    /** The Maven installation whose {@code bin/mvn} the builds run. */
    abstract Path mavenHome();

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private int builds;

    @BeforeEach
    void copyExample() throws IOException {
        Path example = Path.of(System.getProperty("ota.it.examples")).resolve("fulfillment-policy");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(example.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
    }

    @AfterEach
    void clean() throws Exception {
        mvn("clean");
        assertThat(containers()).as("ota:clean removed the workbench").isEmpty();
    }

    @Test
    void noneThenRunThenSatisfiedAndADeniedRegistryIsRefused() throws Exception {
        rewrite("fulfillment: run", "fulfillment: none");
        String none = mvn("fulfill");
        assertThat(none).contains("FULFILLMENT FAILED").contains("tool jq ^1.6").contains("BUILD FAILURE");
        assertThat(latestFulfillment().path("result").asText()).isEqualTo("missing_requirements");

        rewrite("fulfillment: none", "fulfillment: run");
        String run = mvn("fulfill", "-Dota.backend=workbench");
        assertThat(run).contains("BUILD SUCCESS");
        JsonNode fulfilled = latestFulfillment();
        assertThat(fulfilled.path("result").asText()).isEqualTo("fulfilled");
        assertThat(fulfilled.path("actions").toString()).contains("apt-get install").contains("jq=1.6");

        String again = mvn("fulfill");
        assertThat(again).contains("BUILD SUCCESS");
        assertThat(latestFulfillment().path("result").asText()).isEqualTo("requirements_satisfied");
        assertThat(containers()).as("one workbench, fulfilled in place").hasSize(1);

        mvn("clean");
        rewrite("environment: {}", "environment: { image: quay.io/library/debian:12 }");
        String denied = mvn("fulfill");
        assertThat(denied).contains("POLICY REFUSED").contains("denies registry `quay.io`").contains("BUILD FAILURE");
        assertThat(containers()).as("refused before any container was created").isEmpty();
    }

    // ---- helpers ------------------------------------------------------------------------------

    private void rewrite(String from, String to) throws IOException {
        String text = Files.readString(dir.resolve("ota.yaml"));
        assertThat(text).contains(from);
        Files.writeString(dir.resolve("ota.yaml"), text.replace(from, to));
    }

    private String mvn(String goal, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(mavenHome().resolve("bin/mvn").toString(), "-B", "-nsu",
                "-Dmaven.repo.local=" + System.getProperty("ota.it.repo"),
                "dev.ota:ota-maven-plugin:" + System.getProperty("ota.it.pluginVersion") + ":" + goal, "-Dota.file=ota.yaml"));
        command.addAll(List.of(args));
        Path log = dir.resolve("mvn-" + goal + "-" + builds++ + ".log");
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("mvn " + goal + " did not finish: " + Files.readString(log));
        }
        return Files.readString(log);
    }

    private JsonNode latestFulfillment() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("target/ota/receipts"))) {
            Path latest = files.filter(f -> f.toString().endsWith(".json"))
                    .max(Comparator.comparing(f -> f.getFileName().toString())).orElseThrow();
            for (JsonNode step : JSON.readTree(latest.toFile()).path("steps")) {
                if (step.has("backend_fulfillment")) {
                    return step.path("backend_fulfillment");
                }
            }
            throw new AssertionError("no backend_fulfillment in " + latest);
        }
    }

    /** This repo's ota containers, as the Docker CLI lists them. */
    private List<String> containers() throws Exception {
        Process p = new ProcessBuilder("docker", "ps", "-a", "-q", "--filter",
                "label=dev.ota.repo=" + StateStore.forRepo(dir).ownershipId()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }
}
