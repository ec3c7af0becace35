package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.ValidationOutcome;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.PlanText;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digest §E.3 and rules 54, 55, 70: `service.repo` targets checked and resolved through the workspace. */
class CrossRepoTargetsTest {

    @TempDir
    Path dir;

    WorkspaceFixture fx;

    @BeforeEach
    void fixture() {
        fx = new WorkspaceFixture(dir);
    }

    /** Validates the `web` contract of the standard shop with its workspace discovered upwards. */
    ValidationOutcome validateWeb(String service) {
        Path web = fx.shop(service);
        return OtaEngine.validate(request(web, null));
    }

    PlanRequest request(Path contract, String task) {
        Diagnostics discovery = new Diagnostics();
        WorkspaceContext ws = WorkspaceContext.discover(contract, null, discovery).orElseThrow();
        assertThat(discovery.sorted()).isEmpty();
        return new PlanRequest(contract, "ota.yaml", task, Map.of(), Map.of()).withWorkspace(ws);
    }

    static Diagnostic onlyError(ValidationOutcome outcome, String code, String path) {
        assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).hasSize(1);
        Diagnostic d = WorkspaceFixture.find(outcome.errors(), code, path);
        assertThat(d.location().file()).as("reported in the consumer's contract").isEqualTo("ota.yaml");
        return d;
    }

    @Nested
    @DisplayName("validation")
    class Validation {

        @Test
        void aHostTargetAtAFixedProjectHostIsValid() {
            ValidationOutcome outcome = validateWeb("repo: api, task: dev, address_view: host");
            assertThat(outcome.diagnostics()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
        }

        @Test
        @DisplayName("rule 54: an unknown repo names the declared repos")
        void unknownRepo() {
            Diagnostic d = onlyError(validateWeb("repo: apo, task: dev, address_view: host"), "OTA_TARGET_REPO_UNKNOWN",
                    "tasks.e2e.targets.api.service.repo");
            assertThat(d.message()).contains("`service.repo: apo` is not a repo of workspace `shop` (../../ota.workspace.yaml)")
                    .contains("declared repos: `api`, `web`");
            assertThat(d.fix()).isEqualTo("did you mean `api`?");
            assertThat(d.location().line()).isEqualTo(9);

            Diagnostic far = onlyError(validateWeb("repo: payments, task: dev, address_view: host"),
                    "OTA_TARGET_REPO_UNKNOWN", "tasks.e2e.targets.api.service.repo");
            assertThat(far.fix()).contains("declare `repos.payments` in ../../ota.workspace.yaml");
        }

        @Test
        @DisplayName("rule 70: only address_view host; the default (topology) must be spelled out")
        void hostViewOnly() {
            Diagnostic defaulted = onlyError(validateWeb("repo: api, task: dev"), "OTA_TARGET_REPO_VIEW",
                    "tasks.e2e.targets.api.service");
            assertThat(defaulted.message()).contains("only `address_view: host` is currently supported (the default view is `topology`)");
            assertThat(defaulted.fix()).contains("`address_view: host`");
            onlyError(validateWeb("repo: api, task: dev, address_view: internal"), "OTA_TARGET_REPO_VIEW",
                    "tasks.e2e.targets.api.service.address_view");
        }

        @Test
        @DisplayName("rule 54: the producer task must exist in that repo's contract")
        void unknownTask() {
            Diagnostic d = onlyError(validateWeb("repo: api, task: dve, address_view: host"), "OTA_TARGET_UNKNOWN_TASK",
                    "tasks.e2e.targets.api.service.task");
            assertThat(d.message()).isEqualTo("`tasks.e2e.targets.api.service` references unknown `service.task: dve`"
                    + " in workspace repo `api` (../../repos/api/ota.yaml).");
            assertThat(d.fix()).isEqualTo("did you mean `dev`?");
        }

        @Test
        @DisplayName("rule 55: the producer must be a service task")
        void notAService() {
            Diagnostic d = onlyError(validateWeb("repo: api, task: build, address_view: host"), "OTA_TARGET_NOT_SERVICE",
                    "tasks.e2e.targets.api.service.task");
            assertThat(d.message()).contains("task `build` in workspace repo `api`").contains("is not a service task");
            assertThat(d.fix()).contains("runtime: { kind: service");
        }

        @Test
        @DisplayName("rule 55: unknown and ambiguous listeners")
        void listeners() {
            Diagnostic unknown = onlyError(validateWeb("repo: api, task: pair, listener: admn, address_view: host"),
                    "OTA_TARGET_UNKNOWN_LISTENER", "tasks.e2e.targets.api.service.listener");
            assertThat(unknown.fix()).isEqualTo("did you mean `admin`?");
            Diagnostic ambiguous = onlyError(validateWeb("repo: api, task: pair, address_view: host"),
                    "OTA_TARGET_LISTENER_AMBIGUOUS", "tasks.e2e.targets.api.service");
            assertThat(ambiguous.message()).contains("exposes multiple listeners");
            assertThat(ambiguous.fix()).contains("`web`, `admin`");
            assertThat(validateWeb("repo: api, task: pair, listener: admin, address_view: host").errors()).isEmpty();
        }

        @Test
        @DisplayName("rule 70: the producer listener needs project.host ...")
        void noProjectHost() {
            Diagnostic d = onlyError(validateWeb("repo: api, task: hidden, address_view: host"), "OTA_TARGET_REPO_HOST",
                    "tasks.e2e.targets.api.service");
            assertThat(d.message()).contains("listener `raw` of task `hidden` in workspace repo `api` (../../repos/api/ota.yaml:")
                    .contains("must declare one fixed `project.host`, and it declares none");
            assertThat(d.fix()).contains("port: { mode: fixed, value: <port> }").contains("../../repos/api/ota.yaml");
        }

        @Test
        @DisplayName("rule 70: ... with a fixed port")
        void autoProjectHost() {
            Diagnostic d = onlyError(validateWeb("repo: api, task: auto, listener: http, address_view: host"),
                    "OTA_TARGET_REPO_HOST", "tasks.e2e.targets.api.service.listener");
            assertThat(d.message()).contains("publishes `project.host.port.mode: auto`");
            assertThat(d.fix()).contains("set `project.host.port: { mode: fixed, value: <port> }`");
        }

        @Test
        void aTargetAtItsOwnRepoShouldBeASameRepoTarget() {
            Diagnostic d = onlyError(validateWeb("repo: web, task: e2e, address_view: host"), "OTA_TARGET_REPO_SELF",
                    "tasks.e2e.targets.api.service.repo");
            assertThat(d.message()).contains("is the repo this contract belongs to");
            assertThat(d.fix()).contains("remove `service.repo`");
        }

        @Test
        @DisplayName("rule 54: a producer repo whose contract cannot be loaded")
        void producerNotLoadable() {
            Path web = fx.contract("repos/web", WorkspaceFixture.web("repo: docs, task: dev, address_view: host"));
            fx.contract("repos/api", WorkspaceFixture.API);
            fx.write("repos/broken/ota.yaml", "version: 1\nproject: { name: broken }\ntasks:\n  dev: { rn: ./x }\n");
            fx.workspace(WorkspaceFixture.WORKSPACE + "  docs:\n    path: repos/docs\n  broken:\n    path: repos/broken\n");
            Diagnostic missing = onlyError(OtaEngine.validate(request(web, null)), "OTA_TARGET_REPO_LOAD",
                    "tasks.e2e.targets.api.service.repo");
            assertThat(missing.message()).contains("could not load `service.repo: docs`: its directory `repos/docs` does not exist");

            fx.contract("repos/web", WorkspaceFixture.web("repo: broken, task: dev, address_view: host"));
            Diagnostic broken = onlyError(OtaEngine.validate(request(web, null)), "OTA_TARGET_REPO_LOAD",
                    "tasks.e2e.targets.api.service.repo");
            assertThat(broken.message()).contains("could not load `service.repo: broken`: ../../repos/broken/ota.yaml has 1 error(s)")
                    .contains("unknown key `rn`");
            assertThat(broken.fix()).contains("ota:validate -Dota.file=../../ota.workspace.yaml");
        }

        @Test
        void withoutAWorkspaceOnlyTheViewIsChecked() {
            Path web = fx.shop("repo: nowhere, task: dev, address_view: host");
            ValidationOutcome outcome = OtaEngine.validate(new PlanRequest(web, "ota.yaml", null, Map.of(), Map.of()));
            assertThat(outcome.errors()).isEmpty();
        }
    }

    @Nested
    @DisplayName("plan")
    class Planning {

        @Test
        void theConsumersPlanCarriesTheProducersHostUrl() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            fx.contract("repos/web", WorkspaceFixture.web("repo: api, task: dev, address_view: host", "ensure_ready"));
            PlanOutcome outcome = OtaEngine.plan(request(web, "e2e"));
            assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
            Plan plan = outcome.plan();
            Plan.TargetResolution r = plan.tasks().get("e2e").targetResolutions().get(0);
            assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:18080/api");
            assertThat(r.source()).isEqualTo("target_binding");
            assertThat(r.serviceRef().repo()).isEqualTo("api");
            assertThat(r.serviceRef().listener()).as("the sole listener, found in the other repo").isEqualTo("http");
            assertThat(r.activation().status()).isEqualTo("planned");
            assertThat(plan.tasks().get("e2e").env()).containsEntry("OTA_TARGET_API", "http://127.0.0.1:18080/api");
            assertThat(plan.tasks()).as("the producer is not a task of this contract").containsOnlyKeys("e2e");
            assertThat(plan.activationSteps()).as("cross-repo producers are started through their own repo").isEmpty();
            assertThat(PlanText.render(plan)).anySatisfy(line -> assertThat(line).contains("api:dev.http @host")
                    .contains("http://127.0.0.1:18080/api"));

            WorkspaceContext ws = request(web, "e2e").workspace();
            List<RepoActivation> activations = ws.repoActivations(plan);
            assertThat(activations).singleElement().satisfies(a -> {
                assertThat(a.consumer()).isEqualTo("e2e");
                assertThat(a.target()).isEqualTo("api");
                assertThat(a.repo()).isEqualTo("api");
                assertThat(a.producer()).isEqualTo("dev");
                assertThat(a.listener()).isEqualTo("http");
                assertThat(a.mode()).isEqualTo("ensure_ready");
                assertThat(a.url()).isEqualTo("http://127.0.0.1:18080/api");
                assertThat(a.contract()).isEqualTo(dir.toAbsolutePath().normalize().resolve("repos/api/ota.yaml"));
                assertThat(a.repoDirectory()).isEqualTo(dir.toAbsolutePath().normalize().resolve("repos/api"));
            });
        }

        @Test
        void aSameNamedTaskInTheConsumerIsNotMistakenForTheProducer() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            fx.contract("repos/web", """
                    version: 1
                    project: { name: web }
                    tasks:
                      dev:
                        run: ./web
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 3000 }
                      e2e:
                        run: ./e2e
                        targets:
                          api:
                            service: { repo: api, task: dev, address_view: host }
                            activation: { mode: ensure_running }
                    """);
            PlanOutcome outcome = OtaEngine.plan(request(web, "e2e"));
            assertThat(outcome.errors()).as(WorkspaceFixture.render(outcome.diagnostics())).isEmpty();
            assertThat(outcome.plan().activationSteps()).isEmpty();
            assertThat(outcome.plan().tasks()).containsOnlyKeys("e2e");
            assertThat(outcome.plan().tasks().get("e2e").targetResolutions().get(0).effectiveUrl())
                    .isEqualTo("http://127.0.0.1:18080/api");
        }

        @Test
        void aManualTargetResolvesWithoutActivation() {
            Path web = fx.shop("repo: api, task: pair, listener: admin, address_view: host");
            PlanOutcome outcome = OtaEngine.plan(request(web, "e2e"));
            Plan.TargetResolution r = outcome.plan().tasks().get("e2e").targetResolutions().get(0);
            assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:18082");
            assertThat(r.activation().status()).isEqualTo("manual");
            assertThat(request(web, "e2e").workspace().repoActivations(outcome.plan())).isEmpty();
        }

        @Test
        void anExplicitOverrideWinsOverTheWorkspace() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            fx.contract("repos/web", """
                    version: 1
                    project: { name: web }
                    tasks:
                      e2e:
                        run: ./e2e
                        inputs:
                          api_url: { description: where the api is }
                        targets:
                          api:
                            service: { repo: api, task: dev, address_view: host }
                            override_input: api_url
                            activation: { mode: ensure_ready }
                    """);
            PlanRequest request = request(web, "e2e");
            PlanOutcome outcome = OtaEngine.plan(new PlanRequest(web, "ota.yaml", "e2e", Map.of("api_url", "http://10.0.0.5:1"),
                    Map.of(), request.workspace()));
            Plan.TargetResolution r = outcome.plan().tasks().get("e2e").targetResolutions().get(0);
            assertThat(r.effectiveUrl()).isEqualTo("http://10.0.0.5:1");
            assertThat(r.activation().status()).isEqualTo("skipped_explicit_override");
            assertThat(request.workspace().repoActivations(outcome.plan())).isEmpty();
        }

        @Test
        void aContainerConsumerIsNotHandedTheBuildHostsLoopback() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            fx.contract("repos/web", """
                    version: 1
                    project: { name: web }
                    execution:
                      default_context: box
                      contexts:
                        box:
                          backend: container
                          lifecycle: ephemeral
                          container: { image: "busybox:1.36" }
                    tasks:
                      e2e:
                        run: ./e2e
                        targets:
                          api:
                            service: { repo: api, task: dev, address_view: host }
                    """);
            PlanOutcome outcome = OtaEngine.plan(request(web, "e2e"));
            Diagnostic d = outcome.errors().stream().filter(e -> e.code().equals("OTA_TARGET_UNRESOLVED")).findFirst()
                    .orElseThrow(() -> new AssertionError(WorkspaceFixture.render(outcome.diagnostics())));
            assertThat(d.message()).contains("loopback address of the build host");
        }

        @Test
        void withoutAWorkspaceTheTargetStillFailsClearly() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            PlanOutcome outcome = OtaEngine.plan(new PlanRequest(web, "ota.yaml", "e2e", Map.of(), Map.of()));
            Plan.TargetResolution r = outcome.plan().tasks().get("e2e").targetResolutions().get(0);
            assertThat(r.resolved()).isFalse();
            assertThat(r.error()).contains("resolve through `ota.workspace.yaml`, and no workspace is known");
            assertThat(r.fix()).contains("override_input");
            assertThat(outcome.errors()).extracting(Diagnostic::code).containsExactly("OTA_TARGET_UNRESOLVED");
        }
    }

    @Nested
    @DisplayName("discovery")
    class Discovery {

        @Test
        void anExplicitWorkspaceFileOrDirectoryWins() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            Path elsewhere = fx.write("elsewhere/" + Workspace.FILE_NAME, """
                    version: 1
                    workspace: { name: other }
                    repos:
                      api: { path: ../repos/api }
                    """);
            Diagnostics diags = new Diagnostics();
            assertThat(WorkspaceContext.discover(web, elsewhere, diags)).hasValueSatisfying(ws -> {
                assertThat(ws.workspace().name()).isEqualTo("other");
                assertThat(ws.repoOf(web)).isEmpty();
                assertThat(ws.displayName(dir.resolve("repos/api/ota.yaml")))
                        .isEqualTo(elsewhere.getParent().toString().replace('\\', '/') + "/../repos/api/ota.yaml");
            });
            assertThat(WorkspaceContext.discover(web, elsewhere.getParent(), diags))
                    .hasValueSatisfying(ws -> assertThat(ws.workspace().name()).isEqualTo("other"));
            assertThat(diags.sorted()).isEmpty();
        }

        @Test
        void discoveryFindsTheWorkspaceAboveTheContract() {
            Path web = fx.shop("repo: api, task: dev, address_view: host");
            Diagnostics diags = new Diagnostics();
            WorkspaceContext ws = WorkspaceContext.discover(web, null, diags).orElseThrow();
            assertThat(ws.workspace().displayName()).isEqualTo("../../ota.workspace.yaml");
            assertThat(ws.repoOf(web)).hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("web"));
            assertThat(ws.displayName(dir.resolve("repos/api/ota.yaml"))).isEqualTo("../../repos/api/ota.yaml");
        }

        @Test
        void aBrokenWorkspaceFileIsReportedAndYieldsNoContext() {
            Path web = fx.contract("repos/web", WorkspaceFixture.web("repo: api, task: dev, address_view: host"));
            fx.workspace("version: 1\nworkspace: [\n");
            Diagnostics diags = new Diagnostics();
            assertThat(WorkspaceContext.discover(web, null, diags)).isEmpty();
            assertThat(diags.errors()).singleElement().satisfies(d -> {
                assertThat(d.code()).isEqualTo("OTA_YAML_SYNTAX");
                assertThat(d.location().file()).isEqualTo("../../ota.workspace.yaml");
            });
        }
    }
}
