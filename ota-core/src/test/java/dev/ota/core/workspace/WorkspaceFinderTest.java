package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostics;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Upward discovery of ota.workspace.yaml and the repo a directory belongs to. */
class WorkspaceFinderTest {

    @TempDir
    Path dir;

    @Test
    void findsTheNearestWorkspaceFileUpwards() {
        WorkspaceFixture fx = new WorkspaceFixture(dir);
        Path outer = fx.workspace("version: 1\n");
        Path inner = fx.write("nested/" + Workspace.FILE_NAME, "version: 1\n");
        Path deep = fx.dir("nested/repos/api/src");
        Path contract = fx.write("nested/repos/api/ota.yaml", "version: 1\n");

        assertThat(WorkspaceFinder.find(deep)).contains(inner.toAbsolutePath());
        assertThat(WorkspaceFinder.find(contract)).as("a file searches from its directory").contains(inner.toAbsolutePath());
        assertThat(WorkspaceFinder.find(dir.resolve("nested"))).contains(inner.toAbsolutePath());
        assertThat(WorkspaceFinder.find(fx.dir("other"))).contains(outer.toAbsolutePath());
    }

    @Test
    void findsNothingBelowTheStartWhenThereIsNone() {
        Path start = new WorkspaceFixture(dir).dir("plain/repo");
        // an ancestor of the temporary directory is not ours to control: only this tree is asserted
        assertThat(WorkspaceFinder.find(start).filter(p -> p.startsWith(dir.toAbsolutePath()))).isEmpty();
    }

    @Test
    void repoOfPicksTheInnermostRepoContainingTheDirectory() {
        WorkspaceFixture fx = new WorkspaceFixture(dir);
        fx.workspace("""
                version: 1
                workspace: { name: shop }
                repos:
                  platform: { path: platform }
                  api: { path: platform/services/api }
                  web: { path: web }
                """);
        Workspace ws = WorkspaceLoader.load(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, new Diagnostics())
                .orElseThrow();
        assertThat(WorkspaceFinder.repoOf(ws, fx.dir("platform/services/api/src/main")))
                .hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("api"));
        assertThat(WorkspaceFinder.repoOf(ws, fx.dir("platform/services")))
                .hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("platform"));
        assertThat(WorkspaceFinder.repoOf(ws, fx.dir("web"))).hasValueSatisfying(r -> assertThat(r.name()).isEqualTo("web"));
        assertThat(WorkspaceFinder.repoOf(ws, fx.dir("webapp"))).as("a name prefix is not a parent").isEmpty();
        assertThat(WorkspaceFinder.repoOf(ws, dir)).isEmpty();
    }
}
