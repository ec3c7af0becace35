package dev.ota.core.workspace;

import dev.ota.core.model.Site;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A loaded {@code ota.workspace.yaml}: the repos that make up one workspace and how they are
 * ordered. Immutable; fields that failed to load are null and the reasons are in the diagnostics.
 *
 * @param file the workspace file, absolute and normalized
 * @param displayName how diagnostics name the file (the path the user typed)
 * @param root the directory holding the file; repo paths resolve against it
 * @param name {@code workspace.name}
 * @param description {@code workspace.description}, or null
 * @param policy {@code workspace.policy}, or null when the file declares none; it may be unusable
 *     ({@link WorkspacePolicy#problem()})
 * @param repos the repos in declared order
 */
public record Workspace(
        Path file,
        String displayName,
        Path root,
        Integer version,
        String name,
        String description,
        WorkspacePolicy policy,
        List<WorkspaceRepo> repos,
        Site site) {

    /** The file name ota looks for. */
    public static final String FILE_NAME = "ota.workspace.yaml";

    public Workspace {
        repos = List.copyOf(repos);
    }

    /** The repo declared under {@code name}, or null. */
    public WorkspaceRepo repo(String name) {
        for (WorkspaceRepo repo : repos) {
            if (repo.name().equals(name)) {
                return repo;
            }
        }
        return null;
    }

    /** Repo names in declared order. */
    public List<String> repoNames() {
        return repos.stream().map(WorkspaceRepo::name).toList();
    }

    /**
     * Repos in processing order: every repo after the repos it depends on; repos that are free at
     * the same time keep their declared order. Unknown dependencies are ignored and a cycle is
     * broken at its first declared repo, so the order exists even for an invalid workspace (the
     * validator reports both).
     */
    public List<WorkspaceRepo> order() {
        Map<String, WorkspaceRepo> byName = new LinkedHashMap<>();
        repos.forEach(r -> byName.put(r.name(), r));
        Set<String> placed = new LinkedHashSet<>();
        List<WorkspaceRepo> out = new ArrayList<>();
        while (out.size() < repos.size()) {
            WorkspaceRepo next = null;
            for (WorkspaceRepo candidate : repos) {
                if (!placed.contains(candidate.name()) && ready(candidate, byName, placed)) {
                    next = candidate;
                    break;
                }
            }
            if (next == null) { // only cycles are left: take the first declared one
                next = repos.stream().filter(r -> !placed.contains(r.name())).findFirst().orElseThrow();
            }
            placed.add(next.name());
            out.add(next);
        }
        return Collections.unmodifiableList(out);
    }

    private static boolean ready(WorkspaceRepo repo, Map<String, WorkspaceRepo> byName, Set<String> placed) {
        for (String dep : repo.dependsOn()) {
            if (!dep.equals(repo.name()) && byName.containsKey(dep) && !placed.contains(dep)) {
                return false;
            }
        }
        return true;
    }
}
