package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.diagnostics.Words;
import dev.ota.core.validate.Cycles;
import dev.ota.core.yaml.Nodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rules of {@code ota.workspace.yaml} that need the disk or several repos at once (digest §E):
 * repo directories and contracts exist, {@code depends_on} names declared repos and has no cycle,
 * no two repos share a directory, required repos do not depend on optional ones,
 * {@code workspace.policy} names an existing file (not a URL). A problem of an
 * optional repo is a warning: optional repos never fail the workspace.
 */
public final class WorkspaceValidator {

    private final Workspace workspace;
    private final Diagnostics diags;

    private WorkspaceValidator(Workspace workspace, Diagnostics diags) {
        this.workspace = workspace;
        this.diags = diags;
    }

    public static void validate(Workspace workspace, Diagnostics diags) {
        new WorkspaceValidator(workspace, diags).check();
    }

    private void check() {
        if (workspace.repos().isEmpty() && workspace.site().declares("repos")) {
            diags.error("OTA_WORKSPACE_EMPTY", workspace.site().at("repos"), "`repos` is empty; a workspace needs at least one repo.",
                    "declare a repo, e.g. `repos: { api: { path: repos/api } }`.");
        }
        for (WorkspaceRepo repo : workspace.repos()) {
            onDisk(repo);
            dependencies(repo);
        }
        sharedDirectories();
        cycles();
        if (workspace.policy() != null) {
            workspace.policy().problem().ifPresent(diags::add); // the same diagnostic as each governed repo's plan
        }
    }

    private void onDisk(WorkspaceRepo repo) {
        if (repo.dir() == null) {
            return; // `path` missing or unusable: reported on load
        }
        String where = "repos." + repo.name();
        if (!Files.exists(repo.dir())) {
            report(repo, "OTA_WORKSPACE_REPO_MISSING", repo.site().at("path"), "repo `" + repo.name() + "`: directory `"
                    + repo.path() + "` does not exist (paths are relative to the directory of " + workspace.displayName() + ").",
                    "check out the repo at `" + repo.path() + "`, correct `" + where + ".path`, or mark the repo `required: false`"
                            + " (ota-maven does not clone `source` repos).");
            return;
        }
        if (!Files.isDirectory(repo.dir())) {
            report(repo, "OTA_WORKSPACE_REPO_NOT_DIRECTORY", repo.site().at("path"), "repo `" + repo.name() + "`: `"
                    + repo.path() + "` is a file, not a directory.",
                    "point `" + where + ".path` at the repo's directory.");
            return;
        }
        if (repo.contractFile() == null) {
            return; // `contract` unusable: reported on load
        }
        String contract = repo.path() + "/" + repo.effectiveContract();
        if (Files.isDirectory(repo.contractFile())) {
            report(repo, "OTA_WORKSPACE_CONTRACT_MISSING", repo.site().at("contract"), "repo `" + repo.name()
                    + "`: contract `" + contract + "` is a directory, not a file.",
                    "point `" + where + ".contract` at the contract file (relative to the repo directory).");
        } else if (!Files.isRegularFile(repo.contractFile())) {
            report(repo, "OTA_WORKSPACE_CONTRACT_MISSING", repo.site().at("contract"), "repo `" + repo.name()
                    + "`: contract `" + contract + "` does not exist.",
                    repo.contract() == null
                            ? "add an `ota.yaml` to the repo, set `" + where + ".contract` to its contract file, or mark the repo `required: false`."
                            : "correct `" + where + ".contract` (relative to the repo directory), or mark the repo `required: false`.");
        }
    }

    private void dependencies(WorkspaceRepo repo) {
        List<String> deps = repo.dependsOn();
        for (int i = 0; i < deps.size(); i++) {
            String dep = deps.get(i);
            SourceLocation at = repo.dependsOnAt(i);
            if (dep.equals(repo.name())) {
                report(repo, "OTA_WORKSPACE_SELF_DEPENDENCY", at, "repo `" + repo.name() + "` depends on itself.",
                        "remove `" + dep + "` from `repos." + repo.name() + ".depends_on`.");
                continue;
            }
            WorkspaceRepo target = workspace.repo(dep);
            if (target == null) {
                String hint = Nodes.closest(dep, workspace.repoNames());
                report(repo, "OTA_WORKSPACE_UNKNOWN_REPO", at, "repo `" + repo.name() + "` depends on `" + dep
                        + "`, which is not a repo of this workspace; declared repos: " + Words.backticked(workspace.repoNames()) + ".",
                        hint != null ? "did you mean `" + hint + "`?"
                                : "declare `repos." + dep + "`, or remove it from `repos." + repo.name() + ".depends_on`.");
                continue;
            }
            if (repo.required() && !target.required()) {
                diags.error("OTA_WORKSPACE_REQUIRED_ON_OPTIONAL", at, "required repo `" + repo.name()
                        + "` depends on optional repo `" + dep + "`; an optional repo may be missing, which would block `"
                        + repo.name() + "`.",
                        "mark `" + dep + "` required, make `" + repo.name() + "` `required: false`, or drop the dependency.");
            }
        }
    }

    private void sharedDirectories() {
        Map<Path, WorkspaceRepo> owners = new HashMap<>();
        for (WorkspaceRepo repo : workspace.repos()) {
            if (repo.dir() == null) {
                continue;
            }
            WorkspaceRepo first = owners.putIfAbsent(canonical(repo.dir()), repo);
            if (first != null) {
                String message = "repos `" + first.name() + "` and `" + repo.name() + "` use the same directory (`"
                        + first.path() + "` and `" + repo.path() + "`); each repo needs its own.";
                String fix = "point `repos." + repo.name() + ".path` at its own directory, or remove one of the two repos.";
                if (first.required() || repo.required()) {
                    diags.error("OTA_WORKSPACE_DUPLICATE_PATH", repo.site().at("path"), message, fix);
                } else {
                    diags.warning("OTA_WORKSPACE_DUPLICATE_PATH", repo.site().at("path"), asOptional(message), fix);
                }
            }
        }
    }

    private void cycles() {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (WorkspaceRepo repo : workspace.repos()) {
            for (String dep : repo.dependsOn()) {
                if (!dep.equals(repo.name()) && workspace.repo(dep) != null) {
                    edges.computeIfAbsent(repo.name(), k -> new ArrayList<>()).add(dep);
                }
            }
        }
        for (List<String> cycle : Cycles.find(workspace.repoNames(), edges)) {
            WorkspaceRepo first = workspace.repo(cycle.get(0));
            String next = cycle.size() > 1 ? cycle.get(1) : cycle.get(0);
            SourceLocation at = first.dependsOnAt(first.dependsOn().indexOf(next));
            String path = String.join(" -> ", cycle) + " -> " + cycle.get(0);
            String message = "repos depend on each other in a cycle: " + path + "; no repo of it can go first.";
            String fix = "remove one `depends_on` entry of the cycle (e.g. `" + next + "` from `repos." + first.name()
                    + ".depends_on`).";
            boolean anyRequired = cycle.stream().map(workspace::repo).anyMatch(WorkspaceRepo::required);
            if (anyRequired) {
                diags.error("OTA_WORKSPACE_CYCLE", at, message, fix);
            } else {
                diags.warning("OTA_WORKSPACE_CYCLE", at, asOptional(message), fix);
            }
        }
    }

    static final String OPTIONAL_NOTE = " (optional repos never fail the workspace, so this is a warning)";

    /** An error for a required repo, a warning for an optional one. */
    private void report(WorkspaceRepo repo, String code, SourceLocation at, String message, String fix) {
        if (repo.required()) {
            diags.error(code, at, message, fix);
        } else {
            diags.warning(code, at, asOptional(message), fix);
        }
    }

    /** The message of an optional repo's problem: it says why it is only a warning. */
    static String asOptional(String message) {
        return message.endsWith(".") ? message.substring(0, message.length() - 1) + OPTIONAL_NOTE + "."
                : message + OPTIONAL_NOTE;
    }

    /** The real path when it exists (symlinks and case resolved), else the normalized absolute one. */
    static Path canonical(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException | SecurityException e) {
            return path.toAbsolutePath().normalize();
        }
    }
}
