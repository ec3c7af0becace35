package dev.ota.core.workspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the workspace a directory belongs to, and the repo of a workspace a directory lies in. */
public final class WorkspaceFinder {

    private WorkspaceFinder() {}

    /**
     * The nearest {@code ota.workspace.yaml} in {@code start} or one of its ancestors (upward
     * discovery, digest §E.2). A file as {@code start} searches from its directory.
     */
    public static Optional<Path> find(Path start) {
        Path dir = start.toAbsolutePath().normalize();
        if (Files.isRegularFile(dir)) {
            dir = dir.getParent();
        }
        for (; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(Workspace.FILE_NAME);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * The repo whose directory contains {@code dir} (or is it); with nested repo directories the
     * innermost one wins.
     */
    public static Optional<WorkspaceRepo> repoOf(Workspace workspace, Path dir) {
        return repoOf(canonicalDirs(workspace), dir);
    }

    /** Each repo's directory as {@link #repoOf(List, Path)} compares it (real path when it exists). */
    public static List<Map.Entry<WorkspaceRepo, Path>> canonicalDirs(Workspace workspace) {
        List<Map.Entry<WorkspaceRepo, Path>> out = new ArrayList<>();
        for (WorkspaceRepo repo : workspace.repos()) {
            if (repo.dir() != null) {
                out.add(Map.entry(repo, WorkspaceValidator.canonical(repo.dir())));
            }
        }
        return List.copyOf(out);
    }

    /** As {@link #repoOf(Workspace, Path)}, with the repo directories already made canonical. */
    public static Optional<WorkspaceRepo> repoOf(List<Map.Entry<WorkspaceRepo, Path>> canonicalDirs, Path dir) {
        Path target = WorkspaceValidator.canonical(dir);
        WorkspaceRepo best = null;
        int bestDepth = -1;
        for (Map.Entry<WorkspaceRepo, Path> e : canonicalDirs) {
            Path repoDir = e.getValue();
            if (target.startsWith(repoDir) && repoDir.getNameCount() > bestDepth) {
                best = e.getKey();
                bestDepth = repoDir.getNameCount();
            }
        }
        return Optional.ofNullable(best);
    }
}
