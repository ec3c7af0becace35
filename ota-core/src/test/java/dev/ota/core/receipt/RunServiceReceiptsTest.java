package dev.ota.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ota.core.activate.Live;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Receipts written by the real run path (real producer process, real probes) validate against
 * docs/schemas/receipt.schema.json and say what happened.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RunServiceReceiptsTest {

    @TempDir
    Path dir;

    private final String marker = "receipts-" + UUID.randomUUID();
    private final List<String> log = new ArrayList<>();
    private Path contract;
    private RunService.Options options;

    @BeforeEach
    void setUp() {
        int port = Live.freePort();
        contract = Live.contract(dir, """
                  dev:
                    run: %s
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                      readiness: { kind: http, listener: http, path: /health, interval: 100ms, retries: 300 }
                  use:
                    run: test -n "$OTA_TARGET_API"
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                  bad:
                    run: exit 3
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_ready }
                """.formatted(Live.yaml(Live.healthServer(port, 2, marker)), port));
        options = new RunService.Options(dir.resolve("target/ota"), "receipts test", null, log::add, log::add);
    }

    @AfterEach
    void tearDown() {
        new RunService().clean(request(null), options);
        Live.assertNoneLeft(marker);
    }

    private PlanRequest request(String task) {
        return new PlanRequest(contract, "ota.yaml", task, Map.of(), Map.of());
    }

    private static JsonNode read(RunService.Result result) throws IOException {
        assertThat(result.receiptFile()).isNotNull();
        JsonNode json = SchemaSupport.JSON.readTree(result.receiptFile().toFile());
        SchemaSupport.assertValid(json);
        return json;
    }

    private static List<String> words(JsonNode receipt) {
        List<String> out = new ArrayList<>();
        receipt.path("steps").forEach(step -> step.path("target_resolutions")
                .forEach(r -> out.add(r.path("activation").path("status").asText())));
        return out;
    }

    @Test
    void everyGoalWritesASchemaValidReceipt() throws Exception {
        RunService service = new RunService();

        JsonNode first = read(service.run(request("use"), options));
        assertThat(first.path("status").asText()).isEqualTo("READY");
        assertThat(words(first)).containsExactly("started_ready");

        JsonNode second = read(service.run(request("use"), options));
        assertThat(words(second)).containsExactly("reused_ready");

        RunService.Result failed = service.run(request("bad"), options);
        JsonNode taskFailed = read(failed);
        assertThat(taskFailed.path("status").asText()).isEqualTo("TASK FAILED");
        assertThat(taskFailed.path("exit_code").asInt()).isEqualTo(3);
        assertThat(failed.exitCode()).isEqualTo(3);

        RunService.Result activated = service.activate(request("use"), options);
        JsonNode activate = read(activated);
        assertThat(activate.path("goal").asText()).isEqualTo("activate");
        assertThat(activated.targets()).containsKey("api");
        assertThat(dir.resolve("target/ota/targets.properties")).content().contains("ota.target.api=");

        JsonNode deactivate = read(service.deactivate(request("use"), activated.started(), options));
        assertThat(deactivate.path("status").asText()).isEqualTo("DEACTIVATED");

        JsonNode clean = read(service.clean(request(null), options));
        assertThat(clean.path("status").asText()).isEqualTo("CLEANED");
        assertThat(clean.path("steps")).isNotEmpty();
    }

    @Test
    void anInvalidContractAndAFailedActivationHaveTheirOwnClassAndStillValidate() throws Exception {
        RunService service = new RunService();
        JsonNode unknown = read(service.run(request("nope"), options));
        assertThat(unknown.path("status").asText()).isEqualTo("INVALID CONTRACT");
        assertThat(unknown.path("failure_class").asText()).isEqualTo("contract");

        Live.contract(dir, """
                  dev:
                    run: echo dying; exit 4
                    runtime:
                      kind: service
                      listeners:
                        http: { http: %d }
                  use:
                    run: "true"
                    targets:
                      api:
                        service: { task: dev, address_view: host }
                        activation: { mode: ensure_running }
                """.formatted(Live.freePort()));
        RunService.Result result = service.run(request("use"), options);
        JsonNode failed = read(result);
        assertThat(failed.path("status").asText()).isEqualTo("ACTIVATION FAILED");
        assertThat(result.message()).contains("exited").contains("dying");
    }

    @Test
    void envDeclaredSecretIsRedactedInTheReceipt() throws Exception {
        contract = dir.resolve("ota.yaml");
        java.nio.file.Files.writeString(contract, """
                version: 1
                project: { name: secrets }
                env:
                  vars:
                    API_TOKEN: { secret: true }
                execution:
                  default_context: host
                  contexts:
                    host: { backend: native }
                tasks:
                  use:
                    env: { API_TOKEN: s3cr3t-value, PLAIN: visible }
                    run: test "$API_TOKEN" = s3cr3t-value
                """);
        RunService.Result result = new RunService().run(request("use"), options);
        assertThat(result.ok()).as(String.valueOf(result.message())).isTrue();
        JsonNode receipt = read(result);
        assertThat(receipt.path("env").path("API_TOKEN").asText()).isEqualTo("***");
        assertThat(receipt.path("env").path("PLAIN").asText()).isEqualTo("visible");
        assertThat(java.nio.file.Files.readString(result.receiptFile())).doesNotContain("s3cr3t-value");
    }
}
