package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a workspace validation reads, so that the core extension can tell a workspace is unchanged. */
class WorkspaceInputsTest {

    @TempDir
    Path dir;

    Workspace shop() throws Exception {
        new WorkspaceFixture(dir).shop("repo: api, task: dev, address_view: host");
        return WorkspaceLoader.load(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, new Diagnostics()).orElseThrow();
    }

    @Test
    void theWorkspaceFileEachRepoDirectoryAndContractAndThePolicyCandidatesUpToTheRoot() throws Exception {
        Workspace ws = shop();
        List<Path> inputs = WorkspaceInputs.of(ws, Map.of());
        Path root = dir.toAbsolutePath().normalize();
        assertThat(inputs.get(0)).isEqualTo(root.resolve(Workspace.FILE_NAME));
        for (WorkspaceRepo repo : ws.repos()) {
            assertThat(inputs).contains(repo.dir().toAbsolutePath().normalize(),
                    repo.contractFile().toAbsolutePath().normalize(),
                    repo.contractFile().toAbsolutePath().normalize().getParent().resolve(".ota/org-policy.yaml"));
        }
        assertThat(inputs).contains(root.resolve(".ota/org-policy.yaml"), Path.of("/.ota/org-policy.yaml"));
        assertThat(inputs).doesNotHaveDuplicates();
    }

    @Test
    void thePolicyWalkStopsAtTheFirstPolicyFound() throws Exception {
        Files.createDirectories(dir.resolve(".ota"));
        Files.writeString(dir.resolve(".ota/org-policy.yaml"), "policies: {}\n");
        List<Path> inputs = WorkspaceInputs.of(shop(), Map.of());
        assertThat(inputs).contains(dir.toAbsolutePath().normalize().resolve(".ota/org-policy.yaml"))
                .doesNotContain(Path.of("/.ota/org-policy.yaml"));
    }

    @Test
    void otaPolicyReplacesTheWalk() throws Exception {
        Path policy = dir.resolve("org.yaml");
        List<Path> inputs = WorkspaceInputs.of(shop(), Map.of("OTA_POLICY", policy.toString()));
        assertThat(inputs).contains(policy.toAbsolutePath().normalize());
        assertThat(inputs).noneMatch(p -> p.endsWith(".ota/org-policy.yaml"));
    }

    @Test
    void aFileIsComparedBySizeAndTimeOrByContentWhileItsTimeIsRecent() throws Exception {
        Path f = dir.resolve("a.yaml");
        assertThat(WorkspaceInputs.state(f)).isEqualTo("absent");
        Files.writeString(f, "version: 1\n");
        String recent = WorkspaceInputs.state(f);
        assertThat(recent).as("just written: by content").startsWith("content 11 ");
        assertThat(WorkspaceInputs.unchanged(f, recent)).isTrue();
        Files.writeString(f, "version: 2\n"); // same size, same second
        assertThat(WorkspaceInputs.unchanged(f, recent)).isFalse();

        Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000_000_000L));
        String old = WorkspaceInputs.state(f);
        assertThat(old).isEqualTo("file 11 " + 1_000_000_000_000_000_000L);
        assertThat(WorkspaceInputs.unchanged(f, old)).isTrue();
        Files.writeString(f, "version: 3\n");
        assertThat(WorkspaceInputs.unchanged(f, old)).as("a new time").isFalse();

        assertThat(WorkspaceInputs.state(dir)).isEqualTo("dir " + dir.toRealPath());
    }
}
