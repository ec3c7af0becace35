package dev.ota.core.plan;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.diagnostics.Words;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.resolve.ResolvedContext;

/**
 * Resolves a shared container backend's declared environment intent to its effective image
 * through the org policy (digest §6), and applies the policy's source and registry lists.
 */
final class BackendEnvironmentResolver {

    private BackendEnvironmentResolver() {}

    static Plan.EnvironmentEvidence resolve(SharedBackend backend, ResolvedContext context, OrgPolicy policy,
            Diagnostics diags) {
        SharedBackend.BackendEnvironment env = backend.environment();
        String contextImage = context == null ? null : context.container().image();
        String path = "execution.shared_backends." + backend.name() + ".environment";
        SourceLocation at = env != null ? env.site().location() : backend.site().location();
        OrgPolicy.BackendEnvironmentPolicy rules = policy == null ? null : policy.backendEnvironment();
        String policyName = policy == null ? null : policy.displayName();
        String effectiveProfile = null;
        String effectiveAlias = null;
        String image;
        String source = null;
        String resolvedBy;
        if (env == null) {
            image = contextImage;
            resolvedBy = "context image";
        } else if (env.profile() != null) {
            resolvedBy = "policy profile";
            OrgPolicy.ApprovedImage profile = rules == null ? null : rules.profiles().get(env.profile());
            if (policy == null) {
                diags.error("OTA_POLICY_REQUIRED", env.site().at("profile"), "`" + path + ".profile: " + env.profile()
                        + "` requires an active org policy, and none was found.",
                        "add `.ota/org-policy.yaml` with `policies.backend_environment.profiles." + env.profile()
                                + ".image`, or set OTA_POLICY to the policy pack.");
                return evidence(env, null, null, null, null, resolvedBy, null);
            }
            if (profile == null) {
                diags.error("OTA_POLICY_PROFILE", env.site().at("profile"), "profile `" + env.profile()
                        + "` is not approved by the org policy " + policyName + ".",
                        "use one of " + quoted(rules.profiles().keySet()) + ", or ask for the profile to be added to the policy.");
                return evidence(env, null, null, null, null, resolvedBy, policyName);
            }
            effectiveProfile = profile.name();
            image = profile.image();
            source = profile.source();
        } else if (env.imageAlias() != null) {
            resolvedBy = "policy image alias";
            OrgPolicy.ApprovedImage alias = rules == null ? null : rules.imageAliases().get(env.imageAlias());
            if (policy == null) {
                diags.error("OTA_POLICY_REQUIRED", env.site().at("image_alias"), "`" + path + ".image_alias: "
                        + env.imageAlias() + "` requires an active org policy, and none was found.",
                        "add `.ota/org-policy.yaml` with `policies.backend_environment.image_aliases." + env.imageAlias()
                                + ".image`, or set OTA_POLICY.");
                return evidence(env, null, null, null, null, resolvedBy, null);
            }
            if (alias == null) {
                diags.error("OTA_POLICY_ALIAS", env.site().at("image_alias"), "image alias `" + env.imageAlias()
                        + "` is not approved by the org policy " + policyName + ".",
                        "use one of " + quoted(rules.imageAliases().keySet()) + ", or ask for the alias to be added.");
                return evidence(env, null, null, null, null, resolvedBy, policyName);
            }
            effectiveAlias = alias.name();
            image = alias.image();
            source = alias.source();
        } else if (env.image() != null) {
            resolvedBy = "literal image";
            image = env.image();
            source = env.source();
        } else {
            String defaultProfile = rules == null ? null : rules.defaultProfile();
            OrgPolicy.ApprovedImage profile = defaultProfile == null ? null : rules.profiles().get(defaultProfile);
            if (profile != null) {
                resolvedBy = "policy default_profile";
                effectiveProfile = profile.name();
                image = profile.image();
                source = profile.source();
            } else {
                resolvedBy = "context image (no policy default_profile)";
                image = contextImage;
            }
        }
        String registry = image == null ? null : registryOf(image);
        if (rules != null && image != null) {
            refuse(source, rules.allowedSources(), rules.deniedSources(), "source class", at, backend, image, policyName, diags);
            refuse(registry, rules.allowedRegistries(), rules.deniedRegistries(), "registry", at, backend, image, policyName,
                    diags);
        }
        return new Plan.EnvironmentEvidence(env == null ? null : env.profile(), env == null ? null : env.imageAlias(),
                env == null ? null : env.image(), env == null ? null : env.source(), effectiveProfile, effectiveAlias,
                image, source, registry, resolvedBy, policyName);
    }

    private static void refuse(String value, java.util.List<String> allowed, java.util.List<String> denied, String what,
            SourceLocation at, SharedBackend backend, String image, String policyName, Diagnostics diags) {
        String name = "execution.shared_backends." + backend.name();
        if (value != null && denied.contains(value)) {
            diags.error("OTA_POLICY_REFUSED", at, "org policy " + policyName + " denies " + what + " `" + value
                    + "` of image `" + image + "` (" + name + ").",
                    "choose an approved profile or alias (`environment.profile` / `environment.image_alias`).");
        } else if (!allowed.isEmpty() && (value == null || !allowed.contains(value))) {
            diags.error("OTA_POLICY_REFUSED", at, "org policy " + policyName + " allows only " + plural(what) + " "
                    + quoted(allowed) + ", but image `" + image + "` of " + name + " has "
                    + (value == null ? "no " + what : what + " `" + value + "`") + ".",
                    "choose an approved profile or alias, or declare the image's `source` if it is approved.");
        }
    }

    private static String plural(String word) {
        if (word.endsWith("y")) {
            return word.substring(0, word.length() - 1) + "ies";
        }
        return word.endsWith("s") ? word + "es" : word + "s";
    }

    /**
     * Registry host of an image reference: the first path segment when it looks like a host
     * (has a dot or a port, or is {@code localhost}), else Docker Hub ({@code docker.io}).
     */
    static String registryOf(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return first;
            }
        }
        return "docker.io";
    }

    private static Plan.EnvironmentEvidence evidence(SharedBackend.BackendEnvironment env, String profile, String alias,
            String image, String source, String resolvedBy, String policy) {
        return new Plan.EnvironmentEvidence(env.profile(), env.imageAlias(), env.image(), env.source(), profile, alias,
                image, source, image == null ? null : registryOf(image), resolvedBy, policy);
    }

    private static String quoted(java.util.Collection<String> values) {
        return values.isEmpty() ? "(none declared)" : Words.backticked(values);
    }
}
