package dev.ota.maven.extension;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.io.PrettyJson;
import dev.ota.core.plan.Plan;
import dev.ota.core.workspace.WorkspaceJson;
import dev.ota.core.workspace.WorkspaceOutcome;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the extension takes from a valid workspace: per repo the target properties its projects
 * get, the warnings to log, the summary line and {@code workspace.json} (with the Maven projects
 * left open: they depend on the reactor). Small and plain, so that {@link ResolutionCache} can
 * keep it for the next build of an unchanged workspace.
 *
 * @param repos in processing order
 * @param warnings rendered, in file order
 * @param jsonTemplate {@code workspace.json} with a placeholder for each repo's {@code projects};
 *     null in a resolution read from the cache (the cache entry holds it)
 */
record Resolution(String workspaceName, int repoCount, int crossRepoTargets, List<RepoTargets> repos, List<String> warnings,
        String jsonTemplate) {

    /**
     * @param dir absolute and normalized; null when the workspace gives the repo no usable path
     * @param properties {@code ota.target.<task>.<target>} for each resolved target of each task,
     *     then {@code ota.target.<target>} for each target name only one task has
     */
    record RepoTargets(String name, Path dir, Map<String, String> properties) {}

    static final String TARGET_PREFIX = "ota.target.";

    static Resolution of(WorkspaceOutcome outcome) {
        List<RepoTargets> repos = new ArrayList<>();
        Map<String, List<String>> placeholders = new LinkedHashMap<>();
        for (WorkspaceOutcome.RepoOutcome r : outcome.repos()) {
            Path dir = r.repo().dir() == null ? null : r.repo().dir().toAbsolutePath().normalize();
            repos.add(new RepoTargets(r.repo().name(), dir, r.plan() == null ? Map.of() : targetProperties(r.plan())));
            placeholders.put(r.repo().name(), List.of(placeholder(r.repo().name())));
        }
        List<String> warnings = outcome.warnings().stream().map(Diagnostic::render).toList();
        return new Resolution(outcome.workspace().name(), outcome.repos().size(), outcome.crossRepoTargets().size(),
                List.copyOf(repos), warnings, WorkspaceJson.toJson(outcome, placeholders));
    }

    /** The properties of a repo's projects, from the plan of all its tasks. */
    static Map<String, String> targetProperties(Plan plan) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> tasksPerTarget = new LinkedHashMap<>();
        Map<String, String> byTarget = new LinkedHashMap<>();
        for (Plan.TaskPlan task : plan.tasks().values()) {
            for (Plan.TargetResolution r : task.targetResolutions()) {
                if (r.effectiveUrl() == null) {
                    continue;
                }
                values.put(TARGET_PREFIX + task.name() + "." + r.target(), r.effectiveUrl());
                tasksPerTarget.merge(r.target(), 1, Integer::sum);
                byTarget.put(r.target(), r.effectiveUrl());
            }
        }
        tasksPerTarget.forEach((target, count) -> {
            if (count == 1) {
                values.put(TARGET_PREFIX + target, byTarget.get(target));
            }
        });
        return values;
    }

    /**
     * The repo whose directory holds {@code basedir}; the innermost when repos nest. Walks up from
     * {@code basedir}: a few map lookups per project instead of a comparison with every repo.
     */
    static Optional<RepoTargets> repoOf(Map<Path, RepoTargets> byDir, Path basedir) {
        for (Path dir = basedir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            RepoTargets r = byDir.get(dir);
            if (r != null) {
                return Optional.of(r);
            }
        }
        return Optional.empty();
    }

    /** The repos by directory, for {@link #repoOf}. */
    Map<Path, RepoTargets> byDir() {
        Map<Path, RepoTargets> out = new java.util.HashMap<>();
        for (RepoTargets r : repos) {
            if (r.dir() != null) {
                out.putIfAbsent(r.dir(), r); // two repos in one directory are a validation error
            }
        }
        return out;
    }

    /**
     * {@code workspace.json} from {@code template} ({@link #jsonTemplate}, or the cached one) with
     * each repo's Maven projects (repos not in the map get none).
     */
    String json(String template, Map<String, List<String>> projectsByRepo) {
        String out = template;
        for (RepoTargets r : repos) {
            String marker = PrettyJson.stringArray(List.of(placeholder(r.name())));
            out = out.replace(marker, PrettyJson.stringArray(projectsByRepo.getOrDefault(r.name(), List.of())));
        }
        return out;
    }

    /** Cannot be a project id: a control character (written escaped, as {@code \u0001}). */
    private static String placeholder(String repo) {
        return "\u0001projects of " + repo;
    }
}
