package dev.ota.core.receipt;

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
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Receipts ota-maven writes conform to docs/schemas/receipt.schema.json, and the schema is strict. */
class ReceiptSchemaTest {

    static final Path SCHEMA = SchemaSupport.SCHEMA_FILE;
    static final ObjectMapper JSON = SchemaSupport.JSON;

    @Test
    void schemaFileIsWhereTheDocsSay() {
        assertThat(SCHEMA).as("schema file (tests run with the module as working directory)").isRegularFile();
    }

    @Test
    void schemaIsAValidDraft202012Schema() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonSchema meta = factory.getSchema(SchemaLocation.of(SchemaId.V202012));
        JsonNode doc = JSON.readTree(SCHEMA.toFile());
        assertThat(meta.validate(doc)).isEmpty();
        assertThat(doc.path("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
        assertThat(doc.path("additionalProperties").asBoolean(true)).isFalse();
    }

    @Test
    void schemaVocabulariesMatchTheJavaEnums() throws IOException {
        JsonNode doc = JSON.readTree(SCHEMA.toFile());
        assertThat(texts(doc.at("/properties/status/enum")))
                .containsExactlyElementsOf(Arrays.stream(ReceiptStatus.values()).map(ReceiptStatus::label).toList());
        List<String> classes = new ArrayList<>(Arrays.stream(FailureClass.values()).map(FailureClass::word).toList());
        assertThat(texts(doc.at("/properties/failure_class/enum"))).containsExactlyElementsOf(classes);
        assertThat(doc.at("/properties/failure_class/enum").get(classes.size()).isNull()).isTrue();
        assertThat(texts(doc.at("/properties/goal/enum")))
                .containsExactlyElementsOf(Arrays.stream(Goal.values()).map(Goal::word).toList());
        assertThat(texts(doc.at("/$defs/activationStatus/enum")))
                .containsExactlyElementsOf(Arrays.stream(ActivationStatus.values()).map(ActivationStatus::word).toList());
        assertThat(texts(doc.at("/$defs/step/properties/stage_family/enum"))).containsExactlyElementsOf(
                Arrays.stream(ReceiptStep.StageFamily.values()).map(ReceiptStep.StageFamily::word).toList());
        assertThat(texts(doc.at("/$defs/step/properties/execution_relation/enum"))).containsExactlyElementsOf(
                Arrays.stream(ReceiptStep.ExecutionRelation.values()).map(ReceiptStep.ExecutionRelation::word).toList());
        assertThat(doc.at("/properties/schema/const").asText()).isEqualTo(Receipt.SCHEMA);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            if (!n.isNull()) {
                out.add(n.asText());
            }
        });
        return out;
    }

    // ---- receipts of every outcome conform --------------------------------------------------

    static Stream<Arguments> outcomes() {
        return Stream.of(
                Arguments.of("success", (Supplier<Receipt>) Receipts::success),
                Arguments.of("task failure", (Supplier<Receipt>) Receipts::taskFailure),
                Arguments.of("activation failure", (Supplier<Receipt>) Receipts::activationFailure),
                Arguments.of("interrupted", (Supplier<Receipt>) Receipts::interrupted),
                Arguments.of("deactivated", (Supplier<Receipt>) Receipts::deactivated),
                Arguments.of("cleaned", (Supplier<Receipt>) Receipts::cleaned),
                Arguments.of("clean failed", (Supplier<Receipt>) Receipts::cleanFailed),
                Arguments.of("invalid contract", (Supplier<Receipt>) Receipts::invalidContract),
                Arguments.of("policy refused", (Supplier<Receipt>) Receipts::policyRefused),
                Arguments.of("fulfillment failed", (Supplier<Receipt>) Receipts::fulfillmentFailed));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("outcomes")
    void receiptsOfEveryOutcomeConform(String name, Supplier<Receipt> receipt) throws IOException {
        assertValid(tree(receipt.get()));
    }

    @Test
    void successReceiptCarriesTheReferenceFields() throws IOException {
        JsonNode r = tree(Receipts.success());
        assertThat(r.path("schema").asText()).isEqualTo("ota-maven/receipt@1");
        assertThat(r.path("ok").asBoolean()).isTrue();
        assertThat(r.path("status").asText()).isEqualTo("READY");
        assertThat(r.has("failure_class")).as("failure_class is written as null").isTrue();
        assertThat(r.path("failure_class").isNull()).isTrue();
        assertThat(r.path("exit_code").asInt()).isZero();
        assertThat(r.path("scope").asText()).isEqualTo("repo");
        assertThat(r.path("duration_ms").asLong()).isEqualTo(1220);
        assertThat(r.path("started_at").asText()).isEqualTo("2026-04-12T10:10:10.123Z");
        assertThat(r.path("finished_at").asText()).isEqualTo("2026-04-12T10:10:11.343Z");
        assertThat(r.at("/contract_identity/counts/tasks").asInt()).isEqualTo(3);
        assertThat(r.at("/summary/step_count").asInt()).isEqualTo(3);
        assertThat(r.at("/summary/info_count").asInt()).isEqualTo(1);
        assertThat(r.at("/maven/artifact_id").asText()).isEqualTo("native-topology");
        JsonNode main = r.at("/steps/2");
        assertThat(main.path("execution_relation").asText()).isEqualTo("requested");
        assertThat(main.path("stage_family").asText()).isEqualTo("verify");
        assertThat(main.at("/target_resolutions/0/activation/status").asText()).isEqualTo("started_ready");
        assertThat(main.at("/target_resolutions/0/activation/probe/attempts").asInt()).isEqualTo(3);
        assertThat(main.at("/target_resolutions/0/service_ref/address_view").asText()).isEqualTo("topology");
        assertThat(main.at("/target_resolutions/0/effective_url").asText()).isEqualTo(Receipts.URL);
        assertThat(main.at("/shared_local_backend/effective_identity").asText()).isNotEmpty();
        assertThat(main.at("/shared_local_backend/reuse").asText()).isEqualTo("reused");
        assertThat(main.at("/timings/elapsed_ms").asLong()).isEqualTo(800);
        assertThat(r.at("/steps/0/execution_relation").asText()).isEqualTo("activation");
        assertThat(r.at("/steps/0/execution_parent").asText()).isEqualTo("sandbox");
        assertThat(r.at("/steps/1/execution_relation").asText()).isEqualTo("depends_on");
        assertThat(r.at("/steps/0").has("target_resolutions")).as("empty lists are omitted").isFalse();
    }

    @Test
    void failureReceiptsSayWhichClassFailed() throws IOException {
        JsonNode task = tree(Receipts.taskFailure());
        assertThat(task.path("status").asText()).isEqualTo("TASK FAILED");
        assertThat(task.path("failure_class").asText()).isEqualTo("task");
        assertThat(task.path("exit_code").asInt()).isEqualTo(3);
        assertThat(task.path("failed_task").asText()).isEqualTo("sandbox");
        assertThat(task.at("/steps/1/exit_code").asInt()).isEqualTo(3);

        JsonNode activation = tree(Receipts.activationFailure());
        assertThat(activation.path("status").asText()).isEqualTo("ACTIVATION FAILED");
        assertThat(activation.path("failure_class").asText()).isEqualTo("activation");
        assertThat(activation.path("exit_code").asInt()).isEqualTo(1);
        assertThat(activation.at("/steps/0/log_tail").size()).isEqualTo(2);
        assertThat(activation.at("/steps/1/target_resolutions/0/activation/probe/result").asText()).isEqualTo("exited");
        assertThat(activation.at("/steps/1/target_resolutions/0/activation/probe/exit_code").asInt()).isEqualTo(1);
        assertThat(activation.at("/summary/error_count").asInt()).isEqualTo(1);
        assertThat(activation.path("next_steps").size()).isEqualTo(2);

        JsonNode interrupted = tree(Receipts.interrupted());
        assertThat(interrupted.path("status").asText()).isEqualTo("INTERRUPTED");
        assertThat(interrupted.path("exit_code").asInt()).isEqualTo(130);
        assertThat(interrupted.at("/steps/1/status").asText()).isEqualTo("INTERRUPTED");
        assertThat(interrupted.at("/steps/2/status").asText()).isEqualTo("STOPPED");

        assertThat(List.of(Receipts.invalidContract(), Receipts.policyRefused(), Receipts.fulfillmentFailed(),
                Receipts.cleanFailed()))
                .extracting(r -> r.status().label() + "/" + r.failureClass().word() + "/" + r.exitCode())
                .containsExactly("INVALID CONTRACT/contract/1", "POLICY REFUSED/policy/1",
                        "FULFILLMENT FAILED/fulfillment/1", "CLEAN FAILED/cleanup/1");
    }

    @ParameterizedTest
    @EnumSource(value = ActivationStatus.class, names = {"FAILED", "INTERRUPTED"}, mode = EnumSource.Mode.EXCLUDE)
    void eachActivationEvidenceWordConforms(ActivationStatus word) throws IOException {
        JsonNode r = tree(Receipts.withEvidence(word));
        assertValid(r);
        JsonNode resolutions = null;
        for (JsonNode step : r.path("steps")) {
            if ("requested".equals(step.path("execution_relation").asText())) {
                resolutions = step.path("target_resolutions");
            }
        }
        assertThat(resolutions).isNotNull();
        assertThat(resolutions.at("/0/activation/status").asText()).isEqualTo(word.word());
    }

    // ---- the schema is strict ----------------------------------------------------------------

    @Test
    void rejectsUnknownFieldsEverywhere() throws IOException {
        assertRejected(Receipts::success, r -> r.put("surprise", 1));
        assertRejected(Receipts::success, r -> step(r, 2).put("surprise", 1));
        assertRejected(Receipts::success, r -> resolution(r).put("surprise", 1));
        assertRejected(Receipts::success, r -> activation(r).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) activation(r).get("probe")).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) step(r, 2).get("shared_local_backend")).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) step(r, 2).get("timings")).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) r.get("summary")).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) r.get("maven")).put("surprise", 1));
        assertRejected(Receipts::success, r -> ((ObjectNode) r.get("contract_identity")).put("surprise", 1));
    }

    @Test
    void rejectsMissingRequiredFields() throws IOException {
        for (String field : List.of("schema", "ok", "status", "failure_class", "goal", "path", "scope", "contract",
                "started_at", "finished_at", "duration_ms", "exit_code", "steps", "findings", "summary", "next_steps",
                "contract_identity", "task")) {
            assertRejected(Receipts::success, r -> r.remove(field));
        }
        assertRejected(Receipts::success, r -> step(r, 2).remove("timings"));
        assertRejected(Receipts::success, r -> resolution(r).remove("effective_url"));
        assertRejected(Receipts::success, r -> activation(r).remove("status"));
    }

    @Test
    void rejectsBadEvidenceWords() throws IOException {
        assertRejected(Receipts::success, r -> activation(r).put("status", "started_maybe"));
        assertRejected(Receipts::success, r -> activation(r).put("status", "STARTED_READY"));
        assertRejected(Receipts::success, r -> activation(r).put("status", "planned"));
        // a word the declared mode cannot produce
        assertRejected(Receipts::success, r -> activation(r).put("status", "started_started"));
        assertRejected(Receipts::success, r -> activation(r).put("mode", "ensure_sometimes"));
        // a wait word without a successful wait
        assertRejected(Receipts::success, r -> activation(r).remove("probe"));
        assertRejected(Receipts::success, r -> ((ObjectNode) activation(r).get("probe")).put("result", "exhausted"));
        // a reused word must say what it found
        assertRejected(() -> Receipts.withEvidence(ActivationStatus.REUSED_READY), r -> activation(r).remove("reuse"));
        // skipping needs an explicit override, and an override skips
        assertRejected(() -> Receipts.withEvidence(ActivationStatus.SKIPPED_EXPLICIT_OVERRIDE),
                r -> resolution(r).put("source", "target_binding"));
        assertRejected(() -> Receipts.withEvidence(ActivationStatus.STARTED_READY),
                r -> resolution(r).put("source", "explicit_override"));
        // manual touches nothing
        assertRejected(() -> Receipts.withEvidence(ActivationStatus.MANUAL),
                r -> activation(r).set("probe", ReceiptJson.mapper().valueToTree(Receipts.readyProbe(1))));
    }

    @Test
    void rejectsInconsistentOutcomes() throws IOException {
        assertRejected(Receipts::success, r -> r.put("exit_code", 1));
        assertRejected(Receipts::success, r -> r.put("failure_class", "task"));
        assertRejected(Receipts::success, r -> r.put("status", "TASK FAILED"));
        assertRejected(Receipts::success, r -> r.put("status", "CLEANED"));
        assertRejected(Receipts::success, r -> r.put("error", "boom"));
        assertRejected(Receipts::success, r -> r.put("status", "WARN"));
        assertRejected(Receipts::taskFailure, r -> r.put("failure_class", "activation"));
        assertRejected(Receipts::taskFailure, r -> r.remove("failed_task"));
        assertRejected(Receipts::taskFailure, r -> r.put("goal", "activate"));
        assertRejected(Receipts::activationFailure, r -> r.put("exit_code", 3));
        assertRejected(Receipts::activationFailure, r -> r.put("failed_task", "sandbox"));
        assertRejected(Receipts::activationFailure, r -> r.remove("error"));
        assertRejected(Receipts::activationFailure, r -> r.set("next_steps", JSON.createArrayNode()));
        assertRejected(Receipts::activationFailure, r -> ((ObjectNode) r.get("summary")).put("error_count", 0));
        assertRejected(Receipts::activationFailure, r -> r.putNull("failure_class"));
        assertRejected(Receipts::interrupted, r -> r.put("exit_code", 1));
        assertRejected(Receipts::cleanFailed, r -> r.put("goal", "run"));
        assertRejected(Receipts::policyRefused, r -> r.remove("contract_identity"));
    }

    @Test
    void rejectsMalformedValues() throws IOException {
        assertRejected(Receipts::success, r -> r.put("started_at", "2026-04-12T10:10:10Z"));
        assertRejected(Receipts::success, r -> r.put("started_at", "2026-04-12 10:10:10.123"));
        assertRejected(Receipts::success, r -> r.put("scope", "workspace"));
        assertRejected(Receipts::success, r -> r.put("schema", "ota-maven/receipt@2"));
        assertRejected(Receipts::success, r -> r.put("exit_code", 256));
        assertRejected(Receipts::policyRefused, r -> r.put("policy", "org policy: x (workspace policy)"));
        assertRejected(Receipts::policyRefused, r -> r.set("policy", JSON.createArrayNode().add("")));
        assertRejected(Receipts::success, r -> step(r, 2).put("status", "ready"));
        assertRejected(Receipts::success, r -> step(r, 2).put("stage_family", "build"));
        assertRejected(Receipts::success, r -> step(r, 2).put("execution_relation", "aggregate"));
        assertRejected(Receipts::success, r -> step(r, 1).remove("execution_parent"));
        assertRejected(Receipts::success, r -> step(r, 2).put("order", 0));
        assertRejected(Receipts::success, r -> resolution(r).put("source", "guess"));
        assertRejected(Receipts::success, r -> ((ObjectNode) resolution(r).get("service_ref")).put("address_view", "lan"));
        assertRejected(Receipts::success, r -> ((ObjectNode) step(r, 2).get("shared_local_backend")).put("reuse", "adopted"));
        assertRejected(Receipts::activationFailure, r -> {
            ArrayNode tail = (ArrayNode) step(r, 0).get("log_tail");
            for (int i = 0; i < 20; i++) {
                tail.add("line " + i);
            }
        });
    }

    // ---- helpers -----------------------------------------------------------------------------

    static ObjectNode tree(Receipt receipt) {
        return SchemaSupport.tree(receipt);
    }

    private static ObjectNode step(ObjectNode receipt, int index) {
        return (ObjectNode) receipt.get("steps").get(index);
    }

    /** The first target resolution of the requested step. */
    private static ObjectNode resolution(ObjectNode receipt) {
        for (JsonNode s : receipt.get("steps")) {
            if ("requested".equals(s.path("execution_relation").asText())) {
                return (ObjectNode) s.get("target_resolutions").get(0);
            }
        }
        throw new AssertionError("no requested step");
    }

    private static ObjectNode activation(ObjectNode receipt) {
        return (ObjectNode) resolution(receipt).get("activation");
    }

    static void assertValid(JsonNode receipt) {
        SchemaSupport.assertValid(receipt);
    }

    private static void assertRejected(Supplier<Receipt> base, Consumer<ObjectNode> change) throws IOException {
        ObjectNode receipt = tree(base.get());
        assertValid(receipt);
        change.accept(receipt);
        assertThat(SchemaSupport.validate(receipt)).as("schema should reject %s", receipt.toPrettyString()).isNotEmpty();
    }
}
