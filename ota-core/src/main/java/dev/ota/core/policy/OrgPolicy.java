package dev.ota.core.policy;

import dev.ota.core.model.Site;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An org policy pack ({@code .ota/org-policy.yaml}): the parts ota-maven enforces.
 *
 * @param source how it was found: {@code OTA_POLICY} or {@code repo policy}
 */
public record OrgPolicy(
        Path file,
        String displayName,
        String source,
        boolean strictVersions,
        Map<String, Provisioning> provisioning,
        BackendEnvironmentPolicy backendEnvironment) {

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
