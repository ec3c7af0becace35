package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** examples/fulfillment-policy end to end: the policy picks the image, apt installs jq and busybox, the services run. */
class FulfillmentExampleTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String owner;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private RunService.Options options;

    @BeforeEach
    void setUp() throws Exception {
        DockerTestSupport.engine();
        DebianTestImage.ensure();
        Path example = Path.of("..", "examples", "fulfillment-policy");
        try (Stream<Path> files = Files.walk(example)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Path to = dir.resolve(example.relativize(f).toString());
                Files.createDirectories(to.getParent());
                Files.copy(f, to);
            }
        }
        owner = StateStore.forRepo(dir).ownershipId();
        options = new RunService.Options(dir.resolve("target/ota"), "example", null, log::add, log::add);
    }

    @AfterEach
    void tearDown() {
        new RunService().clean(new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", null, Map.of(), Map.of()), options);
        DockerTestSupport.removeContainersOf(owner);
    }

    @Test
    void theRunFulfilsTheWorkbenchThenServesThroughIt() throws Exception {
        RunService.Result r = new RunService().run(new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", "smoke", Map.of(),
                Map.of()), options);
        assertThat(r.ok()).as(r.message() + "\n" + String.join("\n", log)).isTrue();
        JsonNode receipt = JSON.readTree(r.receiptFile().toFile());
        JsonNode f = receipt.path("steps").get(0).path("backend_fulfillment");
        assertThat(f.path("result").asText()).isEqualTo("fulfilled");
        assertThat(f.path("task_executed").asBoolean()).as("the bodies ran after fulfillment").isTrue();
        assertThat(f.path("declared_tools").toString()).contains("jq").contains("busybox");
        assertThat(log).anyMatch(l -> l.startsWith("smoke: http://127.0.0.1:18091/index.html -> 200")
                && l.contains("\"status\":\"ok\""));
    }
}
