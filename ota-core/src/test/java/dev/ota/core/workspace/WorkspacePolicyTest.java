package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.ota.core.backend.Backend;
import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.RunService;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.PlanJson;
import dev.ota.core.policy.PolicyLoader;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.receipt.SchemaSupport;
import dev.ota.core.resolve.TaskShape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code workspace.policy} (digest §D.1, step 3): how it is declared and checked, and where it
 * stands in the discovery order: {@code OTA_POLICY}, then the nearest repo
 * {@code .ota/org-policy.yaml}, then the workspace's policy, first match wins.
 */
class WorkspacePolicyTest {

    /** The backend_environment policy of SharedBackendPlanTest: docker.io is a denied registry. */
    static final String POLICY = """
            policies:
              backend_environment:
                profiles:
                  jdk21: { image: ghcr.io/acme/jdk21:2026.05, source: internal_registry }
                default_profile: jdk21
                allowed_sources: [internal_registry, vendor]
                denied_sources: [public_hub]
                allowed_registries: [ghcr.io]
                denied_registries: [docker.io]
            """;

    static final String OTHER_POLICY = "policies:\n  strict_versions: true\n";

    /** A shared container backend whose literal image comes from docker.io. */
    static final String DOCKER_HUB_CONTRACT = """
            version: 1
            project: { name: box }
            execution:
              default_context: app
              contexts:
                app:
                  backend: container
                  lifecycle: persistent
                  container: { image: "ghcr.io/acme/context-image:7" }
              shared_backends:
                box:
                  scope: local
                  backend: container
                  lifecycle: persistent
                  context: app
                  environment: { image: "node:24", source: internal_registry }
            tasks:
              api:
                run: node server.js
                runtime:
                  kind: service
                  backend_binding: box
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
            """;

    static String workspace(String policyLine) {
        return """
                version: 1
                workspace:
                  name: shop
                %s
                repos:
                  api:
                    path: repos/api
                  web:
                    path: repos/web
                    depends_on: [api]
                """.formatted(policyLine == null ? "" : "  " + policyLine);
    }

    @TempDir
    Path dir;

    WorkspaceFixture fx;
    Path api;
    Path web;

    @BeforeEach
    void setUp() {
        fx = new WorkspaceFixture(dir);
        api = fx.contract("repos/api", WorkspaceFixture.API);
        web = fx.contract("repos/web", WorkspaceFixture.web("repo: api, task: dev, address_view: host"));
    }

    WorkspaceContext context() {
        Diagnostics diags = new Diagnostics();
        WorkspaceContext context = WorkspaceContext.load(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, diags)
                .orElseThrow();
        assertThat(diags.errors()).as(WorkspaceFixture.render(diags.sorted())).isEmpty();
        return context;
    }

    PlanOutcome plan(Path contract, Map<String, String> env) {
        return OtaEngine.plan(new PlanRequest(contract, "ota.yaml", null, Map.of(), env, context()));
    }

    static Path real(Path p) {
        return p.toAbsolutePath().normalize();
    }

    // ---- declaring it -----------------------------------------------------------------------

    @Test
    void aDeclaredPolicyLoadsWithoutTheNotSupportedWarningAndResolvesAgainstTheWorkspaceDirectory() {
        fx.write("policy/org-policy.yaml", POLICY);
        WorkspaceFixture.Loaded loaded = fx.validate(workspace("policy: policy/org-policy.yaml"));
        assertThat(loaded.diags().sorted()).as(WorkspaceFixture.render(loaded.diags().sorted())).isEmpty();
        WorkspacePolicy policy = loaded.workspace().policy();
        assertThat(policy.declared()).isEqualTo("policy/org-policy.yaml");
        assertThat(policy.file()).isEqualTo(real(dir.resolve("policy/org-policy.yaml")));
        assertThat(policy.problem()).isEmpty();
    }

    @Test
    void anAbsolutePathIsAllowed() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("org")).resolve("policy.yaml");
        Files.writeString(elsewhere, POLICY);
        WorkspaceFixture.Loaded loaded = fx.validate(workspace("policy: \"" + real(elsewhere) + "\""));
        assertThat(loaded.errors()).as(WorkspaceFixture.render(loaded.errors())).isEmpty();
        assertThat(loaded.workspace().policy().file()).isEqualTo(real(elsewhere));
    }

    @Test
    void withoutPolicyTheWorkspaceHasNone() {
        WorkspaceFixture.Loaded loaded = fx.validate(workspace(null));
        assertThat(loaded.workspace().policy()).isNull();
    }

    @Test
    void anEmptyValueIsAnErrorWithFileLineAndFix() {
        for (String line : List.of("policy: \"\"", "policy: \"  \"", "policy:")) {
            Diagnostic d = WorkspaceFixture.find(fx.validate(workspace(line)).errors(), "OTA_EMPTY", "workspace.policy");
            assertThat(d.render()).as(line).startsWith("ota.workspace.yaml:4:").contains("`workspace.policy` is empty.")
                    .contains("Fix: give the org policy file's path relative to the directory of ota.workspace.yaml");
        }
    }

    @Test
    void aUrlIsRefusedLikeAnOtaPolicyUrl() {
        WorkspaceFixture.Loaded loaded = fx.validate(workspace("policy: https://policy.example/org-policy.yaml"));
        Diagnostic d = WorkspaceFixture.find(loaded.errors(), "OTA_WORKSPACE_POLICY_URL", "workspace.policy");
        assertThat(d.location().line()).isEqualTo(4);
        assertThat(d.location().file()).isEqualTo("ota.workspace.yaml");
        assertThat(d.message()).contains("names the URL `https://policy.example/org-policy.yaml`")
                .contains("reads org policy only from files");
        assertThat(d.fix()).contains("download the policy pack");
        assertThat(loaded.errors()).hasSize(1);
    }

    @Test
    void aMissingFileIsAnErrorNamingTheResolvedPathAndTheFix() {
        WorkspaceFixture.Loaded loaded = fx.validate(workspace("policy: policy/missing.yaml"));
        Diagnostic d = WorkspaceFixture.find(loaded.errors(), "OTA_WORKSPACE_POLICY_MISSING", "workspace.policy");
        assertThat(d.render()).startsWith("ota.workspace.yaml:4:11: error: workspace.policy: ");
        assertThat(d.message()).contains("`policy/missing.yaml`")
                .contains("resolved to " + real(dir.resolve("policy/missing.yaml")))
                .contains("does not exist");
        assertThat(d.fix()).contains("create the policy file there, correct `workspace.policy`");
        assertThat(loaded.errors()).hasSize(1);
    }

    @Test
    void aDirectoryIsNotAPolicyFile() {
        fx.dir("policy");
        Diagnostic d = WorkspaceFixture.find(fx.validate(workspace("policy: policy")).errors(),
                "OTA_WORKSPACE_POLICY_MISSING", "workspace.policy");
        assertThat(d.message()).contains("is a directory, not a file");
    }

    @Test
    void aValueThatIsNotAStringIsATypeError() {
        Diagnostic d = WorkspaceFixture.find(fx.validate(workspace("policy: [a.yaml]")).errors(), "OTA_TYPE",
                "workspace.policy");
        assertThat(d.message()).contains("the value is a list");
    }

    @Test
    void loadingAloneReportsNothingTheValidatorAndTheGovernedPlansReportIt() {
        WorkspaceFixture.Loaded loaded = fx.load(workspace("policy: https://policy.example/org-policy.yaml"));
        assertThat(loaded.diags().sorted()).isEmpty();
    }

    // ---- discovery: first match wins --------------------------------------------------------

    @Test
    void theWorkspacePolicyGovernsARepoWithoutOtaPolicyOrARepoPolicy() {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        PlanOutcome outcome = plan(api, Map.of());
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.errors())).isEmpty();
        assertThat(outcome.plan().policy()).isEqualTo(new Plan.PolicyInfo(real(policy).toString(), "workspace policy"));
        assertThat(PolicyLoader.locate(api.getParent(), Map.of(), context().workspace()))
                .hasValueSatisfying(l -> assertThat(l.source()).isEqualTo(PolicyLoader.SOURCE_WORKSPACE));
    }

    @Test
    void aRepoPolicyBeatsTheWorkspacePolicy() {
        fx.write("policy/org-policy.yaml", POLICY);
        Path repoPolicy = fx.write("repos/api/.ota/org-policy.yaml", OTHER_POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        assertThat(plan(api, Map.of()).plan().policy())
                .isEqualTo(new Plan.PolicyInfo(real(repoPolicy).toString(), "repo policy"));
        // the other repo has no repo policy: the workspace's governs it
        assertThat(plan(web, Map.of()).plan().policy().source()).isEqualTo("workspace policy");
    }

    @Test
    void aRepoPolicyInTheWorkspaceDirectoryIsTheNearestAncestorSoItIsARepoPolicy() {
        Path atRoot = fx.write(".ota/org-policy.yaml", OTHER_POLICY);
        fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        assertThat(plan(api, Map.of()).plan().policy())
                .isEqualTo(new Plan.PolicyInfo(real(atRoot).toString(), "repo policy"));
    }

    @Test
    void otaPolicyBeatsBoth() {
        fx.write("policy/org-policy.yaml", POLICY);
        fx.write("repos/api/.ota/org-policy.yaml", OTHER_POLICY);
        Path fromEnv = fx.write("env/policy.yaml", OTHER_POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        Map<String, String> env = Map.of("OTA_POLICY", fromEnv.toString());
        assertThat(plan(api, env).plan().policy()).isEqualTo(new Plan.PolicyInfo(fromEnv.toString(), "OTA_POLICY"));
        assertThat(plan(web, env).plan().policy()).isEqualTo(new Plan.PolicyInfo(fromEnv.toString(), "OTA_POLICY"));
    }

    @Test
    void noPolicyAnywhereIsNoPolicy() {
        fx.workspace(workspace(null));
        assertThat(plan(api, Map.of()).plan().policy()).isNull();
        assertThat(PolicyLoader.locate(api.getParent(), Map.of(), context().workspace())).isEmpty();
    }

    @Test
    void withoutAWorkspaceInTheRequestTheWorkspacePolicyDoesNotApply() {
        fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(api, "ota.yaml", null, Map.of(), Map.of()));
        assertThat(outcome.plan().policy()).isNull();
    }

    @Test
    void theWorkspaceFoundUpwardAndAnExplicitOneBothBringTheirPolicy() throws IOException {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        Diagnostics diags = new Diagnostics();
        WorkspaceContext upward = WorkspaceContext.discover(api, null, diags).orElseThrow();
        PlanOutcome found = OtaEngine.plan(new PlanRequest(api, "ota.yaml", null, Map.of(), Map.of(), upward));
        assertThat(found.plan().policy()).isEqualTo(new Plan.PolicyInfo(real(policy).toString(), "workspace policy"));

        // -Dota.workspace names a workspace in another directory: the contract belongs to it as told
        Path other = Files.createDirectories(dir.resolve("elsewhere"));
        Path otherPolicy = Files.writeString(other.resolve("org.yaml"), OTHER_POLICY);
        Files.writeString(other.resolve(Workspace.FILE_NAME), workspace("policy: org.yaml")
                .replace("path: repos/api", "path: ../repos/api").replace("path: repos/web", "path: ../repos/web"));
        WorkspaceContext explicit = WorkspaceContext.discover(api, other, diags).orElseThrow();
        PlanOutcome told = OtaEngine.plan(new PlanRequest(api, "ota.yaml", null, Map.of(), Map.of(), explicit));
        assertThat(told.plan().policy()).isEqualTo(new Plan.PolicyInfo(real(otherPolicy).toString(), "workspace policy"));
        assertThat(diags.errors()).isEmpty();
    }

    @Test
    void teardownPlansTheContractAloneUnderTheSamePolicy() {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        OtaEngine.Prepared alone = OtaEngine.prepareAlone(new PlanRequest(web, "ota.yaml", null, Map.of(), Map.of(),
                context()));
        assertThat(alone.policy().source()).isEqualTo("workspace policy");
        assertThat(alone.plan().policy()).isEqualTo(new Plan.PolicyInfo(real(policy).toString(), "workspace policy"));
    }

    // ---- an unusable workspace policy fails the repos it would govern -------------------------

    @Test
    void aGovernedRepoDoesNotPlanWithoutItsWorkspacePolicy() {
        fx.workspace(workspace("policy: policy/missing.yaml"));
        PlanOutcome outcome = plan(api, Map.of());
        assertThat(outcome.ok()).isFalse();
        Diagnostic d = WorkspaceFixture.find(outcome.errors(), "OTA_WORKSPACE_POLICY_MISSING", "workspace.policy");
        assertThat(d.render()).startsWith("ota.workspace.yaml:4:11: ");
        assertThat(outcome.plan().policy()).isNull();

        // a repo that a repo policy governs never reads it, nor does any repo under OTA_POLICY
        fx.write("repos/web/.ota/org-policy.yaml", OTHER_POLICY);
        assertThat(plan(web, Map.of()).errors()).isEmpty();
        Path fromEnv = fx.write("env/policy.yaml", OTHER_POLICY);
        assertThat(plan(api, Map.of("OTA_POLICY", fromEnv.toString())).errors()).isEmpty();
    }

    @Test
    void aGovernedRepoRefusesAUrlWorkspacePolicy() {
        fx.workspace(workspace("policy: http://policy.example/org.yaml"));
        PlanOutcome outcome = plan(api, Map.of());
        assertThat(outcome.ok()).isFalse();
        WorkspaceFixture.find(outcome.errors(), "OTA_WORKSPACE_POLICY_URL", "workspace.policy");
    }

    @Test
    void anInvalidWorkspacePolicyFileIsReportedWithItsOwnPath() {
        Path policy = fx.write("policy/org-policy.yaml", "policies:\n  strict_version: true\n");
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        PlanOutcome outcome = plan(api, Map.of());
        assertThat(outcome.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_UNKNOWN_KEY");
            assertThat(d.location().file()).isEqualTo(real(policy).toString());
            assertThat(d.location().line()).isEqualTo(2);
        });
    }

    // ---- what the workspace policy decides --------------------------------------------------

    @Test
    void aWorkspacePolicyThatDeniesTheRegistryRefusesTheRepoPlan() throws Exception {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        Path box = fx.contract("repos/api", DOCKER_HUB_CONTRACT);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        PlanOutcome outcome = plan(box, Map.of());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_POLICY_REFUSED");
            assertThat(d.message()).contains("org policy " + real(policy)).contains("denies registry `docker.io`")
                    .contains("node:24");
            assertThat(d.path()).isEqualTo("execution.shared_backends.box.environment");
        });
        assertThat(outcome.plan().policy().source()).isEqualTo("workspace policy");

        // the run path refuses before anything starts, and its receipt names the policy and its source
        Function<TaskShape, Backend> nothing = shape -> {
            throw new AssertionError("nothing may start under a refused plan");
        };
        List<String> log = new ArrayList<>();
        RunService.Options options = new RunService.Options(dir.resolve("target/ota"), "workspace policy test", null,
                log::add, log::add);
        RunService.Result result = new RunService(nothing, new ReadinessWaiter())
                .run(new PlanRequest(box, "ota.yaml", "api", Map.of(), Map.of(), context()), options);
        JsonNode receipt = new ObjectMapper().readTree(result.receiptFile().toFile());
        SchemaSupport.assertValid(receipt);
        assertThat(receipt.path("status").asText()).isEqualTo("POLICY REFUSED");
        assertThat(receipt.path("failure_class").asText()).isEqualTo("policy");
        assertThat(receipt.path("policy").get(0).asText()).isEqualTo("org policy: " + real(policy) + " (workspace policy)");
    }

    @Test
    void thePlanJsonNamesTheWorkspacePolicyAndConformsToTheSchema() throws Exception {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        JsonNode json = new ObjectMapper().readTree(PlanJson.toJson(plan(api, Map.of()).plan()));
        assertThat(json.path("policy").path("source").asText()).isEqualTo("workspace policy");
        assertThat(json.path("policy").path("path").asText()).isEqualTo(real(policy).toString());
        JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(new ObjectMapper().readTree(Path.of("..", "docs", "schemas", "plan.schema.json").toFile()));
        assertThat(schema.validate(json)).as(json.toPrettyString()).isEmpty();
    }

    // ---- the workspace as a whole ------------------------------------------------------------

    @Test
    void validatingTheWorkspaceReportsAMissingPolicyOnceThoughEveryRepoWouldReportIt() {
        fx.workspace(workspace("policy: policy/missing.yaml"));
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.errors())).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo("OTA_WORKSPACE_POLICY_MISSING"));
    }

    @Test
    void aBrokenPolicyTheReposShareIsOneErrorEvenWhenAnOptionalRepoMetItFirst() {
        fx.write("policy/org-policy.yaml", "policies:\n  strict_version: true\n");
        fx.workspace("""
                version: 1
                workspace:
                  name: shop
                  policy: policy/org-policy.yaml
                repos:
                  web:
                    path: repos/web
                    required: false
                  api:
                    path: repos/api
                """);
        fx.contract("repos/web", "version: 1\nproject: { name: web }\ntasks:\n  lint: { run: ./lint }\n");
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        assertThat(outcome.ok()).isFalse();
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).singleElement()
                .satisfies(d -> assertThat(d.code()).isEqualTo("OTA_UNKNOWN_KEY"));
        assertThat(outcome.warnings()).filteredOn(d -> d.code().equals("OTA_UNKNOWN_KEY")).hasSize(1);
    }

    @Test
    void validatingTheWorkspaceAppliesTheWorkspacePolicyToEachRepoAndWorkspaceJsonShowsIt() throws Exception {
        fx.write("policy/org-policy.yaml", POLICY);
        fx.contract("repos/api", DOCKER_HUB_CONTRACT);
        fx.contract("repos/web", "version: 1\nproject: { name: web }\ntasks:\n  lint: { run: ./lint }\n");
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        assertThat(outcome.errors()).extracting(Diagnostic::code).contains("OTA_POLICY_REFUSED");
        assertThat(outcome.errors()).filteredOn(d -> d.code().equals("OTA_POLICY_REFUSED")).singleElement()
                .satisfies(d -> assertThat(d.location().file()).isEqualTo("repos/api/ota.yaml"));

        JsonNode json = new ObjectMapper().readTree(WorkspaceJson.toJson(outcome, Map.of()));
        assertThat(json.path("workspace").path("policy").asText()).isEqualTo("policy/org-policy.yaml");
        WorkspaceEngineTest.loadSchema();
        WorkspaceEngineTest.assertConforms(json);
        assertThat(WorkspaceJson.toJson(outcome, Map.of()))
                .isEqualTo(PlanJson.mapper().writeValueAsString(WorkspaceJson.document(outcome, Map.of())));
    }

    @Test
    void theWorkspacePolicyFileIsAnInputOfTheValidationUnlessOtaPolicyReplacesIt() {
        Path policy = fx.write("policy/org-policy.yaml", POLICY);
        fx.workspace(workspace("policy: policy/org-policy.yaml"));
        Workspace ws = context().workspace();
        assertThat(WorkspaceInputs.of(ws, Map.of())).contains(real(policy));
        assertThat(WorkspaceInputs.of(ws, Map.of("OTA_POLICY", dir.resolve("env.yaml").toString())))
                .doesNotContain(real(policy));
    }
}
