package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.receipt.FailureClass;
import dev.ota.core.state.StateStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct container-context fulfillment: checked inside the very ephemeral container that then runs the body. */
class ContainerFulfillmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private String owner;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private RunService.Options options;

    @BeforeEach
    void setUp() throws Exception {
        DockerTestSupport.engine();
        owner = StateStore.forRepo(dir).ownershipId();
        options = new RunService.Options(dir.resolve("target/ota"), "fulfil test", null, log::add, log::add);
    }

    @AfterEach
    void tearDown() {
        DockerTestSupport.removeContainersOf(owner);
    }

    private void contract(String tools) throws Exception {
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: direct }
                execution:
                  default_context: once
                  contexts:
                    once:
                      backend: container
                      lifecycle: ephemeral
                      fulfillment: none
                      container: { image: %s }
                      requirements:
                        tools: { %s }
                tasks:
                  check:
                    run: echo "body ran in $(hostname)" > body.txt; exit 3
                """.formatted(DockerTestSupport.IMAGE, tools), StandardCharsets.UTF_8);
    }

    private PlanRequest request(String task) {
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", task, Map.of(), Map.of());
    }

    @Test
    void aMissingToolStopsTheRunBeforeTheBodyAndTheContainerIsGone() throws Exception {
        contract("jq: \"*\"");
        RunService.Result r = new RunService().run(request("check"), options);
        assertThat(r.failureClass()).as(r.message()).isEqualTo(FailureClass.FULFILLMENT);
        assertThat(r.message()).contains("context:once").contains("tool jq *");
        assertThat(dir.resolve("body.txt")).doesNotExist();
        JsonNode f = JSON.readTree(r.receiptFile().toFile()).path("steps").get(0).path("backend_fulfillment");
        assertThat(f.path("backend_unit").asText()).isEqualTo("context:once");
        assertThat(f.path("result").asText()).isEqualTo("missing_requirements");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }

    @Test
    void satisfiedRequirementsAreCheckedInTheContainerThatRunsTheBody() throws Exception {
        contract("sh: \"*\"");
        RunService.Result r = new RunService().run(request("check"), options);
        assertThat(r.failureClass()).as(r.message() + "\n" + String.join("\n", log)).isEqualTo(FailureClass.TASK);
        assertThat(r.exitCode()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve("body.txt"))).startsWith("body ran in ");
        JsonNode receipt = JSON.readTree(r.receiptFile().toFile());
        assertThat(receipt.toString()).contains("requirements_satisfied");
        String plane = receipt.path("steps").get(0).path("backend_fulfillment").path("backend_unit").asText();
        assertThat(plane).isEqualTo("context:once");
        assertThat(DockerTestSupport.containersOf(owner)).as("removed after the body").isEmpty();
    }
}
