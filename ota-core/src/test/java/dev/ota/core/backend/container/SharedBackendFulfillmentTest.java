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

/**
 * Pattern 3 + 4 against the real engine and a real apt install: a shared container backend whose
 * image the org policy chooses, fulfilled through the policy's approved apt source.
 */
class SharedBackendFulfillmentTest {

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
        owner = StateStore.forRepo(dir).ownershipId();
        options = new RunService.Options(dir.resolve("target/ota"), "fulfil test", null, log::add, log::add);
        Files.createDirectories(dir.resolve(".ota"));
        Files.writeString(dir.resolve(".ota/org-policy.yaml"), """
                policies:
                  provisioning:
                    jq:
                      source: apt
                      approved_versions: ["1.6"]
                  backend_environment:
                    profiles:
                      debian-workbench: { image: %s, source: local_build }
                    default_profile: debian-workbench
                    allowed_sources: [local_build]
                    denied_registries: [quay.io]
                """.formatted(DebianTestImage.IMAGE), StandardCharsets.UTF_8);
    }

    @AfterEach
    void tearDown() {
        DockerTestSupport.removeContainersOf(owner);
    }

    private void contract(String mode, String environment) throws Exception {
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: fulfil-shared }
                execution:
                  default_context: app
                  contexts:
                    app:
                      backend: container
                      lifecycle: persistent
                      container: { image: %s }
                  shared_backends:
                    workbench:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: app
                      fulfillment: %s
                      environment: %s
                tasks:
                  api:
                    run: exec sleep 300
                    requirements:
                      tools: { jq: "^1.6" }
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http: { protocol: http, bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } } }
                  worker:
                    run: exec sleep 300
                    requirements:
                      tools: { sh: "*" }
                    runtime:
                      kind: service
                      backend_binding: workbench
                      listeners:
                        http: { protocol: http, bind: { address: 0.0.0.0, port: { mode: fixed, value: 8081 } } }
                """.formatted(DockerTestSupport.IMAGE, mode, environment), StandardCharsets.UTF_8);
    }

    private PlanRequest request() {
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", null, Map.of(), Map.of());
    }

    private static JsonNode fulfillment(RunService.Result r) throws Exception {
        return JSON.readTree(r.receiptFile().toFile()).path("steps").get(0).path("backend_fulfillment");
    }

    @Test
    void noneReportsWhatIsMissingThenRunInstallsItThenItIsSatisfied() throws Exception {
        contract("none", "{}");
        RunService service = new RunService();
        RunService.Result none = service.fulfil(request(), "shared_backend:workbench", options);
        assertThat(none.failureClass()).as(none.message() + Files.readString(none.receiptFile())).isEqualTo(FailureClass.FULFILLMENT);
        JsonNode f1 = fulfillment(none);
        assertThat(f1.path("result").asText()).isEqualTo("missing_requirements");
        assertThat(f1.path("missing").toString()).contains("tool jq ^1.6");
        assertThat(f1.path("declared_tools").path("sh").asText()).isEqualTo("*");
        assertThat(f1.path("actions")).isEmpty();

        contract("run", "{}");
        RunService.Result run = service.fulfil(request(), null, options);
        assertThat(run.ok()).as(run.message() + "\n" + String.join("\n", log)).isTrue();
        JsonNode f2 = fulfillment(run);
        assertThat(f2.path("result").asText()).isEqualTo("fulfilled");
        assertThat(f2.path("actions").toString()).contains("apt-get update").contains("apt-get install").contains("jq=1.6");
        JsonNode receipt = JSON.readTree(run.receiptFile().toFile());
        assertThat(receipt.path("backend_units").get(0).path("image").asText()).isEqualTo(DebianTestImage.IMAGE);

        RunService.Result again = service.fulfil(request(), null, options);
        assertThat(again.ok()).as(again.message()).isTrue();
        assertThat(fulfillment(again).path("result").asText()).isEqualTo("requirements_satisfied");
        assertThat(fulfillment(again).path("actions")).isEmpty();
        assertThat(DockerTestSupport.containersOf(owner)).as("one workbench container, fulfilled in place").hasSize(1);
    }

    @Test
    void anImageFromADeniedRegistryIsRefusedBeforeAnythingStarts() throws Exception {
        contract("run", "{ image: quay.io/library/debian:12 }");
        RunService.Result r = new RunService().fulfil(request(), null, options);
        assertThat(r.failureClass()).as(r.message() + Files.readString(r.receiptFile())).isEqualTo(FailureClass.POLICY);
        assertThat(Files.readString(r.receiptFile())).contains("denies registry `quay.io`").contains("org-policy.yaml");
        assertThat(DockerTestSupport.containersOf(owner)).isEmpty();
    }
}
