package dev.ota.core.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.plan.PlanJson;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * workspace.json is written without Jackson (the core extension writes it before any mojo runs);
 * the text must stay what the shared Jackson mapper writes for the same document.
 */
class WorkspaceJsonTest {

    @TempDir
    Path dir;

    private static void assertSameAsJackson(WorkspaceOutcome outcome, Map<String, List<String>> projects) throws Exception {
        String jackson = PlanJson.mapper().writeValueAsString(WorkspaceJson.document(outcome, projects));
        assertThat(WorkspaceJson.toJson(outcome, projects)).isEqualTo(jackson);
    }

    @Test
    void aValidWorkspaceWithProjectsWarningsAndAnOptionalRepo() throws Exception {
        WorkspaceOutcome outcome = WorkspaceEngine.validate(WorkspaceEngineTest.SHOP, Workspace.FILE_NAME, Map.of());
        assertThat(outcome.warnings()).isNotEmpty();
        assertSameAsJackson(outcome, Map.of("backend", List.of("com.example:catalog-backend", "com.example:other")));
        assertSameAsJackson(outcome, null);
    }

    @Test
    void aFailingWorkspaceWithErrorsAndUnresolvedTargets() throws Exception {
        new WorkspaceFixture(dir).shop("repo: api, task: hidden, address_view: host");
        WorkspaceOutcome outcome = WorkspaceEngine.validate(dir.resolve(Workspace.FILE_NAME), Workspace.FILE_NAME, Map.of());
        assertThat(outcome.errors()).isNotEmpty();
        assertSameAsJackson(outcome, Map.of());
    }

    @Test
    void anUnreadableWorkspaceFile() throws Exception {
        assertSameAsJackson(WorkspaceEngine.validate(dir.resolve("missing.yaml"), "missing.yaml", Map.of()), Map.of());
    }

    @Test
    void quotesBackslashesAndControlCharactersAreEscapedAsJacksonDoes() throws Exception {
        WorkspaceJson.Info info = new WorkspaceJson.Info("a \"b\" \\ c\td\ne\r\f\b\u0001\u001f é / ✓", "", null, null);
        WorkspaceJson.Document doc = new WorkspaceJson.Document(WorkspaceJson.SCHEMA, true, info, List.of(), List.of(),
                List.of(), List.of());
        String jackson = PlanJson.mapper().writeValueAsString(doc);
        String ours = new dev.ota.core.io.PrettyJson().beginObject().field("schema", doc.schema()).name("ok").value(true)
                .name("workspace").beginObject().field("name", info.name()).field("description", info.description())
                .field("file", info.file()).endObject().name("errors").beginArray().endArray()
                .name("warnings").beginArray().endArray().name("repos").beginArray().endArray()
                .name("cross_repo_targets").beginArray().endArray().endObject().toString();
        assertThat(ours).isEqualTo(jackson);
    }
}
