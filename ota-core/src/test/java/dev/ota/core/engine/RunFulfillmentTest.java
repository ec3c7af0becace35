package dev.ota.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.receipt.FailureClass;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run-path fulfillment of a shared native backend on the real host: checked before anything runs. */
class RunFulfillmentTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private RunService.Options options;

    @BeforeEach
    void setUp() {
        options = new RunService.Options(dir.resolve("target/ota"), "fulfil test", null, log::add, log::add);
    }

    private void contract(String tools, String mode) throws Exception {
        Files.writeString(dir.resolve("ota.yaml"), """
                version: 1
                project: { name: fulfil }
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements:
                        tools: { %s }
                  shared_backends:
                    stack: { scope: local, backend: native, lifecycle: persistent, context: host%s }
                tasks:
                  api:
                    run: echo started > started.txt; exec sleep 300
                    runtime:
                      kind: service
                      backend_binding: stack
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 127.0.0.1, port: { mode: fixed, value: 18431 } }
                          project: { host: { address: 127.0.0.1, port: { mode: fixed, value: 18431 } } }
                  use:
                    run: echo used > used.txt
                    targets:
                      api: { service: { task: api, address_view: host }, activation: { mode: ensure_started } }
                """.formatted(tools, mode == null ? "" : ", fulfillment: " + mode), StandardCharsets.UTF_8);
    }

    private PlanRequest request(String task) {
        return new PlanRequest(dir.resolve("ota.yaml"), "ota.yaml", task, Map.of(), Map.of());
    }

    @Test
    void aMissingToolUnderFulfillmentNoneFailsBeforeTheProducerStarts() throws Exception {
        contract("sh: \"*\", ota-definitely-missing-tool: \">=1\"", "none");
        RunService.Result r = new RunService().run(request("use"), options);
        assertThat(r.failureClass()).as(r.message() + "\n" + Files.readString(r.receiptFile())).isEqualTo(FailureClass.FULFILLMENT);
        assertThat(r.message()).startsWith("FULFILLMENT FAILED for task `use`: shared_backend:stack on ")
                .contains("tool ota-definitely-missing-tool >=1").contains("`fulfillment: run`")
                .contains("`execution.shared_backends.stack`");
        assertThat(dir.resolve("started.txt")).doesNotExist();
        assertThat(dir.resolve("used.txt")).doesNotExist();
        JsonNode receipt = JSON.readTree(r.receiptFile().toFile());
        assertThat(receipt.path("status").asText()).isEqualTo("FULFILLMENT FAILED");
        JsonNode f = receipt.path("steps").get(0).path("backend_fulfillment");
        assertThat(f.path("backend_unit").asText()).isEqualTo("shared_backend:stack");
        assertThat(f.path("mode").asText()).isEqualTo("none");
        assertThat(f.path("result").asText()).isEqualTo("missing_requirements");
        assertThat(f.path("missing").toString()).contains("tool ota-definitely-missing-tool >=1");
        assertThat(f.path("declared_tools").path("sh").asText()).isEqualTo("*");
        assertThat(f.path("task_executed").asBoolean()).isFalse();
    }

    @Test
    void satisfiedRequirementsLetTheRunProceedAndSayWhy() throws Exception {
        contract("sh: \"*\"", null);
        RunService.Result r = new RunService().run(request("use"), options);
        try {
            assertThat(r.ok()).as(r.message() + "\n" + String.join("\n", log)).isTrue();
            JsonNode receipt = JSON.readTree(r.receiptFile().toFile());
            assertThat(receipt.path("steps").get(0).path("backend_fulfillment").path("result").asText())
                    .isEqualTo("requirements_satisfied");
            assertThat(dir.resolve("used.txt")).exists();
        } finally {
            new RunService().clean(request(null), options);
        }
    }

    @Test
    void fulfillmentRunWithoutAnInstallableSourceFailsAsAFulfillmentFailure() throws Exception {
        contract("ota-definitely-missing-tool: \"*\"", "run");
        RunService.Result r = new RunService().fulfil(request(null), null, options);
        assertThat(r.failureClass()).as(r.message() + "\n" + Files.readString(r.receiptFile())).isEqualTo(FailureClass.FULFILLMENT);
        JsonNode receipt = JSON.readTree(r.receiptFile().toFile());
        assertThat(receipt.path("goal").asText()).isEqualTo("fulfill");
        // `fulfillment: run` is intent, not a policy bypass: without a provisioning entry nothing is tried
        JsonNode f = receipt.path("steps").get(0).path("backend_fulfillment");
        assertThat(f.path("result").asText()).isEqualTo("missing_requirements");
        assertThat(f.path("actions")).isEmpty();
        assertThat(r.message()).contains("the org policy allows no install of it");
    }
}
