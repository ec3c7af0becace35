package dev.ota.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.PlanJson;
import dev.ota.core.plan.PlanText;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The example contracts of the spec (contract-surface §7) plan cleanly end to end. */
class ExamplesTest {

    static final Path EXAMPLES = Path.of("src", "test", "resources", "contracts", "examples");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static PlanOutcome plan(String fixture, String task, Map<String, String> inputs) {
        return OtaEngine.plan(new PlanRequest(EXAMPLES.resolve(fixture), fixture, task, inputs, Map.of()));
    }

    static PlanOutcome plan(String fixture) {
        return plan(fixture, null, Map.of());
    }

    static Plan.TargetResolution resolution(PlanOutcome outcome, String task, String target) {
        return outcome.plan().tasks().get(task).targetResolutions().stream().filter(r -> r.target().equals(target))
                .findFirst().orElseThrow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"workbench/ota.yaml", "direct-fulfillment/ota.yaml", "shared-native.yaml",
        "shared-remote.yaml", "workspace-producer.yaml", "workspace-consumer.yaml"})
    void everyExamplePlansOkAndWritesValidJson(String fixture) throws IOException {
        PlanOutcome outcome = plan(fixture);
        assertThat(outcome.errors()).as("errors of %s", fixture).isEmpty();
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.plan().ok()).isTrue();
        assertThat(outcome.warnings()).allSatisfy(w -> assertThat(w.code()).isEqualTo("OTA_FIELD_NOT_SUPPORTED"));
        assertThat(outcome.plan().tasks()).isNotEmpty();

        Path file = dir.resolve("target/ota/plan.json");
        PlanJson.write(outcome.plan(), file);
        JsonNode json = JSON.readTree(Files.readString(file));
        assertThat(json.path("schema").asText()).isEqualTo(Plan.SCHEMA);
        assertThat(json.path("ok").asBoolean()).isTrue();
        assertThat(json.path("contract").asText()).isEqualTo(fixture);
        assertThat(json.path("tasks").size()).isEqualTo(outcome.plan().tasks().size());
        assertThat(json.toString()).doesNotContain(":null");
        try (var leftovers = Files.list(file.getParent())) {
            assertThat(leftovers.map(p -> p.getFileName().toString()).toList()).containsExactly("plan.json");
        }
        List<String> text = PlanText.render(outcome.plan());
        assertThat(text.get(0)).contains(fixture).contains("RESOLVED");
    }

    @ParameterizedTest(name = "{0} -Dota.task={1}")
    @CsvSource({
        "workbench/ota.yaml, setup",
        "direct-fulfillment/ota.yaml, test",
        "direct-fulfillment/ota.yaml, ui",
        "direct-fulfillment/ota.yaml, storybook",
        "direct-fulfillment/ota.yaml, mock-api",
        "direct-fulfillment/ota.yaml, legacy-admin",
        "shared-native.yaml, billing-api",
        "shared-native.yaml, ledger-worker",
        "shared-native.yaml, warmup",
        "shared-native.yaml, docs:dev",
        "shared-remote.yaml, dev",
        "shared-remote.yaml, sandbox",
        "shared-remote.yaml, smoke",
        "shared-remote.yaml, pod-api",
        "shared-remote.yaml, pod-client"
    })
    void requestedTasksPlanOk(String fixture, String task) {
        PlanOutcome outcome = plan(fixture, task, Map.of());
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.plan().requestedTask()).isEqualTo(task);
        assertThat(outcome.plan().tasks()).containsKey(task);
    }

    @ParameterizedTest(name = "{0} -Dota.task={1}")
    @CsvSource({
        "workbench/ota.yaml, api",
        "workbench/ota.yaml, sandbox",
        "workbench/ota.yaml, smoke",
        "workspace-producer.yaml, dev"
    })
    void runningATaskThatNeedsAnUnsupportedFieldIsAnError(String fixture, String task) {
        PlanOutcome outcome = plan(fixture, task, Map.of());
        assertThat(outcome.errors()).extracting(Diagnostic::code).containsExactly("OTA_FIELD_NOT_SUPPORTED_FOR_RUN");
        assertThat(outcome.errors().get(0).message()).contains("not support");
        assertThat(outcome.ok()).isFalse();
    }

    @Test
    void workbench() {
        PlanOutcome outcome = plan("workbench/ota.yaml");
        Plan.SharedBackendPlan workbench = outcome.plan().sharedBackends().get("workbench");
        assertThat(workbench.environment().effectiveImage()).isEqualTo("ghcr.io/acme/workbench-java21-node24:2026.05");
        assertThat(workbench.environment().effectiveRegistry()).isEqualTo("ghcr.io");
        assertThat(workbench.boundTasks()).containsExactly("api", "sandbox");
        assertThat(workbench.requirements().runtimes()).containsOnlyKeys("java", "node");
        assertThat(outcome.plan().policy().source()).isEqualTo("repo policy");
        assertThat(resolution(outcome, "sandbox", "api").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(resolution(outcome, "smoke", "api").effectiveUrl()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(resolution(outcome, "smoke", "docs").effectiveUrl()).isEqualTo("https://docs.example.com/orders");
        assertThat(resolution(outcome, "api:reload-check", "api").activation().mode()).isEqualTo("restart_ready");
        assertThat(outcome.plan().tasks().get("api").env()).containsEntry("OTA_PUBLIC_URL", "http://127.0.0.1:8080/")
                .containsEntry("SPRING_PROFILES_ACTIVE", "local");
    }

    @Test
    void workbenchSandboxWithExplicitOverrideNeedsNoProducer() {
        PlanOutcome outcome = plan("workbench/ota.yaml", "sandbox", Map.of("base_url", "https://preview.example"));
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.plan().tasks()).containsOnlyKeys("sandbox");
        assertThat(outcome.plan().activationSteps()).isEmpty();
        assertThat(resolution(outcome, "sandbox", "api").activation().status()).isEqualTo("skipped_explicit_override");
    }

    @Test
    void directFulfillmentFourIntents() {
        PlanOutcome outcome = plan("direct-fulfillment/ota.yaml");
        Map<String, Plan.SharedBackendPlan> b = outcome.plan().sharedBackends();
        assertThat(b.get("ui-stack").environment().effectiveImage()).isEqualTo("node:24-bookworm");
        assertThat(b.get("ui-stack").environment().resolvedBy()).isEqualTo("context image (no policy default_profile)");
        assertThat(b.get("mocks-stack").environment().effectiveImage()).isEqualTo("node:24-bookworm");
        assertThat(b.get("mocks-stack").environment().resolvedBy()).isEqualTo("policy image alias");
        assertThat(b.get("legacy-stack").environment().effectiveImage())
                .isEqualTo("registry.acme.internal/tools/node-toolbox:20");
        assertThat(b.get("legacy-stack").environment().effectiveRegistry()).isEqualTo("registry.acme.internal");
        assertThat(b.get("ui-stack").requirements().tools()).containsEntry("pnpm", "10");
    }

    @Test
    void sharedNative() {
        PlanOutcome outcome = plan("shared-native.yaml", "ledger-worker", Map.of());
        assertThat(resolution(outcome, "ledger-worker", "billing").effectiveUrl()).isEqualTo("http://127.0.0.1:8081");
        assertThat(resolution(outcome, "ledger-worker", "billing").source()).isEqualTo("target_binding");
        assertThat(outcome.plan().activationSteps()).singleElement().satisfies(s -> {
            assertThat(s.producer()).isEqualTo("billing-api");
            assertThat(s.mode()).isEqualTo("ensure_running");
            assertThat(s.waitsFor()).contains("listener `http`");
        });
        PlanOutcome all = plan("shared-native.yaml");
        assertThat(resolution(all, "warmup", "billing").effectiveUrl()).isEqualTo("http://127.0.0.1:8081/");
        assertThat(all.plan().sharedBackends().get("local-stack").environment()).isNull();
        assertThat(all.plan().sharedBackends().get("local-stack").requirements().tools()).containsEntry("gradle", "^8");
    }

    @Test
    void sharedRemote() {
        PlanOutcome outcome = plan("shared-remote.yaml");
        assertThat(resolution(outcome, "sandbox", "api").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
        assertThat(resolution(outcome, "smoke", "api").effectiveUrl())
                .isEqualTo("http://api.devbox.internal.example.com:8080/");
        assertThat(resolution(outcome, "pod-client", "api").effectiveUrl()).isEqualTo("http://127.0.0.1:9000");
        assertThat(outcome.plan().sharedBackends().get("devbox-stack").requirements().runtimes())
                .containsEntry("python", ">=3.11");
        PlanOutcome sandbox = plan("shared-remote.yaml", "sandbox", Map.of());
        assertThat(sandbox.plan().activationSteps()).singleElement().satisfies(s -> {
            assertThat(s.backend()).isEqualTo("remote");
            assertThat(s.waitsFor()).contains("runtime.readiness: http GET /health");
        });
    }

    @Test
    void workspaceConsumerRepoTargetIsUnresolvedButDoesNotFailTheUntargetedPlan() {
        PlanOutcome outcome = plan("workspace-consumer.yaml");
        assertThat(outcome.ok()).isTrue();
        Plan.TargetResolution r = resolution(outcome, "e2e", "catalog");
        assertThat(r.resolved()).isFalse();
        assertThat(r.serviceRef().repo()).isEqualTo("backend");
        assertThat(r.error()).contains("ota.workspace.yaml");
        assertThat(r.fix()).contains("override_input");

        PlanOutcome e2e = plan("workspace-consumer.yaml", "e2e", Map.of());
        assertThat(e2e.ok()).isFalse();
        assertThat(e2e.errors()).extracting(Diagnostic::code).contains("OTA_TARGET_UNRESOLVED");
    }

    @Test
    void workspaceProducer() {
        PlanOutcome outcome = plan("workspace-producer.yaml");
        Plan.TaskPlan dev = outcome.plan().tasks().get("dev");
        assertThat(dev.backend()).isEqualTo("native");
        assertThat(dev.listeners()).singleElement().satisfies(l -> assertThat(l.hostUrl()).isEqualTo("http://127.0.0.1:8080/"));
    }
}
