package dev.ota.core.policy;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.Site;
import dev.ota.core.workspace.Workspace;
import dev.ota.core.workspace.WorkspacePolicy;
import dev.ota.core.yaml.MapView;
import dev.ota.core.yaml.ReadContext;
import dev.ota.core.yaml.YamlDocument;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Finds and loads the org policy that governs a contract (digest §D.1), first match wins, no
 * merging:
 *
 * <ol>
 *   <li>{@code OTA_POLICY} (a file path; URLs are refused), source {@code OTA_POLICY};
 *   <li>the nearest {@code .ota/org-policy.yaml} in the contract's directory or an ancestor,
 *       source {@code repo policy};
 *   <li>{@code workspace.policy} of the workspace the contract belongs to (the one the engine was
 *       given: {@code -Dota.workspace}, or the nearest {@code ota.workspace.yaml} above the
 *       contract), source {@code workspace policy};
 *   <li>none.
 * </ol>
 *
 * Invalid policy is reported with the policy's path; an unusable {@code workspace.policy} (empty,
 * a URL, no such file) with the workspace file's line, and the contract then has no policy.
 */
public final class PolicyLoader {

    public static final String ENV_VAR = "OTA_POLICY";
    public static final String REPO_POLICY = ".ota/org-policy.yaml";
    /** Source labels, as the plan's {@code policy.source} and receipts show them. */
    public static final String SOURCE_ENV = ENV_VAR;
    public static final String SOURCE_REPO = "repo policy";
    public static final String SOURCE_WORKSPACE = WorkspacePolicy.SOURCE;

    private static final Set<String> POLICIES_IMPLEMENTED = Set.of("strict_versions", "provisioning", "backend_environment");
    private static final Set<String> POLICIES_NOT_IMPLEMENTED = Set.of("required_sections", "required_files",
            "version_policy", "env", "agent", "exports", "native_packages", "adapter_bootstrap", "effects",
            "replay_inputs", "sandbox");

    private PolicyLoader() {}

    /** Locates the policy file for a contract directory outside any workspace (steps 1 and 2), if any. */
    public static Optional<Located> locate(Path contractDir, Map<String, String> environment) {
        return locate(contractDir, environment, null);
    }

    /**
     * Locates the policy file for a contract directory, if any.
     *
     * @param workspace the workspace the contract belongs to, or null
     */
    public static Optional<Located> locate(Path contractDir, Map<String, String> environment, Workspace workspace) {
        String fromEnv = environment.get(ENV_VAR);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Optional.of(new Located(Path.of(fromEnv), fromEnv, SOURCE_ENV));
        }
        Optional<Path> repoPolicy = nearestRepoPolicy(contractDir);
        if (repoPolicy.isPresent()) {
            return Optional.of(new Located(repoPolicy.get(), repoPolicy.get().toString(), SOURCE_REPO));
        }
        WorkspacePolicy declared = workspace == null ? null : workspace.policy();
        if (declared != null) {
            return Optional.of(new Located(declared.file(), declared.file() == null ? declared.declared()
                    : declared.file().toString(), SOURCE_WORKSPACE, declared));
        }
        return Optional.empty();
    }

    /** The nearest {@code .ota/org-policy.yaml} in {@code contractDir} or an ancestor. */
    public static Optional<Path> nearestRepoPolicy(Path contractDir) {
        for (Path dir = contractDir.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(REPO_POLICY);
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /**
     * Where a policy was found and how.
     *
     * @param file the policy file; null only for an unusable {@code workspace.policy}
     * @param source {@code OTA_POLICY}, {@code repo policy} or {@code workspace policy}
     * @param workspacePolicy the declaration, for source {@code workspace policy}; else null
     */
    public record Located(Path file, String displayName, String source, WorkspacePolicy workspacePolicy) {

        public Located(Path file, String displayName, String source) {
            this(file, displayName, source, null);
        }
    }

    /**
     * Loads the policy that governs {@code contractDir} outside any workspace; empty when there is
     * none or it is unreadable.
     */
    public static Optional<OrgPolicy> discover(Path contractDir, Map<String, String> environment, Diagnostics diags) {
        return discover(contractDir, environment, null, diags);
    }

    /**
     * Loads the policy that governs {@code contractDir}; empty when there is none or it is unusable
     * (then the reason is in {@code diags}).
     *
     * @param workspace the workspace the contract belongs to, or null
     */
    public static Optional<OrgPolicy> discover(Path contractDir, Map<String, String> environment, Workspace workspace,
            Diagnostics diags) {
        Optional<Located> located = locate(contractDir, environment, workspace);
        if (located.isEmpty()) {
            return Optional.empty();
        }
        Located where = located.get();
        if (where.workspacePolicy() != null) {
            Optional<Diagnostic> problem = where.workspacePolicy().problem();
            if (problem.isPresent()) {
                diags.add(problem.get()); // this repo would be governed by it: no plan without it
                return Optional.empty();
            }
            return load(where, diags);
        }
        if (where.displayName().startsWith("http://") || where.displayName().startsWith("https://")) {
            diags.error("OTA_POLICY_URL", SourceLocation.ofFile(where.displayName()),
                    "OTA_POLICY names a URL; ota-maven reads org policy only from files.",
                    "download the policy pack and set OTA_POLICY to its file path.");
            return Optional.empty();
        }
        return load(where, diags);
    }

    public static Optional<OrgPolicy> load(Located where, Diagnostics diags) {
        ReadContext ctx = new ReadContext(where.displayName(), diags);
        Optional<MapView> root = YamlDocument.read(where.file(), "org policy", ctx);
        if (root.isEmpty()) {
            return Optional.empty();
        }
        MapView r = root.get();
        MapView policies = r.map("policies");
        r.finish(Set.of("policies"), Set.of());
        boolean strict = false;
        Map<String, OrgPolicy.Provisioning> provisioning = Map.of();
        OrgPolicy.BackendEnvironmentPolicy backendEnvironment = OrgPolicy.BackendEnvironmentPolicy.EMPTY;
        if (policies != null) {
            Boolean s = policies.bool("strict_versions");
            strict = s != null && s;
            provisioning = provisioning(policies);
            MapView be = policies.map("backend_environment");
            if (be != null) {
                backendEnvironment = backendEnvironment(be, diags);
            }
            for (String key : POLICIES_NOT_IMPLEMENTED) {
                policies.accept(key); // governs the ota CLI; no effect on what ota-maven runs
            }
            policies.finish(POLICIES_IMPLEMENTED, POLICIES_NOT_IMPLEMENTED);
        }
        return Optional.of(new OrgPolicy(where.file(), where.displayName(), where.source(), strict, provisioning,
                backendEnvironment));
    }

    private static Map<String, OrgPolicy.Provisioning> provisioning(MapView policies) {
        Map<String, OrgPolicy.Provisioning> out = new LinkedHashMap<>();
        policies.entries("provisioning", "<name>").forEach((name, view) -> out.put(name, provisioningEntry(name, view, true)));
        return Collections.unmodifiableMap(out);
    }

    private static OrgPolicy.Provisioning provisioningEntry(String name, MapView view, boolean allowPlatforms) {
        String source = view.string("source");
        if (!view.has("source") && allowPlatforms) {
            view.diagnostics().error("OTA_REQUIRED", view.location().withPath(view.location().child("source")),
                    "required key `source` is missing.", "name the approved source, e.g. `source: apt`.");
        }
        String pkg = view.string("package");
        List<String> sourcesList = null;
        MapView config = view.map("source_config");
        if (config != null) {
            sourcesList = config.stringList("sources_list");
            for (String key : config.keys()) {
                config.accept(key); // adapter-specific keys (feed, bucket_url, …) of sources ota-maven only shows
            }
            config.finish(Set.of("sources_list"), Set.of());
        }
        List<String> approved = view.stringList("approved_versions");
        Map<String, OrgPolicy.Provisioning> platforms = new LinkedHashMap<>();
        if (allowPlatforms) {
            view.entries("platforms", "<os>").forEach((os, p) -> platforms.put(os, provisioningEntry(name, p, false)));
            view.finish(Set.of("source", "package", "source_config", "approved_versions", "platforms"), Set.of());
        } else {
            view.finish(Set.of("source", "package", "source_config", "approved_versions"), Set.of());
        }
        return new OrgPolicy.Provisioning(name, source, pkg, sourcesList == null ? List.of() : sourcesList,
                approved == null ? List.of() : approved, Collections.unmodifiableMap(platforms), site(view));
    }

    private static OrgPolicy.BackendEnvironmentPolicy backendEnvironment(MapView view, Diagnostics diags) {
        Map<String, OrgPolicy.ApprovedImage> profiles = images(view, "profiles", "<profile>", diags);
        Map<String, OrgPolicy.ApprovedImage> aliases = images(view, "image_aliases", "<alias>", diags);
        String defaultProfile = view.string("default_profile");
        if (defaultProfile != null && !profiles.containsKey(defaultProfile)) {
            diags.error("OTA_POLICY_DEFAULT_PROFILE", view.at("default_profile"),
                    "`default_profile` `" + defaultProfile + "` is not declared under `profiles`.",
                    "declare `profiles." + defaultProfile + ".image`, or name an existing profile.");
        }
        List<String> allowedSources = list(view, "allowed_sources");
        List<String> deniedSources = list(view, "denied_sources");
        List<String> allowedRegistries = list(view, "allowed_registries");
        List<String> deniedRegistries = list(view, "denied_registries");
        overlap(view, "sources", allowedSources, deniedSources, "denied_sources", diags);
        overlap(view, "registries", allowedRegistries, deniedRegistries, "denied_registries", diags);
        view.finish(Set.of("profiles", "image_aliases", "default_profile", "allowed_sources", "denied_sources",
                "allowed_registries", "denied_registries"), Set.of());
        return new OrgPolicy.BackendEnvironmentPolicy(profiles, aliases, defaultProfile, allowedSources, deniedSources,
                allowedRegistries, deniedRegistries, site(view));
    }

    private static Map<String, OrgPolicy.ApprovedImage> images(MapView view, String key, String placeholder,
            Diagnostics diags) {
        Map<String, OrgPolicy.ApprovedImage> out = new LinkedHashMap<>();
        view.entries(key, placeholder).forEach((name, entry) -> {
            if (name.isBlank()) {
                diags.error("OTA_POLICY_EMPTY_NAME", entry.location(), "a " + key + " entry has an empty name.",
                        "give the entry a name.");
            }
            String image = entry.string("image");
            if (image == null || image.isBlank()) {
                diags.error("OTA_POLICY_IMAGE", entry.at("image"),
                        "`" + entry.path() + ".image` is " + (image == null ? "missing" : "empty") + ".",
                        "set the approved image reference, e.g. `image: registry.example/dev/jdk21:1.0`.");
            }
            String source = entry.string("source");
            if (source != null && source.isBlank()) {
                diags.error("OTA_POLICY_SOURCE", entry.at("source"), "`source` must not be empty.",
                        "name the source class or remove `source`.");
            }
            entry.finish(Set.of("image", "source"), Set.of());
            out.put(name, new OrgPolicy.ApprovedImage(name, image, source, site(entry)));
        });
        return Collections.unmodifiableMap(out);
    }

    private static List<String> list(MapView view, String key) {
        List<String> values = view.stringList(key);
        return values == null ? List.of() : values;
    }

    private static void overlap(MapView view, String what, List<String> allowed, List<String> denied, String deniedKey,
            Diagnostics diags) {
        for (String value : allowed) {
            if (denied.contains(value)) {
                diags.error("OTA_POLICY_ALLOW_DENY", view.at(deniedKey),
                        "`" + value + "` cannot be both allowed and denied (" + what + ").",
                        "remove `" + value + "` from one of the two lists.");
            }
        }
    }

    private static Site site(MapView view) {
        return new Site(view.location(), view.fieldLocations());
    }
}
