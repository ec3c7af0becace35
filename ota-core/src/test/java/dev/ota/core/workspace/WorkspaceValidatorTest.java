package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Digest §E.1–E.2: repos on disk, depends_on, shared directories; optional repos only warn. */
class WorkspaceValidatorTest {

    @TempDir
    Path dir;

    WorkspaceFixture fx;

    @BeforeEach
    void fixture() {
        fx = new WorkspaceFixture(dir);
    }

    @Test
    void aCompleteWorkspaceIsValid() {
        fx.contract("repos/api", WorkspaceFixture.API);
        fx.contract("repos/web", WorkspaceFixture.web("repo: api, task: dev, address_view: host"));
        WorkspaceFixture.Loaded loaded = fx.validate(WorkspaceFixture.WORKSPACE);
        assertThat(loaded.diags().sorted()).as(WorkspaceFixture.render(loaded.diags().sorted())).isEmpty();
    }

    @Test
    void aMissingRepoDirectoryIsAnErrorAtItsPath() {
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api:
                    path: repos/api
                """);
        Diagnostic d = loaded.error("OTA_WORKSPACE_REPO_MISSING", "repos.api.path");
        assertThat(d.location().line()).isEqualTo(5);
        assertThat(d.location().column()).isEqualTo(11);
        assertThat(d.message()).contains("repo `api`: directory `repos/api` does not exist");
        assertThat(d.fix()).contains("check out the repo at `repos/api`").contains("required: false");
        assertThat(loaded.errors()).hasSize(1);
    }

    @Test
    void aRepoPathThatIsAFileIsAnError() {
        fx.write("repos/api", "not a directory");
        Diagnostic d = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api: { path: repos/api }
                """).error("OTA_WORKSPACE_REPO_NOT_DIRECTORY", "repos.api.path");
        assertThat(d.message()).contains("is a file, not a directory");
        assertThat(d.location().line()).isEqualTo(4);
    }

    @Test
    void aRequiredRepoNeedsItsContract() {
        fx.dir("repos/api");
        fx.dir("repos/web/ci/ota.yaml"); // a directory where the contract should be
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api:
                    path: repos/api
                  web:
                    path: repos/web
                    contract: ci/ota.yaml
                """);
        Diagnostic missing = loaded.error("OTA_WORKSPACE_CONTRACT_MISSING", "repos.api.contract");
        assertThat(missing.location().line()).as("the repo entry: `contract` is not declared").isEqualTo(5);
        assertThat(missing.message()).contains("contract `repos/api/ota.yaml` does not exist");
        assertThat(missing.fix()).contains("add an `ota.yaml` to the repo");
        Diagnostic directory = loaded.error("OTA_WORKSPACE_CONTRACT_MISSING", "repos.web.contract");
        assertThat(directory.location().line()).isEqualTo(8);
        assertThat(directory.message()).contains("`repos/web/ci/ota.yaml` is a directory");
    }

    @Test
    void anOptionalRepoOnlyWarns() {
        fx.dir("tools");
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  docs:
                    path: docs
                    required: false
                  tools:
                    path: tools
                    required: false
                    depends_on: [tool]
                """);
        assertThat(loaded.errors()).as(WorkspaceFixture.render(loaded.errors())).isEmpty();
        Diagnostic missing = loaded.warning("OTA_WORKSPACE_REPO_MISSING", "repos.docs.path");
        assertThat(missing.message()).endsWith("(optional repos never fail the workspace, so this is a warning).");
        loaded.warning("OTA_WORKSPACE_CONTRACT_MISSING", "repos.tools.contract");
        loaded.warning("OTA_WORKSPACE_UNKNOWN_REPO", "repos.tools.depends_on[0]");
    }

    @Test
    void anUnknownDependencyNamesTheKnownReposAndTheClosestOne() {
        fx.contract("api", WorkspaceFixture.API);
        fx.contract("web", WorkspaceFixture.API);
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api: { path: api }
                  web:
                    path: web
                    depends_on:
                      - apy
                      - payments
                """);
        Diagnostic typo = loaded.error("OTA_WORKSPACE_UNKNOWN_REPO", "repos.web.depends_on[0]");
        assertThat(typo.location().line()).isEqualTo(8);
        assertThat(typo.location().column()).isEqualTo(9);
        assertThat(typo.message()).contains("depends on `apy`, which is not a repo of this workspace; declared repos: `api`, `web`");
        assertThat(typo.fix()).isEqualTo("did you mean `api`?");
        Diagnostic unknown = loaded.error("OTA_WORKSPACE_UNKNOWN_REPO", "repos.web.depends_on[1]");
        assertThat(unknown.location().line()).isEqualTo(9);
        assertThat(unknown.fix()).contains("declare `repos.payments`");
    }

    @Test
    void aRepoMustNotDependOnItself() {
        fx.contract("api", WorkspaceFixture.API);
        Diagnostic d = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api: { path: api, depends_on: [api] }
                """).error("OTA_WORKSPACE_SELF_DEPENDENCY", "repos.api.depends_on[0]");
        assertThat(d.message()).contains("repo `api` depends on itself");
        assertThat(d.location().line()).isEqualTo(4);
        assertThat(d.fix()).contains("remove `api` from `repos.api.depends_on`");
    }

    @Test
    void aDependencyCycleIsNamedHopByHop() {
        for (String r : new String[] {"a", "b", "c"}) {
            fx.contract(r, WorkspaceFixture.API);
        }
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  a:
                    path: a
                    depends_on: [b]
                  b:
                    path: b
                    depends_on: [c]
                  c:
                    path: c
                    depends_on: [a]
                """);
        Diagnostic d = loaded.error("OTA_WORKSPACE_CYCLE", "repos.a.depends_on[0]");
        assertThat(d.message()).contains("a -> b -> c -> a");
        assertThat(d.location().line()).isEqualTo(6);
        assertThat(d.fix()).contains("remove one `depends_on` entry");
        assertThat(loaded.errors()).hasSize(1);
    }

    @Test
    void twoReposMustNotShareADirectory() {
        fx.contract("repos/api", WorkspaceFixture.API);
        Diagnostic d = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  api: { path: repos/api }
                  backend: { path: repos/./tools/../api/ }
                """).error("OTA_WORKSPACE_DUPLICATE_PATH", "repos.backend.path");
        assertThat(d.message()).contains("repos `api` and `backend` use the same directory");
        assertThat(d.location().line()).isEqualTo(5);
    }

    @Test
    void aRequiredRepoMustNotDependOnAnOptionalOne() {
        fx.contract("api", WorkspaceFixture.API);
        fx.contract("mocks", WorkspaceFixture.API);
        WorkspaceFixture.Loaded loaded = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos:
                  mocks: { path: mocks, required: false }
                  api: { path: api, depends_on: [mocks] }
                """);
        Diagnostic d = loaded.error("OTA_WORKSPACE_REQUIRED_ON_OPTIONAL", "repos.api.depends_on[0]");
        assertThat(d.message()).contains("required repo `api` depends on optional repo `mocks`");
        assertThat(d.fix()).contains("mark `mocks` required");
        assertThat(loaded.errors()).hasSize(1);
    }

    @Test
    void aWorkspaceNeedsAtLeastOneRepo() {
        Diagnostic d = fx.validate("""
                version: 1
                workspace: { name: shop }
                repos: {}
                """).error("OTA_WORKSPACE_EMPTY", "repos");
        assertThat(d.location().line()).isEqualTo(3);
        assertThat(d.fix()).contains("repos: { api: { path: repos/api } }");
    }
}
