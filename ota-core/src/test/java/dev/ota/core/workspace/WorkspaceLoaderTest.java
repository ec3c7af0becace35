package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digest §E.1: the shape of ota.workspace.yaml, and how shape problems are reported. */
class WorkspaceLoaderTest {

    @TempDir
    Path dir;

    WorkspaceFixture fx;

    @BeforeEach
    void fixture() {
        fx = new WorkspaceFixture(dir);
    }

    @Test
    void loadsTheFullShape() {
        WorkspaceFixture.Loaded loaded = fx.load("""
                version: 1
                workspace:
                  name: shop
                  description: the shop
                repos:
                  web:
                    path: repos/web
                    depends_on: [api]
                  api:
                    path: repos/api/
                    contract: contracts/ota.yaml
                  tools:
                    path: ./tools
                    required: false
                """);
        assertThat(loaded.diags().sorted()).as(WorkspaceFixture.render(loaded.diags().sorted())).isEmpty();
        Workspace ws = loaded.workspace();
        assertThat(ws.name()).isEqualTo("shop");
        assertThat(ws.description()).isEqualTo("the shop");
        assertThat(ws.version()).isEqualTo(1);
        assertThat(ws.displayName()).isEqualTo("ota.workspace.yaml");
        assertThat(ws.root()).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(ws.repoNames()).containsExactly("web", "api", "tools");

        WorkspaceRepo web = ws.repo("web");
        assertThat(web.path()).isEqualTo("repos/web");
        assertThat(web.dir()).isEqualTo(ws.root().resolve("repos/web"));
        assertThat(web.contract()).isNull();
        assertThat(web.effectiveContract()).isEqualTo("ota.yaml");
        assertThat(web.contractFile()).isEqualTo(ws.root().resolve("repos/web/ota.yaml"));
        assertThat(web.required()).isTrue();
        assertThat(web.dependsOn()).containsExactly("api");
        assertThat(web.dependsOnAt(0).line()).isEqualTo(8);
        assertThat(web.dependsOnAt(0).path()).isEqualTo("repos.web.depends_on[0]");

        WorkspaceRepo api = ws.repo("api");
        assertThat(api.contractFile()).isEqualTo(ws.root().resolve("repos/api/contracts/ota.yaml"));
        assertThat(api.site().at("contract").line()).isEqualTo(11);

        WorkspaceRepo tools = ws.repo("tools");
        assertThat(tools.required()).isFalse();
        assertThat(tools.dir()).isEqualTo(ws.root().resolve("tools"));
        assertThat(ws.repo("nope")).isNull();
    }

    @Test
    void orderPutsDependenciesFirstAndKeepsDeclaredOrderForTies() {
        Workspace ws = fx.load("""
                version: 1
                workspace: { name: shop }
                repos:
                  web: { path: web, depends_on: [api, auth] }
                  docs: { path: docs }
                  api: { path: api, depends_on: [db] }
                  auth: { path: auth }
                  db: { path: db }
                """).workspace();
        assertThat(ws.order()).extracting(WorkspaceRepo::name).containsExactly("docs", "auth", "db", "api", "web");
    }

    @Test
    void orderExistsEvenWithCyclesAndUnknownDependencies() {
        Workspace ws = fx.load("""
                version: 1
                workspace: { name: shop }
                repos:
                  a: { path: a, depends_on: [b] }
                  b: { path: b, depends_on: [a, ghost] }
                  c: { path: c, depends_on: [c] }
                """).workspace();
        assertThat(ws.order()).extracting(WorkspaceRepo::name).containsExactly("c", "a", "b");
    }

    @Test
    void unknownKeysAreErrorsWithDidYouMeanAndTheirPlace() {
        WorkspaceFixture.Loaded loaded = fx.load("""
                version: 1
                workspace:
                  name: shop
                  descripton: typo
                repos:
                  api:
                    path: repos/api
                    dependson: [web]
                  web:
                    path: repos/web
                repo: {}
                """);
        Diagnostic inWorkspace = loaded.error("OTA_UNKNOWN_KEY", "workspace.descripton");
        assertThat(inWorkspace.location().line()).isEqualTo(4);
        assertThat(inWorkspace.location().column()).isEqualTo(3);
        assertThat(inWorkspace.message()).contains("unknown key `descripton` in `workspace`");
        assertThat(inWorkspace.fix()).isEqualTo("did you mean `description`?");

        Diagnostic inRepo = loaded.error("OTA_UNKNOWN_KEY", "repos.api.dependson");
        assertThat(inRepo.location().line()).isEqualTo(8);
        assertThat(inRepo.location().column()).isEqualTo(5);
        assertThat(inRepo.message()).contains("in `repos.<repo>`");
        assertThat(inRepo.fix()).isEqualTo("did you mean `depends_on`?");
        assertThat(inRepo.render()).startsWith("ota.workspace.yaml:8:5: error: repos.api.dependson: ");

        Diagnostic atRoot = loaded.error("OTA_UNKNOWN_KEY", "repo");
        assertThat(atRoot.fix()).isEqualTo("did you mean `repos`?");
        assertThat(loaded.errors()).hasSize(3);
    }

    @Test
    void fieldsOtaMavenDoesNotActOnLoadWithOneWarningEach() {
        WorkspaceFixture.Loaded loaded = fx.load("""
                version: 1
                workspace:
                  name: shop
                  git_base: https://git.example/shop
                  policy: .ota/org-policy.yaml
                repos:
                  api:
                    path: repos/api
                    workflow: ci
                    source: { repo: api, ref: main }
                  web:
                    path: repos/web
                    source: { git: https://git.example/shop/web.git }
                policies:
                  env:
                    values: { RELEASE_CHANNEL: canary }
                """);
        assertThat(loaded.errors()).as(WorkspaceFixture.render(loaded.errors())).isEmpty();
        assertThat(loaded.warnings()).extracting(Diagnostic::code).containsOnly("OTA_FIELD_NOT_SUPPORTED");
        // `workspace.policy` is acted on (the org policy of the repos, WorkspacePolicyTest): no warning
        assertThat(loaded.warnings()).extracting(Diagnostic::path).containsExactlyInAnyOrder("workspace.git_base",
                "repos.api.workflow", "repos.api.source", "policies");
        Diagnostic source = loaded.warning("OTA_FIELD_NOT_SUPPORTED", "repos.api.source");
        assertThat(source.location().line()).isEqualTo(10);
        assertThat(source.message()).contains("`repos.<repo>.source` is part of the ota workspace contract")
                .contains("(2 places; first shown)");
        assertThat(loaded.workspace().repos()).hasSize(2);
    }

    @Test
    void requiredKeysAreReportedWhereTheyBelong() {
        WorkspaceFixture.Loaded loaded = fx.load("""
                workspace:
                  description: no name
                repos:
                  api:
                    required: true
                """);
        assertThat(loaded.error("OTA_REQUIRED", "version").message()).contains("`version`");
        assertThat(loaded.error("OTA_REQUIRED", "workspace.name").location().line()).isEqualTo(2);
        Diagnostic path = loaded.error("OTA_REQUIRED", "repos.api.path");
        assertThat(path.location().line()).isEqualTo(5);
        assertThat(path.fix()).contains("relative to this file");
        assertThat(loaded.workspace().repo("api").dir()).isNull();

        WorkspaceFixture.Loaded bare = fx.load("version: 1\n");
        bare.error("OTA_REQUIRED", "workspace");
        bare.error("OTA_REQUIRED", "repos");
    }

    @Test
    void typesVersionPathsAndSourcesAreChecked() {
        WorkspaceFixture.Loaded loaded = fx.load("""
                version: 2
                workspace:
                  name: shop
                repos:
                  api:
                    path: /srv/api
                    required: maybe
                  web:
                    path: repos/web
                    contract: ""
                    depends_on: api
                  docs:
                    path: docs
                    source: { git: https://git.example/docs.git, repo: docs }
                """);
        assertThat(loaded.error("OTA_VERSION", "version").fix()).contains("version: 1");
        Diagnostic absolute = loaded.error("OTA_WORKSPACE_PATH", "repos.api.path");
        assertThat(absolute.message()).contains("absolute path `/srv/api`");
        assertThat(absolute.location().line()).isEqualTo(6);
        assertThat(loaded.error("OTA_TYPE", "repos.api.required").message()).contains("`true` or `false`");
        assertThat(loaded.error("OTA_EMPTY", "repos.web.contract").fix()).contains("relative to the repo directory");
        assertThat(loaded.error("OTA_TYPE", "repos.web.depends_on").message()).contains("a list of strings");
        assertThat(loaded.error("OTA_WORKSPACE_SOURCE", "repos.docs.source").message())
                .contains("exactly one of `git` and `repo`");
        assertThat(loaded.workspace().repo("api").dir()).isNull();
        assertThat(loaded.workspace().repo("web").contractFile()).isNull();
    }

    @Test
    void malformedYamlAndTheSafetyLimitsAreDiagnosticsNotExceptions() {
        WorkspaceFixture.Loaded syntax = fx.load("version: 1\nworkspace:\n  name: [shop\n");
        assertThat(syntax.workspace()).isNull();
        assertThat(syntax.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_YAML_SYNTAX");
            assertThat(d.location().file()).isEqualTo("ota.workspace.yaml");
            assertThat(d.location().line()).isPositive();
        });

        StringBuilder bomb = new StringBuilder("version: 1\nworkspace: { name: shop }\nbase: &a [x]\nrepos:\n");
        for (int i = 0; i < 120; i++) {
            bomb.append("  r").append(i).append(": { path: r").append(i).append(", depends_on: *a }\n");
        }
        WorkspaceFixture.Loaded limited = fx.load(bomb.toString());
        assertThat(limited.workspace()).isNull();
        assertThat(limited.errors()).extracting(Diagnostic::code).containsExactly("OTA_YAML_LIMIT");

        WorkspaceFixture.Loaded empty = fx.load("");
        assertThat(empty.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_YAML_EMPTY");
            assertThat(d.fix()).contains("workspace: { name: <name> }");
        });
    }

    @Test
    void aMissingFileIsReportedByName() {
        WorkspaceFixture.Loaded loaded = new WorkspaceFixture.Loaded(null, new dev.ota.core.diagnostics.Diagnostics());
        assertThat(WorkspaceLoader.load(dir.resolve("nope.yaml"), "nope.yaml", loaded.diags())).isEmpty();
        assertThat(loaded.errors()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_FILE_MISSING");
            assertThat(d.render()).startsWith("nope.yaml: error: workspace file does not exist.");
            assertThat(d.fix()).contains("ota.workspace.yaml");
        });
    }
}
