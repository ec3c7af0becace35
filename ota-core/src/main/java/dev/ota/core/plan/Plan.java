package dev.ota.core.plan;

import dev.ota.core.diagnostics.Diagnostic;
import java.util.List;
import java.util.Map;

/**
 * A side-effect-free preview of what a run would do: per task its context, backend, env and
 * target resolutions; per shared backend its identity, effective image and requirement union;
 * for a requested task the ordered activation steps. Serialized as {@code plan.json}
 * (schema {@code docs/schemas/plan.schema.json}).
 */
public record Plan(
        String schema,
        boolean ok,
        String contract,
        String project,
        String requestedTask,
        PolicyInfo policy,
        List<Diagnostic> errors,
        List<Diagnostic> warnings,
        Map<String, TaskPlan> tasks,
        Map<String, SharedBackendPlan> sharedBackends,
        List<ActivationStep> activationSteps,
        List<ContainerPlan> containers) {

    public Plan {
        containers = containers == null ? List.of() : List.copyOf(containers);
    }

    public static final String SCHEMA = "ota-maven/plan@1";

    /**
     * A persistent container a run would create or reuse (the engine is not asked at plan time).
     *
     * @param unit {@code shared_backend:<name>} or {@code context:<name>}
     * @param name the deterministic container name, {@code ota-<16 hex>}
     * @param publications {@code <host address>:<host port or auto> -> <container port>} per listener
     */
    public record ContainerPlan(
            String unit, String name, String image, String workdir, List<String> tasks, List<String> publications) {}

    /**
     * Which org policy was in force, if any.
     *
     * @param source how it was found (digest §D.1): {@code OTA_POLICY}, {@code repo policy} (the
     *     nearest {@code .ota/org-policy.yaml}) or {@code workspace policy} ({@code workspace.policy})
     */
    public record PolicyInfo(String path, String source) {}

    public record TaskPlan(
            String name,
            String context,
            String backend,
            String lifecycle,
            String backendBinding,
            boolean service,
            String run,
            List<String> dependsOn,
            Map<String, String> env,
            List<TargetResolution> targetResolutions,
            List<ListenerPlan> listeners,
            RemotePlan remote) {}

    /** The remote boundary a remote task runs on, as declared (no connection is made to plan). */
    public record RemotePlan(String provider, String target, String cwd) {}

    /** One listener of a service task, with both its bind endpoint and host publication. */
    public record ListenerPlan(String name, String protocol, String bindEndpoint, String hostUrl, boolean primary) {}

    /**
     * How one target resolves. {@code effectiveUrl} is null when it cannot resolve; then
     * {@code error} says why and {@code fix} what would make it resolve.
     *
     * @param source {@code explicit_override}, {@code target_binding} or
     *     {@code compatibility_literal_default}
     */
    public record TargetResolution(
            String target,
            String overrideInput,
            String source,
            ServiceRefView serviceRef,
            String url,
            String effectiveUrl,
            Activation activation,
            String env,
            String error,
            String fix) {

        public boolean resolved() {
            return effectiveUrl != null;
        }
    }

    public record ServiceRefView(String task, String listener, String addressView, String repo, String member) {}

    /** {@code status} in a plan is {@code manual}, {@code planned} or {@code skipped_explicit_override}. */
    public record Activation(String mode, String status) {}

    public record SharedBackendPlan(
            String name,
            String scope,
            String backend,
            String lifecycle,
            String context,
            String fulfillment,
            String effectiveIdentity,
            EnvironmentEvidence environment,
            Requirements requirements,
            List<String> boundTasks,
            String error,
            List<ProvisioningPlan> provisioning) {}

    /**
     * How {@code fulfillment: run} would provide one requirement of a shared backend, as the org
     * policy says ({@code provisioning.<name>}); known before anything is checked on the plane.
     *
     * @param source the policy's source, null without a policy entry
     * @param installable whether ota-maven installs from that source ({@code apt}, {@code apk})
     * @param note why nothing would be installed, or null
     */
    public record ProvisioningPlan(String name, String source, String pkg, List<String> approvedVersions, boolean installable,
            String note) {}

    /** Declared versus effective backend environment (container backends only). */
    public record EnvironmentEvidence(
            String declaredProfile,
            String declaredImageAlias,
            String declaredImage,
            String declaredSource,
            String effectiveProfile,
            String effectiveImageAlias,
            String effectiveImage,
            String effectiveSource,
            String effectiveRegistry,
            String resolvedBy,
            String policy) {}

    /** The requirement union a shared backend must satisfy. */
    public record Requirements(Map<String, String> runtimes, Map<String, String> tools, List<String> toolchains) {}

    /**
     * One producer activation a run of the requested task would perform, in order.
     *
     * @param action a readable sentence ("start or reuse `dev` natively, then wait for ...")
     */
    public record ActivationStep(
            int order, String consumer, String target, String producer, String listener, String mode,
            String backend, String waitsFor, String action) {}
}
