package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.plan.Plan;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A whole workspace validated at once, and the workspace.json written from it. */
class WorkspaceEngineTest {

    /** The reference example pair (backend produces `dev`, storefront's e2e targets it) plus an optional repo. */
    static final Path SHOP = Path.of("src", "test", "resources", "workspace", "shop", Workspace.FILE_NAME);
    static final Path SCHEMA = Path.of("..", "docs", "schemas", "workspace.schema.json");
    static final ObjectMapper JSON = new ObjectMapper();

    static JsonSchema schema;

    @TempDir
    Path dir;

    @BeforeAll
    static void loadSchema() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        JsonNode doc = JSON.readTree(SCHEMA.toFile());
        assertThat(factory.getSchema(SchemaLocation.of(SchemaId.V202012)).validate(doc)).isEmpty();
        schema = factory.getSchema(doc);
    }

    static void assertConforms(JsonNode doc) {
        assertThat(schema.validate(doc)).as("schema violations in %s", doc.toPrettyString()).isEmpty();
    }

    @Test
    void theExampleWorkspaceIsValidInDependencyOrder() {
        WorkspaceOutcome outcome = WorkspaceEngine.validate(SHOP, Workspace.FILE_NAME, Map.of());
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.repos()).extracting(r -> r.repo().name()).containsExactly("backend", "storefront", "docs");
        assertThat(outcome.taskCount()).isEqualTo(2);
        assertThat(outcome.repos().get(0).contractDisplayName()).isEqualTo("backend/ota.yaml");
        assertThat(outcome.repos().get(2).contract()).isNull();

        assertThat(outcome.crossRepoTargets()).singleElement().satisfies(t -> {
            assertThat(t.consumerRepo()).isEqualTo("storefront");
            assertThat(t.consumerContract()).isEqualTo("storefront/ota.yaml");
            assertThat(t.consumerTask()).isEqualTo("e2e");
            assertThat(t.target()).isEqualTo("catalog");
            assertThat(t.producerRepo()).isEqualTo("backend");
            assertThat(t.producerTask()).isEqualTo("dev");
            assertThat(t.listener()).isEqualTo("http");
            assertThat(t.activationMode()).isEqualTo("ensure_ready");
            assertThat(t.effectiveUrl()).isEqualTo("http://127.0.0.1:8080/");
            assertThat(t.location().toString()).startsWith("storefront/ota.yaml:").matches(".*:\\d+:\\d+");
        });
        // diagnostics keep the file they belong to; the optional repo without a contract only warns
        assertThat(outcome.warnings()).extracting(d -> d.location().file())
                .contains("backend/ota.yaml", "storefront/ota.yaml", "ota.workspace.yaml");
        Diagnostic docs = WorkspaceFixture.find(outcome.warnings(), "OTA_WORKSPACE_CONTRACT_MISSING", "repos.docs.contract");
        assertThat(docs.location().line()).isEqualTo(14);
    }

    @Test
    void theConsumersPlanResolvesThroughTheDiscoveredWorkspace() {
        Path storefront = SHOP.resolveSibling("storefront/ota.yaml");
        Diagnostics diags = new Diagnostics();
        WorkspaceContext ws = WorkspaceContext.discover(storefront, null, diags).orElseThrow();
        assertThat(ws.workspace().displayName()).isEqualTo("../ota.workspace.yaml");
        // all tasks: e2e itself uses `requires_services`, which a run of it would refuse
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(storefront, "storefront/ota.yaml", null, Map.of(), Map.of(), ws));
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
        Plan.TargetResolution r = outcome.plan().tasks().get("e2e").targetResolutions().get(0);
        assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:8080/");
        assertThat(r.activation().status()).isEqualTo("planned");
        assertThat(ws.repoActivations(outcome.plan())).extracting(RepoActivation::producer, RepoActivation::repo)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("dev", "backend"));
    }

    @Test
    void anOptionalRepoNeverFailsTheWorkspace() {
        WorkspaceFixture fx = new WorkspaceFixture(dir);
        fx.contract("api", WorkspaceFixture.API);
        fx.contract("lab", """
                version: 1
                project: { name: lab }
                tasks:
                  try:
                    run: ./try
                    depends_on: [nothing]
                    targets:
                      api: { service: { repo: api, task: missing, address_view: host } }
                """);
        fx.workspace("""
                version: 1
                workspace: { name: shop }
                repos:
                  api: { path: api }
                  lab: { path: lab, required: false }
                """);
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
        assertThat(outcome.ok()).isTrue();
        assertThat(outcome.warnings()).extracting(Diagnostic::code).contains("OTA_TARGET_UNKNOWN_TASK");
        assertThat(outcome.warnings()).filteredOn(d -> d.location().file().equals("lab/ota.yaml"))
                .allSatisfy(d -> assertThat(d.message()).contains("optional repos never fail the workspace"));
        assertThat(outcome.crossRepoTargets()).singleElement().satisfies(t -> {
            assertThat(t.resolved()).isFalse();
            assertThat(t.error()).contains("references unknown `service.task: missing`");
        });
    }

    @Test
    void aRequiredRepoContractErrorFailsTheWorkspaceInItsOwnFile() {
        WorkspaceFixture fx = new WorkspaceFixture(dir);
        fx.contract("repos/api", WorkspaceFixture.API.replace("  build:\n    run: ./build\n", "  build:\n    rn: ./build\n"));
        fx.contract("repos/web", WorkspaceFixture.web("repo: api, task: dev, address_view: host"));
        fx.workspace(WorkspaceFixture.WORKSPACE);
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), "ws/ota.workspace.yaml", Map.of());
        assertThat(outcome.ok()).isFalse();
        Diagnostic d = WorkspaceFixture.find(outcome.errors(), "OTA_UNKNOWN_KEY", "tasks.build.rn");
        assertThat(d.location().file()).isEqualTo("ws/repos/api/ota.yaml");
        assertThat(d.fix()).isEqualTo("did you mean `run`?");
        assertThat(outcome.crossRepoTargets()).singleElement().satisfies(t -> assertThat(t.error())
                .contains("could not load `service.repo: api`: ws/repos/api/ota.yaml has 1 error(s)"));
    }

    @Test
    void anUnreadableWorkspaceFileIsAnOutcomeNotAnException() throws IOException {
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve("missing.yaml"), "missing.yaml", Map.of());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.workspace()).isNull();
        assertThat(outcome.errors()).extracting(Diagnostic::code).containsExactly("OTA_FILE_MISSING");
        JsonNode doc = JSON.readTree(WorkspaceJson.toJson(outcome, Map.of()));
        assertConforms(doc);
        assertThat(doc.path("workspace").path("file").asText()).isEqualTo("missing.yaml");
        assertThat(doc.path("repos")).isEmpty();
    }

    @Test
    void workspaceJsonListsReposInOrderWithProjectsAndEveryResolution() throws IOException {
        WorkspaceOutcome outcome = WorkspaceEngine.validate(SHOP, Workspace.FILE_NAME, Map.of());
        Path file = dir.resolve("target/ota/workspace.json");
        WorkspaceJson.write(outcome, Map.of("backend", List.of("com.example:catalog-backend")), file);
        JsonNode doc = JSON.readTree(file.toFile());
        assertConforms(doc);
        assertThat(doc.path("schema").asText()).isEqualTo("ota-maven/workspace@1");
        assertThat(doc.path("ok").asBoolean()).isTrue();
        assertThat(doc.path("workspace").path("name").asText()).isEqualTo("shop");
        assertThat(doc.path("workspace").path("file").asText()).isEqualTo("ota.workspace.yaml");

        JsonNode repos = doc.path("repos");
        assertThat(repos).extracting(r -> r.path("name").asText()).containsExactly("backend", "storefront", "docs");
        JsonNode backend = repos.get(0);
        assertThat(backend.path("path").asText()).isEqualTo("backend");
        assertThat(backend.path("contract").asText()).isEqualTo("backend/ota.yaml");
        assertThat(backend.path("required").asBoolean()).isTrue();
        assertThat(backend.path("project").asText()).isEqualTo("catalog-backend");
        assertThat(backend.path("tasks")).extracting(JsonNode::asText).containsExactly("dev");
        assertThat(backend.path("projects")).extracting(JsonNode::asText).containsExactly("com.example:catalog-backend");
        JsonNode storefront = repos.get(1);
        assertThat(storefront.path("depends_on")).extracting(JsonNode::asText).containsExactly("backend");
        assertThat(storefront.path("projects")).isEmpty();
        JsonNode docs = repos.get(2);
        assertThat(docs.path("required").asBoolean()).isFalse();
        assertThat(docs.has("tasks")).as("no contract, no task list").isFalse();

        assertThat(doc.path("cross_repo_targets")).singleElement().satisfies(t -> {
            assertThat(t.path("consumer_repo").asText()).isEqualTo("storefront");
            assertThat(t.path("consumer_task").asText()).isEqualTo("e2e");
            assertThat(t.path("target").asText()).isEqualTo("catalog");
            assertThat(t.path("producer_repo").asText()).isEqualTo("backend");
            assertThat(t.path("producer_task").asText()).isEqualTo("dev");
            assertThat(t.path("listener").asText()).isEqualTo("http");
            assertThat(t.path("address_view").asText()).isEqualTo("host");
            assertThat(t.path("activation_mode").asText()).isEqualTo("ensure_ready");
            assertThat(t.path("effective_url").asText()).isEqualTo("http://127.0.0.1:8080/");
            assertThat(t.has("error")).isFalse();
        });
        assertThat(doc.path("warnings").size()).isPositive();
        assertThat(doc.toString()).as("no machine paths in the document").doesNotContain(dir.toString())
                .doesNotContain(SHOP.toAbsolutePath().getParent().toString());
    }

    @Test
    void workspaceJsonOfAFailingWorkspaceCarriesErrorsAndFixes() throws IOException {
        WorkspaceFixture fx = new WorkspaceFixture(dir);
        fx.shop("repo: api, task: hidden, address_view: host");
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        JsonNode doc = JSON.readTree(WorkspaceJson.toJson(outcome, null));
        assertConforms(doc);
        assertThat(doc.path("ok").asBoolean()).isFalse();
        assertThat(doc.path("errors")).extracting(e -> e.path("code").asText()).containsExactly("OTA_TARGET_REPO_HOST");
        JsonNode t = doc.path("cross_repo_targets").get(0);
        assertThat(t.has("effective_url")).isFalse();
        assertThat(t.path("error").asText()).contains("must declare one fixed `project.host`");
        assertThat(t.path("fix").asText()).isNotBlank();
        assertThat(t.path("at").asText()).startsWith("repos/web/ota.yaml:9:");
    }
}
