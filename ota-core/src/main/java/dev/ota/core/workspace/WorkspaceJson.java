package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.io.AtomicFiles;
import dev.ota.core.io.PrettyJson;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code workspace.json} ({@code docs/schemas/workspace.schema.json}): the workspace, its
 * repos in processing order and every cross-repo target resolution. Paths are relative to the
 * workspace directory so the document reads the same on every checkout. The {@code projects} of a
 * repo (e.g. the Maven projects built from it) come from the caller.
 */
public final class WorkspaceJson {

    public static final String SCHEMA = "ota-maven/workspace@1";

    private WorkspaceJson() {}

    /** The document written as {@code workspace.json}. */
    public record Document(
            String schema, boolean ok, Info workspace, List<Diagnostic> errors, List<Diagnostic> warnings,
            List<Repo> repos, List<Resolution> crossRepoTargets) {}

    /**
     * @param file the workspace file as diagnostics name it
     * @param policy {@code workspace.policy} as declared (relative to the workspace directory), if any
     */
    public record Info(String name, String description, String file, String policy) {}

    /**
     * @param path the repo directory as declared
     * @param contract the contract file, relative to the workspace directory
     * @param project the contract's {@code project.name}, when it could be loaded
     * @param tasks the contract's tasks, when it could be loaded
     * @param projects what the caller built from this repo (e.g. Maven project ids); empty when not given
     */
    public record Repo(
            String name, String path, String contract, boolean required, List<String> dependsOn, String project,
            List<String> tasks, List<String> projects) {}

    /** One cross-repo target: either {@code effective_url} or {@code error} and {@code fix}. */
    public record Resolution(
            String consumerRepo, String consumerTask, String target, String producerRepo, String producerTask,
            String listener, String addressView, String activationMode, String effectiveUrl, String error, String fix,
            String at) {}

    /**
     * @param projectsByRepo repo name to the ids of what was built from it; repos not in the map get
     *     an empty {@code projects} array
     */
    public static Document document(WorkspaceOutcome outcome, Map<String, List<String>> projectsByRepo) {
        Workspace ws = outcome.workspace();
        if (ws == null) {
            // the file could not be read: the document still says which file and why
            String file = outcome.diagnostics().isEmpty() ? Workspace.FILE_NAME : outcome.diagnostics().get(0).location().file();
            return new Document(SCHEMA, false, new Info(null, null, file, null), outcome.errors(), outcome.warnings(), List.of(),
                    List.of());
        }
        Map<String, List<String>> projects = projectsByRepo == null ? Map.of() : projectsByRepo;
        List<Repo> repos = new ArrayList<>();
        for (WorkspaceOutcome.RepoOutcome r : outcome.repos()) {
            WorkspaceRepo repo = r.repo();
            String contract = repo.contractFile() == null ? null
                    : ws.root().relativize(repo.contractFile()).toString().replace(File.separatorChar, '/');
            String project = r.contract() == null || r.contract().project() == null ? null : r.contract().project().name();
            repos.add(new Repo(repo.name(), repo.path(), contract, repo.required(), repo.dependsOn(), project,
                    r.contract() == null ? null : r.taskNames(), List.copyOf(projects.getOrDefault(repo.name(), List.of()))));
        }
        List<Resolution> targets = outcome.crossRepoTargets().stream()
                .map(t -> new Resolution(t.consumerRepo(), t.consumerTask(), t.target(), t.producerRepo(), t.producerTask(),
                        t.listener(), t.addressView() == null ? "topology" : t.addressView(), t.activationMode(),
                        t.effectiveUrl(), t.error(), t.fix(), t.location().toString()))
                .toList();
        return new Document(SCHEMA, outcome.ok(), new Info(ws.name(), ws.description(), ws.displayName(),
                ws.policy() == null ? null : ws.policy().declared()),
                outcome.errors(), outcome.warnings(), repos, targets);
    }

    /**
     * The document as JSON text, written without Jackson: the core extension writes it before any
     * mojo runs, and Jackson's first use in a fresh class realm costs more than the whole
     * workspace validation. The text is what {@code PlanJson.mapper()} writes for
     * {@link #document} (tested).
     */
    public static String toJson(WorkspaceOutcome outcome, Map<String, List<String>> projectsByRepo) {
        Document d = document(outcome, projectsByRepo);
        PrettyJson json = new PrettyJson().beginObject();
        json.field("schema", d.schema()).name("ok").value(d.ok());
        json.name("workspace").beginObject().field("name", d.workspace().name())
                .field("description", d.workspace().description()).field("file", d.workspace().file())
                .field("policy", d.workspace().policy()).endObject();
        diagnostics(json.name("errors"), d.errors());
        diagnostics(json.name("warnings"), d.warnings());
        json.name("repos").beginArray();
        for (Repo r : d.repos()) {
            json.beginObject().field("name", r.name()).field("path", r.path()).field("contract", r.contract())
                    .name("required").value(r.required()).field("depends_on", r.dependsOn()).field("project", r.project())
                    .field("tasks", r.tasks()).field("projects", r.projects()).endObject();
        }
        json.endArray();
        json.name("cross_repo_targets").beginArray();
        for (Resolution t : d.crossRepoTargets()) {
            json.beginObject().field("consumer_repo", t.consumerRepo()).field("consumer_task", t.consumerTask())
                    .field("target", t.target()).field("producer_repo", t.producerRepo())
                    .field("producer_task", t.producerTask()).field("listener", t.listener())
                    .field("address_view", t.addressView()).field("activation_mode", t.activationMode())
                    .field("effective_url", t.effectiveUrl()).field("error", t.error()).field("fix", t.fix())
                    .field("at", t.at()).endObject();
        }
        json.endArray();
        return json.endObject().toString();
    }

    /** As {@code PlanJson}'s diagnostic serializer: {@code {severity, code, path, message, fix, file, line, column}}. */
    private static void diagnostics(PrettyJson json, List<Diagnostic> list) {
        json.beginArray();
        for (Diagnostic x : list) {
            json.beginObject().name("severity").value(x.severity().label()).name("code").value(x.code())
                    .name("path").value(x.location().path()).name("message").value(x.message()).name("fix").value(x.fix())
                    .name("file").value(x.location().file()).name("line").value(x.location().line())
                    .name("column").value(x.location().column()).endObject();
        }
        json.endArray();
    }

    /** Writes atomically (temp file + move), creating parent directories. */
    public static void write(WorkspaceOutcome outcome, Map<String, List<String>> projectsByRepo, Path file) throws IOException {
        AtomicFiles.write(file, (toJson(outcome, projectsByRepo) + "\n").getBytes(StandardCharsets.UTF_8));
    }
}
