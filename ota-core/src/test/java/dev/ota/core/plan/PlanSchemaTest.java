package dev.ota.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every plan.json ota-maven writes conforms to docs/schemas/plan.schema.json, and the schema is strict. */
class PlanSchemaTest {

    static final Path SCHEMA = Path.of("..", "docs", "schemas", "plan.schema.json");
    static final Path EXAMPLES = Path.of("src", "test", "resources", "contracts", "examples");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        assertThat(SCHEMA).as("schema file (tests run with the module as working directory)").isRegularFile();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        schema = factory.getSchema(JSON.readTree(SCHEMA.toFile()));
    }

    @Test
    void schemaIsAValidDraft202012Schema() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema meta = factory.getSchema(SchemaLocation.of(SchemaId.V202012));
        JsonNode doc = JSON.readTree(SCHEMA.toFile());
        assertThat(meta.validate(doc)).isEmpty();
        assertThat(doc.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(doc.path("required")).extracting(JsonNode::asText).contains("schema", "ok", "contract", "errors",
                "warnings", "tasks", "shared_backends", "activation_steps");
    }

    static Stream<Arguments> fixtures() {
        return Stream.of(
                Arguments.of("workbench/ota.yaml", null),
                Arguments.of("workbench/ota.yaml", "sandbox"),
                Arguments.of("workbench/ota.yaml", "smoke"),
                Arguments.of("workbench/ota.yaml", "api:reload-check"),
                Arguments.of("direct-fulfillment/ota.yaml", null),
                Arguments.of("direct-fulfillment/ota.yaml", "ui"),
                Arguments.of("shared-native.yaml", null),
                Arguments.of("shared-native.yaml", "ledger-worker"),
                Arguments.of("shared-remote.yaml", null),
                Arguments.of("shared-remote.yaml", "smoke"),
                Arguments.of("workspace-producer.yaml", null),
                Arguments.of("workspace-consumer.yaml", null),
                Arguments.of("workspace-consumer.yaml", "e2e"));
    }

    @ParameterizedTest(name = "{0} task={1}")
    @MethodSource("fixtures")
    void examplePlansConform(String fixture, String task) throws IOException {
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(EXAMPLES.resolve(fixture), fixture, task, Map.of(), Map.of()));
        Path out = dir.resolve("target/ota/plan.json");
        PlanJson.write(outcome.plan(), out);
        JsonNode plan = JSON.readTree(out.toFile());
        assertValid(plan);
        assertThat(plan.path("tasks").size()).isPositive();
        if (task != null) {
            assertThat(plan.path("requested_task").asText()).isEqualTo(task);
        }
    }

    @Test
    void invalidContractPlanConforms() throws IOException {
        Path file = dir.resolve("ota.yaml");
        Files.writeString(file, "version: 1\nproject: { name: broken }\ntasks:\n  a: { run: x, depends_on: [nope], bogus: 1 }\n");
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(file, "ota.yaml", null, Map.of(), Map.of()));
        assertThat(outcome.ok()).isFalse();
        JsonNode plan = JSON.readTree(PlanJson.toJson(outcome.plan()));
        assertValid(plan);
        assertThat(plan.path("errors").size()).isPositive();
    }

    @Test
    void unreadableContractPlanConforms() throws IOException {
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(dir.resolve("missing.yaml"), "missing.yaml", null, Map.of(),
                Map.of()));
        JsonNode plan = JSON.readTree(PlanJson.toJson(outcome.plan()));
        assertValid(plan);
        assertThat(plan.has("project")).isFalse();
        assertThat(plan.path("errors").get(0).path("line").asInt()).isZero();
    }

    @Test
    void policyFailurePlanConforms() throws IOException {
        Path file = dir.resolve("ota.yaml");
        Files.writeString(file, """
                version: 1
                project: { name: p }
                execution:
                  contexts:
                    app: { backend: container, lifecycle: persistent, container: { image: node:24 } }
                  shared_backends:
                    stack:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: app
                      environment: { profile: missing-policy }
                tasks:
                  web:
                    context: app
                    run: node server.js
                    runtime:
                      kind: service
                      backend_binding: stack
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 3000 } }
                """);
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(file, "ota.yaml", null, Map.of(), Map.of()));
        assertThat(outcome.errors()).extracting(d -> d.code()).containsExactly("OTA_POLICY_REQUIRED");
        JsonNode plan = JSON.readTree(PlanJson.toJson(outcome.plan()));
        assertValid(plan);
        assertThat(plan.at("/shared_backends/stack/environment").has("effective_image")).isFalse();
    }

    // ---- the schema is strict ----------------------------------------------------------------

    private ObjectNode workbenchPlan() throws IOException {
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(EXAMPLES.resolve("workbench/ota.yaml"), "ota.yaml", null,
                Map.of(), Map.of()));
        return (ObjectNode) JSON.readTree(PlanJson.toJson(outcome.plan()));
    }

    @Test
    void rejectsUnknownTopLevelField() throws IOException {
        ObjectNode plan = workbenchPlan();
        plan.put("surprise", 1);
        assertInvalid(plan);
    }

    @Test
    void rejectsMissingRequiredField() throws IOException {
        for (String field : List.of("schema", "ok", "contract", "errors", "warnings", "tasks", "shared_backends",
                "activation_steps")) {
            ObjectNode plan = workbenchPlan();
            plan.remove(field);
            assertInvalid(plan);
        }
    }

    @Test
    void rejectsResolutionWithNeitherUrlNorError() throws IOException {
        ObjectNode plan = workbenchPlan();
        ObjectNode resolution = (ObjectNode) plan.at("/tasks/sandbox/target_resolutions/0");
        resolution.remove("effective_url");
        assertInvalid(plan);
        resolution.put("error", "cannot resolve");
        resolution.put("fix", "do something");
        resolution.remove("source");
        assertValidOrFail(plan, false);
    }

    @Test
    void rejectsResolutionWithBothUrlAndError() throws IOException {
        ObjectNode plan = workbenchPlan();
        ((ObjectNode) plan.at("/tasks/sandbox/target_resolutions/0")).put("error", "x").put("fix", "y");
        assertInvalid(plan);
    }

    @Test
    void rejectsContainerBackendWithoutEffectiveImageInOkPlan() throws IOException {
        ObjectNode plan = workbenchPlan();
        ((ObjectNode) plan.at("/shared_backends/workbench/environment")).remove("effective_image");
        assertInvalid(plan);
        ((ObjectNode) plan.at("/shared_backends/workbench")).remove("environment");
        assertInvalid(plan);
    }

    @Test
    void rejectsOkPlanWithErrorsAndDiagnosticWithoutFields() throws IOException {
        ObjectNode plan = workbenchPlan();
        ArrayNode errors = (ArrayNode) plan.get("errors");
        ObjectNode warning = ((ObjectNode) plan.at("/warnings/0")).deepCopy();
        warning.put("severity", "error");
        errors.add(warning);
        assertInvalid(plan);
        plan.put("ok", false);
        assertValidOrFail(plan, false);
        warning.remove("column");
        assertInvalid(plan);
    }

    @Test
    void rejectsUnknownEnumValues() throws IOException {
        ObjectNode plan = workbenchPlan();
        ((ObjectNode) plan.at("/tasks/sandbox/target_resolutions/0/activation")).put("status", "maybe");
        assertInvalid(plan);
        plan = workbenchPlan();
        ((ObjectNode) plan.at("/tasks/sandbox/target_resolutions/0")).put("source", "guess");
        assertInvalid(plan);
        plan = workbenchPlan();
        ((ObjectNode) plan.at("/tasks/api/listeners/0")).put("extra", true);
        assertInvalid(plan);
    }

    static void assertValid(JsonNode plan) {
        Set<ValidationMessage> errors = schema.validate(plan);
        assertThat(errors).as("schema violations in %s", plan.toPrettyString()).isEmpty();
    }

    private static void assertValidOrFail(JsonNode plan, boolean expectInvalid) {
        Set<ValidationMessage> errors = schema.validate(plan);
        if (expectInvalid) {
            assertThat(errors).isNotEmpty();
        } else {
            assertThat(errors).isEmpty();
        }
    }

    private static void assertInvalid(JsonNode plan) {
        assertValidOrFail(plan, true);
    }
}
