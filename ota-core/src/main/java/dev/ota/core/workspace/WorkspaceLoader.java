package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.Site;
import dev.ota.core.yaml.MapView;
import dev.ota.core.yaml.ReadContext;
import dev.ota.core.yaml.YamlDocument;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns {@code ota.workspace.yaml} into a {@link Workspace} (digest §E.1). Checks shape only —
 * types, required keys, unknown keys (with "did you mean"), relative paths; what needs the disk or
 * several repos at once belongs to {@link WorkspaceValidator}; {@code workspace.policy} is read
 * here and checked by {@link WorkspacePolicy#problem()}. Fields of the reference schema that
 * ota-maven does not act on load with one warning each. Never throws for bad input; the same YAML
 * safety limits as contracts apply.
 */
public final class WorkspaceLoader {

    static final Set<String> ROOT = Set.of("version", "workspace", "repos");
    static final Set<String> ROOT_NOT_IMPLEMENTED = Set.of("policies");
    static final Set<String> WORKSPACE = Set.of("name", "description", "policy");
    static final Set<String> WORKSPACE_NOT_IMPLEMENTED = Set.of("git_base");
    static final Set<String> REPO = Set.of("path", "contract", "required", "depends_on");
    static final Set<String> REPO_NOT_IMPLEMENTED = Set.of("workflow", "source");

    private static final String DOCUMENT = "the ota workspace contract";
    private static final String UNSUPPORTED_FIX =
            "ota-maven reads repos from their `path` as they are; clone or prepare them with the ota CLI meanwhile.";

    private final ReadContext ctx;
    private final Diagnostics diags;

    private WorkspaceLoader(ReadContext ctx) {
        this.ctx = ctx;
        this.diags = ctx.diagnostics();
    }

    /** Loads a workspace file; empty when the file could not be parsed at all. */
    public static Optional<Workspace> load(Path file, String displayName, Diagnostics diags) {
        ReadContext ctx = new ReadContext(displayName, diags);
        Optional<MapView> root = YamlDocument.read(file, "workspace", ctx);
        return root.map(r -> new WorkspaceLoader(ctx).workspace(file, r));
    }

    /** Loads a workspace from bytes; {@code file} only anchors the repo paths. */
    public static Optional<Workspace> parse(byte[] yaml, Path file, String displayName, Diagnostics diags) {
        ReadContext ctx = new ReadContext(displayName, diags);
        Optional<MapView> root = YamlDocument.parse(yaml, "workspace", ctx);
        return root.map(r -> new WorkspaceLoader(ctx).workspace(file, r));
    }

    private Workspace workspace(Path file, MapView root) {
        Path absolute = file.toAbsolutePath().normalize();
        Path dir = absolute.getParent() == null ? absolute : absolute.getParent();
        Integer version = root.integer("version");
        if (!root.has("version")) {
            missing(root, "version", "add `version: 1` at the top of the file.");
        } else if (version != null && version != 1) {
            diags.error("OTA_VERSION", root.at("version"), "unsupported workspace version `" + version + "`.",
                    "set `version: 1`; it is the only workspace version.");
        }
        String name = null;
        String description = null;
        WorkspacePolicy policy = null;
        MapView meta = root.map("workspace");
        if (meta != null) {
            name = meta.string("name");
            if (!meta.has("name")) {
                missing(meta, "name", "add `workspace: { name: <workspace name> }`.");
            } else if (name != null && name.isBlank()) {
                diags.error("OTA_EMPTY", meta.at("name"), "`workspace.name` must not be empty.",
                        "name the workspace, e.g. `workspace: { name: shop }`.");
            }
            description = meta.string("description");
            if (meta.has("policy")) {
                // checked where it matters (WorkspacePolicy#problem): validation, and the repos it governs
                policy = WorkspacePolicy.of(meta.raw("policy"), meta.at("policy"), dir, ctx.file());
            }
            for (String key : WORKSPACE_NOT_IMPLEMENTED) {
                if (meta.has(key)) {
                    meta.string(key); // type-checked, then ignored
                    meta.markUnsupported(key);
                }
            }
            meta.finish(WORKSPACE, WORKSPACE_NOT_IMPLEMENTED);
        } else if (!root.has("workspace")) {
            missing(root, "workspace", "add `workspace: { name: <workspace name> }`.");
        }
        List<WorkspaceRepo> repos = new ArrayList<>();
        if (!root.has("repos")) {
            missing(root, "repos", "declare the repos: `repos: { api: { path: repos/api } }`.");
        }
        root.entries("repos", "<repo>").forEach((repoName, view) -> repos.add(repo(repoName, view, dir)));
        if (root.has("policies")) {
            root.map("policies"); // a free mapping: only its type is checked
            root.markUnsupported("policies");
        }
        Site site = new Site(root.location(), root.fieldLocations());
        root.finish(ROOT, ROOT_NOT_IMPLEMENTED);
        ctx.reportUnsupported(DOCUMENT, UNSUPPORTED_FIX);
        return new Workspace(absolute, ctx.file(), dir, version, name, description, policy, repos, site);
    }

    private WorkspaceRepo repo(String name, MapView view, Path root) {
        String path = view.string("path");
        if (!view.has("path")) {
            missing(view, "path", "add `path: <directory of the repo, relative to this file>`.");
        }
        Path relativeDir = relative(view, "path", path, "the repo directory");
        Path dir = relativeDir == null ? null : root.resolve(relativeDir).normalize();
        String contract = view.string("contract");
        Path relativeContract = contract == null ? Path.of(WorkspaceRepo.DEFAULT_CONTRACT)
                : relative(view, "contract", contract, "the repo's contract file");
        Path contractFile = dir == null || relativeContract == null ? null : dir.resolve(relativeContract).normalize();
        Boolean required = view.bool("required");
        List<String> dependsOn = view.stringList("depends_on");
        for (String key : REPO_NOT_IMPLEMENTED) {
            if (view.has(key)) {
                if (key.equals("source")) {
                    source(view);
                } else {
                    view.string(key);
                }
                view.markUnsupported(key);
            }
        }
        Map<String, SourceLocation> fields = new LinkedHashMap<>(view.fieldLocations());
        List<SourceLocation> items = view.itemLocations("depends_on");
        for (int i = 0; i < items.size(); i++) {
            fields.put("depends_on[" + i + "]", items.get(i));
        }
        view.finish(REPO, REPO_NOT_IMPLEMENTED);
        return new WorkspaceRepo(name, path, dir, contract, contractFile, required == null || required,
                dependsOn, new Site(view.location(), fields));
    }

    /** {@code source: {git, ref?}} or {@code {repo, ref?}}: shape-checked, not acted on. */
    private void source(MapView view) {
        if (!view.isMapping("source")) {
            view.map("source"); // reports the type
            return;
        }
        MapView source = view.map("source");
        source.string("git");
        source.string("repo");
        source.string("ref");
        if (source.has("git") == source.has("repo")) {
            diags.error("OTA_WORKSPACE_SOURCE", source.location(),
                    "`" + source.path() + "` must declare exactly one of `git` and `repo`.",
                    "write `source: { git: <clone URL> }` or `source: { repo: <name under workspace.git_base> }`.");
        }
        source.finish(Set.of("git", "repo", "ref"), Set.of());
    }

    /**
     * A declared path as a relative {@link Path}, or null (reported) when it is empty, absolute
     * or not a path at all. Paths stay relative so the workspace file works on every checkout.
     */
    private Path relative(MapView view, String key, String value, String what) {
        if (value == null) {
            return null;
        }
        if (value.isBlank()) {
            diags.error("OTA_EMPTY", view.at(key), "`" + view.location().child(key) + "` is empty.",
                    "give " + what + ", relative to " + (key.equals("path") ? "the workspace file's directory." : "the repo directory."));
            return null;
        }
        Path p;
        try {
            p = Path.of(value);
        } catch (InvalidPathException e) {
            diags.error("OTA_WORKSPACE_PATH", view.at(key), "`" + value + "` is not a usable path: " + e.getReason() + ".",
                    "give " + what + " as a plain relative path such as `repos/api`.");
            return null;
        }
        if (p.isAbsolute() || value.startsWith("/") || value.startsWith("\\")) {
            diags.error("OTA_WORKSPACE_PATH", view.at(key), "`" + view.location().child(key) + "` is the absolute path `"
                    + value + "`; workspace paths are relative so the workspace works on every checkout.",
                    "write " + what + " relative to " + (key.equals("path") ? "the workspace file's directory." : "the repo directory."));
            return null;
        }
        return p;
    }

    private void missing(MapView view, String key, String fix) {
        diags.error("OTA_REQUIRED", view.location().withPath(view.location().child(key)),
                "required key `" + key + "` is missing.", fix);
    }
}
