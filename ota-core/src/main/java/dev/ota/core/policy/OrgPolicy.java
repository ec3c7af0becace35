package dev.ota.core.policy;

import dev.ota.core.model.Site;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An org policy pack ({@code .ota/org-policy.yaml}): the parts ota-maven enforces.
 *
 * @param source how it was found: {@code OTA_POLICY}, {@code repo policy} or {@code workspace policy}
 */
public record OrgPolicy(
        Path file,
        String displayName,
        String source,
        boolean strictVersions,
        Map<String, Provisioning> provisioning,
        BackendEnvironmentPolicy backendEnvironment) {

    /**
     * The versions of one runtime or tool this policy approves on {@code os} ({@code linux},
     * {@code macos}, {@code windows}; {@code null} when unknown): the
     * {@code provisioning.<name>.platforms.<os>.approved_versions} when that list is given, else
     * {@code provisioning.<name>.approved_versions}. Empty when the policy does not restrict the name.
     */
    public List<String> approvedVersions(String name, String os) {
        Provisioning p = provisioning.get(name);
        if (p == null) {
            return List.of();
        }
        Provisioning platform = os == null ? null : p.platforms().get(os);
        if (platform != null && !platform.approvedVersions().isEmpty()) {
            return platform.approvedVersions();
        }
        return p.approvedVersions();
    }

    /** {@code policies.provisioning.<name>}: an approved source and versions for one runtime or tool. */
    public record Provisioning(
            String name,
            String source,
            String pkg,
            List<String> sourcesList,
            List<String> approvedVersions,
            Map<String, Provisioning> platforms,
            Site site) {}

    /** {@code policies.backend_environment}. */
    public record BackendEnvironmentPolicy(
            Map<String, ApprovedImage> profiles,
            Map<String, ApprovedImage> imageAliases,
            String defaultProfile,
            List<String> allowedSources,
            List<String> deniedSources,
            List<String> allowedRegistries,
            List<String> deniedRegistries,
            Site site) {

        public static final BackendEnvironmentPolicy EMPTY =
                new BackendEnvironmentPolicy(Map.of(), Map.of(), null, List.of(), List.of(), List.of(), List.of(), null);
    }

    /** An approved image (profile or alias) with its optional source class. */
    public record ApprovedImage(String name, String image, String source, Site site) {}
}
