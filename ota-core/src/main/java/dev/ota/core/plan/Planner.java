package dev.ota.core.plan;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Readiness;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Target;
import dev.ota.core.model.Task;
import dev.ota.core.model.TaskBody;
import dev.ota.core.model.TaskInput;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.resolve.EnvNames;
import dev.ota.core.resolve.RequirementUnion;
import dev.ota.core.resolve.ResolvedContext;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import dev.ota.core.load.Durations;
import dev.ota.core.yaml.Nodes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds a {@link Plan} from a valid contract. Pure: reads the model, writes nothing, starts
 * nothing. Problems that only matter for the requested run (unknown task, missing required input,
 * unresolvable target) are reported into the diagnostics.
 */
public final class Planner {

    private final Contract contract;
    private final Topology topology;
    private final OrgPolicy policy;
    private final Diagnostics diags;
    private final TargetResolver targets;

    public Planner(Contract contract, Topology topology, OrgPolicy policy, Diagnostics diags) {
        this(contract, topology, policy, diags, null);
    }

    /**
     * @param repos resolves {@code service.repo} targets through the workspace; null when there is
     *     none (such targets then do not resolve)
     */
    public Planner(Contract contract, Topology topology, OrgPolicy policy, Diagnostics diags, RepoProducers repos) {
        this.contract = contract;
        this.topology = topology;
        this.policy = policy;
        this.diags = diags;
        this.targets = new TargetResolver(topology, repos);
    }

    /** Tasks, shared backends and (for a requested task) activation steps. */
    public record Body(
            Map<String, Plan.TaskPlan> tasks, Map<String, Plan.SharedBackendPlan> sharedBackends,
            List<Plan.ActivationStep> activationSteps) {}

    public Body plan(String requestedTask, Map<String, String> inputs) {
        Set<String> included = new LinkedHashSet<>();
        List<Plan.ActivationStep> steps = new ArrayList<>();
        if (requestedTask != null) {
            Task task = contract.task(requestedTask);
            if (task == null) {
                String hint = Nodes.closest(requestedTask, contract.tasks().keySet());
                diags.error("OTA_TASK_UNKNOWN", SourceLocation.ofFile(contract.displayName()).withPath("tasks"),
                        "task `" + requestedTask + "` is not declared in " + contract.displayName() + ".",
                        hint != null ? "did you mean `-Dota.task=" + hint + "`?"
                                : "use one of " + String.join(", ", contract.tasks().keySet()) + ".");
                return new Body(Map.of(), Map.of(), List.of());
            }
            checkInputs(task, inputs);
            collect(task, inputs, included);
        } else {
            included.addAll(contract.tasks().keySet());
        }
        Map<String, Plan.TaskPlan> taskPlans = new LinkedHashMap<>();
        for (String name : included) {
            Task task = contract.task(name);
            Map<String, String> taskInputs = requestedTask == null || requestedTask.equals(name) ? inputs : Map.of();
            taskPlans.put(name, taskPlan(task, taskInputs, requestedTask != null && requestedTask.equals(name)));
        }
        if (requestedTask != null) {
            // The run executes the depends_on chain too, so its tasks' targets are activated as well.
            Set<String> visiting = new LinkedHashSet<>();
            for (String name : runOrder(requestedTask)) {
                activationSteps(contract.task(name), taskPlans.get(name), steps, visiting);
            }
            for (String name : included) {
                Task task = contract.task(name);
                if (!task.unsupported().isEmpty()) {
                    diags.error("OTA_FIELD_NOT_SUPPORTED_FOR_RUN", task.site().at(task.unsupported().get(0)),
                            "task `" + name + "` uses " + String.join(", ", task.unsupported().stream()
                                    .map(f -> "`" + f + "`").toList()) + ", which ota-maven does not support yet, and this run needs the task.",
                            "run it with the ota CLI, or remove those fields from `tasks." + name + "`.");
                }
            }
        }
        Map<String, Plan.SharedBackendPlan> backends = new LinkedHashMap<>();
        for (SharedBackend backend : contract.execution().sharedBackends().values()) {
            boolean used = requestedTask == null || topology.boundTo(backend.name()).stream()
                    .anyMatch(s -> included.contains(s.task().name()));
            if (used) {
                backends.put(backend.name(), backendPlan(backend));
            }
        }
        return new Body(Collections.unmodifiableMap(taskPlans), Collections.unmodifiableMap(backends), List.copyOf(steps));
    }

    /**
     * The requested task, the tasks it depends on, and the producers it activates (transitively):
     * a manual target, or one the operator overrides ({@code inputs}), starts no producer.
     */
    private void collect(Task task, Map<String, String> inputs, Set<String> included) {
        if (!included.add(task.name())) {
            return;
        }
        for (String dep : task.dependsOn()) {
            Task t = contract.task(dep);
            if (t != null) {
                collect(t, Map.of(), included);
            }
        }
        for (Target target : task.targets().values()) {
            String override = target.overrideInput() == null ? null : inputs.get(target.overrideInput());
            if (target.service() != null && target.service().task() != null && !target.service().crossRepo()
                    && !target.service().crossMember() && !Target.MANUAL.equals(target.effectiveActivation())
                    && (override == null || override.isEmpty())) {
                Task producer = contract.task(target.service().task());
                if (producer != null) {
                    collect(producer, Map.of(), included);
                }
            }
        }
    }

    private void checkInputs(Task task, Map<String, String> inputs) {
        for (Map.Entry<String, String> given : inputs.entrySet()) {
            TaskInput input = task.inputs().get(given.getKey());
            if (input == null) {
                String hint = Nodes.closest(given.getKey(), task.inputs().keySet());
                diags.error("OTA_INPUT_UNKNOWN", task.site().at("inputs"), "task `" + task.name() + "` has no input `"
                        + given.getKey() + "`" + (task.inputs().isEmpty() ? "" : "; declared: "
                        + String.join(", ", task.inputs().keySet())) + ".",
                        hint != null ? "did you mean `-Dota.input." + hint + "`?"
                                : "declare it under `tasks." + task.name() + ".inputs`, or drop -Dota.input." + given.getKey() + ".");
            } else if (input.allowed() != null && !input.allowed().isEmpty() && !input.allowed().contains(given.getValue())) {
                diags.error("OTA_INPUT_NOT_ALLOWED", input.site().at("allowed"), "value `" + given.getValue()
                        + "` of input `" + input.name() + "` is not one of " + String.join(", ", input.allowed()) + ".",
                        "pass one of the allowed values with -Dota.input." + input.name() + "=<value>.");
            }
        }
        for (TaskInput input : task.inputs().values()) {
            String value = inputs.get(input.name());
            if (input.required() && (value == null || value.isEmpty())
                    && (input.defaultValue() == null || input.defaultValue().isEmpty())) {
                diags.error("OTA_INPUT_REQUIRED", input.site().location(), "task `" + task.name() + "` requires input `"
                        + input.name() + "`" + (input.description() != null ? " (" + input.description() + ")" : "") + ".",
                        "pass -Dota.input." + input.name() + "=<value>.");
            }
        }
    }

    private Plan.TaskPlan taskPlan(Task task, Map<String, String> inputs, boolean requested) {
        TaskShape shape = topology.shape(task.name());
        List<Plan.TargetResolution> resolutions = new ArrayList<>();
        Map<String, String> env = new TreeMap<>();
        ResolvedContext ctx = shape.context();
        if (ctx != null) {
            env.putAll(ctx.env());
        }
        env.putAll(task.env());
        for (TaskInput input : task.inputs().values()) {
            String value = inputs.getOrDefault(input.name(), input.defaultValue());
            if (value != null) {
                env.put(EnvNames.input(input.name()), value);
            }
        }
        for (Target target : task.targets().values()) {
            Plan.TargetResolution r = targets.resolve(task, target, inputs);
            resolutions.add(r);
            if (r.resolved()) {
                env.put(EnvNames.target(target.name()), r.effectiveUrl());
                if (target.overrideInput() != null) {
                    env.put(EnvNames.input(target.overrideInput()), r.effectiveUrl());
                }
            } else if (requested) {
                diags.error("OTA_TARGET_UNRESOLVED", target.site().location(), "target `" + target.name() + "` of task `"
                        + task.name() + "` cannot resolve: " + r.error(), r.fix());
            }
        }
        List<Plan.ListenerPlan> listeners = new ArrayList<>();
        if (task.isService()) {
            Listener primary = null;
            for (Listener l : task.runtime().listeners().values()) {
                String hostUrl = Endpoints.hostUrl(l);
                boolean isPrimary = l.host() != null && l.host().primary();
                listeners.add(new Plan.ListenerPlan(l.name(), l.protocol(), Endpoints.bindUrl(l), hostUrl, isPrimary));
                if (hostUrl != null) {
                    env.put(EnvNames.publicUrl(l.name()), hostUrl);
                    if (isPrimary || task.runtime().listeners().size() == 1) {
                        primary = l;
                    }
                }
            }
            if (primary == null) {
                primary = task.runtime().listeners().values().stream().filter(l -> Endpoints.hostUrl(l) != null)
                        .count() == 1 ? task.runtime().listeners().values().stream()
                        .filter(l -> Endpoints.hostUrl(l) != null).findFirst().orElse(null) : null;
            }
            if (primary != null) {
                env.put("OTA_PUBLIC_URL", Endpoints.hostUrl(primary));
                env.put("OTA_PUBLIC_HOST", primary.host().address());
                env.put("OTA_PUBLIC_PORT", String.valueOf(primary.host().port()));
            }
        }
        env.put("OTA_WORKSPACE", contract.directory().toString());
        TaskBody body = task.body();
        return new Plan.TaskPlan(task.name(), shape.contextName(), shape.backend(), shape.lifecycle(),
                shape.bindingName(), task.isService(), body == null ? null : body.display(), task.dependsOn(),
                Collections.unmodifiableMap(env), List.copyOf(resolutions), List.copyOf(listeners), remote(shape));
    }

    /** Provider, target and cwd of a remote task (context, else root `execution.backends.remote`). */
    private Plan.RemotePlan remote(TaskShape shape) {
        if (!"remote".equals(shape.backend())) {
            return null;
        }
        dev.ota.core.model.RemoteSettings r = shape.context() != null ? shape.context().remote()
                : topology.contract().execution().rootRemote();
        return r == null ? null : new Plan.RemotePlan(r.provider(), r.target(), r.cwd());
    }

    /** Producers first (depth first), each once; reports nothing for manual or overridden targets. */
    private void activationSteps(Task consumer, Plan.TaskPlan consumerPlan, List<Plan.ActivationStep> steps,
            Set<String> visiting) {
        if (consumerPlan == null || !visiting.add(consumer.name())) {
            return;
        }
        for (Plan.TargetResolution r : consumerPlan.targetResolutions()) {
            if (!"planned".equals(r.activation().status()) || r.serviceRef() == null) {
                continue;
            }
            if (r.serviceRef().repo() != null) {
                // The producer is a task of another repo's contract, not of this one: the run path
                // starts it through its own repo (WorkspaceContext.repoActivations), not here.
                continue;
            }
            Task producer = contract.task(r.serviceRef().task());
            if (producer == null) {
                continue;
            }
            // One step per consumer target (each has its own mode and evidence); the producer's own
            // targets are planned once, before it.
            if (!visiting.contains(producer.name())) {
                activationSteps(producer, taskPlan(producer, Map.of(), false), steps, visiting);
            }
            TaskShape shape = topology.shape(producer.name());
            String mode = r.activation().mode();
            String waitsFor = waitsFor(producer, r.serviceRef().listener(), mode);
            String where = shape.backend() + (shape.contextName() != null ? " context `" + shape.contextName() + "`" : "")
                    + (shape.bindingName() != null ? " in shared backend `" + shape.bindingName() + "`" : "");
            String action = switch (mode) {
                case "ensure_started" -> "reuse `" + producer.name() + "` if reachable, else start it (" + where
                        + "); do not wait";
                case "restart_ready" -> "restart `" + producer.name() + "` if it is running, else start it (" + where
                        + "); then wait for " + waitsFor;
                default -> "reuse `" + producer.name() + "` if " + (mode.equals("ensure_ready") ? "ready" : "reachable")
                        + ", else start it (" + where + "); then wait for " + waitsFor;
            };
            steps.add(new Plan.ActivationStep(steps.size() + 1, consumer.name(), r.target(), producer.name(),
                    r.serviceRef().listener(), mode, shape.backend(), waitsFor, action));
        }
    }

    /** The requested task's depends_on chain, dependencies first, then the task. */
    private List<String> runOrder(String task) {
        Set<String> ordered = new LinkedHashSet<>();
        visitOrder(task, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private void visitOrder(String name, Set<String> ordered, Set<String> visiting) {
        Task task = contract.task(name);
        if (task == null || ordered.contains(name) || !visiting.add(name)) {
            return;
        }
        for (String dep : task.dependsOn()) {
            visitOrder(dep, ordered, visiting);
        }
        ordered.add(name);
    }

    private static String waitsFor(Task producer, String listener, String mode) {
        if (mode.equals("ensure_started")) {
            return "nothing";
        }
        Readiness readiness = producer.runtime().readiness();
        if ((mode.equals("ensure_ready") || mode.equals("restart_ready")) && readiness != null && readiness.kind() != null) {
            String budget = (readiness.retries() != null ? readiness.retries() : 120) + " attempts"
                    + (readiness.interval() != null ? " every " + Durations.format(readiness.interval()) : "");
            return readiness.kind().equals("http")
                    ? "runtime.readiness: http " + (readiness.method() == null ? "GET" : readiness.method()) + " "
                            + readiness.path() + " on listener `" + readiness.listener() + "` (" + budget + ")"
                    : "runtime.readiness: tcp on listener `" + readiness.listener() + "` (" + budget + ")";
        }
        return "listener `" + listener + "` to accept connections";
    }

    private Plan.SharedBackendPlan backendPlan(SharedBackend backend) {
        List<TaskShape> bound = topology.boundTo(backend.name());
        String contextName = backend.context() != null ? backend.context()
                : bound.stream().map(TaskShape::contextName).filter(c -> c != null).findFirst().orElse(null);
        ResolvedContext ctx = topology.context(contextName);
        Plan.EnvironmentEvidence env = null;
        if ("container".equals(backend.backend())) {
            env = BackendEnvironmentResolver.resolve(backend, ctx, policy, diags);
        }
        RequirementUnion union = RequirementUnion.of(topology, backend);
        Map<String, String> runtimes = new LinkedHashMap<>();
        union.runtimes().forEach((name, entry) -> runtimes.put(name, entry.constraint()));
        Map<String, String> tools = new LinkedHashMap<>();
        union.tools().forEach((name, entry) -> tools.put(name, entry.constraint()));
        String identity = identity(backend, contextName, env);
        return new Plan.SharedBackendPlan(backend.name(), backend.scope(), backend.backend(), backend.lifecycle(),
                contextName, backend.effectiveFulfillment(), identity, env,
                new Plan.Requirements(runtimes, tools, List.copyOf(union.toolchains())),
                bound.stream().map(s -> s.task().name()).toList(), null, provisioning(backend, union));
    }

    /** The policy's provisioning of each runtime/tool a `fulfillment: run` backend requires (read-only sources shown as such). */
    private List<Plan.ProvisioningPlan> provisioning(SharedBackend backend, RequirementUnion union) {
        if (!"run".equals(backend.effectiveFulfillment())) {
            return List.of();
        }
        List<Plan.ProvisioningPlan> out = new ArrayList<>();
        java.util.Set<String> names = new java.util.LinkedHashSet<>(union.runtimes().keySet());
        names.addAll(union.tools().keySet());
        for (String name : names) {
            OrgPolicy.Provisioning rule = policy == null ? null : policy.provisioning().get(name);
            if (rule == null) {
                out.add(new Plan.ProvisioningPlan(name, null, null, List.of(), false, "no `provisioning." + name + "` entry in the"
                        + " org policy: nothing is installed (`fulfillment: run` is intent, not a policy bypass)"));
                continue;
            }
            boolean installable = dev.ota.core.fulfill.Provisioner.APT.equals(rule.source())
                    || dev.ota.core.fulfill.Provisioner.APK.equals(rule.source());
            String constraint = union.runtimes().containsKey(name) ? union.runtimes().get(name).constraint()
                    : union.tools().get(name).constraint();
            if (!rule.approvedVersions().isEmpty() && constraint != null && !dev.ota.core.fulfill.VersionMatch.isAny(constraint)
                    && rule.approvedVersions().stream().noneMatch(v -> dev.ota.core.fulfill.VersionMatch.coerce(v)
                            .map(sv -> dev.ota.core.fulfill.VersionMatch.satisfies(constraint, sv)).orElse(false))) {
                diags.error("OTA_POLICY_VERSION", backend.site().location(), "no version of `" + name + "` approved by org policy "
                        + policy.displayName() + " (" + String.join(", ", rule.approvedVersions()) + ") satisfies `" + constraint
                        + "`, which " + "`execution.shared_backends." + backend.name() + "` requires (fulfillment: run).",
                        "approve a matching version in the policy's `provisioning." + name + ".approved_versions`, or change"
                                + " the requirement.");
            }
            out.add(new Plan.ProvisioningPlan(name, rule.source(), rule.pkg() != null ? rule.pkg() : name,
                    rule.approvedVersions(), installable, installable ? null : "policy names source `" + rule.source()
                            + "`; ota-maven cannot install from it"));
        }
        return List.copyOf(out);
    }

    /** Deterministic id of the backend unit: project, name, family, context and effective image. */
    private String identity(SharedBackend backend, String context, Plan.EnvironmentEvidence env) {
        String project = contract.project() == null ? "" : contract.project().name();
        String key = String.join("|", project, backend.name(), String.valueOf(backend.backend()), String.valueOf(context),
                env == null ? "" : String.valueOf(env.effectiveImage()));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return project + "/" + backend.name() + "@" + HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
