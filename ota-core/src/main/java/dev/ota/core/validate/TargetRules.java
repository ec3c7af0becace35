package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Extension;
import dev.ota.core.model.Listener;
import dev.ota.core.model.ServiceRef;
import dev.ota.core.model.Target;
import dev.ota.core.model.Task;
import dev.ota.core.resolve.EnvNames;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules 52–66 and 70: task targets, override inputs and activation feasibility. */
final class TargetRules extends RuleSupport {

    TargetRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        Map<String, List<String>> activationEdges = new LinkedHashMap<>();
        for (Task task : contract.tasks().values()) {
            Map<String, String> overrideOwners = new HashMap<>();
            Map<String, String> envOwners = new HashMap<>();
            for (Target target : task.targets().values()) {
                target(task, target);
                overrideInput(task, target, overrideOwners, envOwners);
                ServiceRef ref = target.service();
                if (ref != null && ref.task() != null && !ref.crossRepo() && !ref.crossMember()
                        && !Target.MANUAL.equals(target.effectiveActivation()) && contract.tasks().containsKey(ref.task())
                        && !ref.task().equals(task.name())) {
                    activationEdges.computeIfAbsent(task.name(), k -> new ArrayList<>()).add(ref.task());
                }
            }
        }
        for (List<String> cycle : Cycles.find(contract.tasks().keySet(), activationEdges)) {
            Task first = contract.tasks().get(cycle.get(0));
            error("OTA_ACTIVATION_CYCLE", first.site().at("targets"), "target activation forms a cycle: "
                    + String.join(" → ", cycle) + " → " + cycle.get(0) + "; no producer could start first.",
                    "make one of these targets `activation: { mode: manual }`.");
        }
    }

    private void target(Task task, Target target) {
        String path = "tasks." + task.name() + ".targets." + target.name();
        SourceLocation at = target.site().location();
        if (target.name().isBlank()) {
            error("OTA_TARGET_NAME", at, "a target of task `" + task.name() + "` has an empty name.", "name the target.");
        }
        boolean hasService = target.site().declares("service");
        boolean hasUrl = target.site().declares("url");
        if (hasService == hasUrl) {
            error("OTA_TARGET_SHAPE", at, "`" + path + "` must declare exactly one of `service` or `url`.",
                    hasService ? "keep `service` (ota resolves the producer) or `url` (a fixed address), not both."
                            : "add `service: { task: <producer>, listener: <listener> }` or `url: <address>`.");
        }
        if (hasUrl && target.url() != null) {
            if (target.url().isBlank()) {
                error("OTA_EMPTY", target.site().at("url"), "`" + path + ".url` is empty.", "give the URL or use `service`.");
            }
            if (!Target.MANUAL.equals(target.effectiveActivation())) {
                error("OTA_TARGET_URL_ACTIVATION", target.site().at("activation.mode"), "`" + path
                        + "`: `url` targets only support `manual` activation (got `" + target.activationMode() + "`).",
                        "remove `activation`, or point the target at the producer with `service` so ota can start it.");
            }
        }
        if (target.service() != null) {
            service(task, target, target.service(), path);
        }
    }

    private void service(Task task, Target target, ServiceRef ref, String path) {
        String svcPath = path + ".service";
        if (blank(ref.member())) {
            error("OTA_EMPTY", ref.site().at("member"), "`" + svcPath + ".member` is empty.", "name the member or remove it.");
        }
        if (blank(ref.repo())) {
            error("OTA_EMPTY", ref.site().at("repo"), "`" + svcPath + ".repo` is empty.", "name the workspace repo or remove it.");
        }
        if (ref.member() != null && ref.repo() != null) {
            error("OTA_TARGET_MEMBER_REPO", ref.site().at("repo"), "`" + svcPath
                    + "` declares both `member` and `repo`.", "keep `member` (monorepo member) or `repo` (workspace repo).");
        }
        if (blank(ref.task())) {
            error("OTA_EMPTY", ref.site().at("task"), "`" + svcPath + ".task` is empty.", "name the producer task.");
            return;
        }
        if (ref.listener() != null && ref.listener().isBlank()) {
            error("OTA_EMPTY", ref.site().at("listener"), "`" + svcPath + ".listener` is empty.",
                    "name the producer's listener, or omit it when the producer has exactly one.");
        }
        if (ref.crossRepo()) {
            if (!"host".equals(ref.addressView())) {
                error("OTA_TARGET_REPO_VIEW", ref.addressView() == null ? ref.site().location() : ref.site().at("address_view"),
                        "`" + svcPath + "` uses `service.repo`, but only `address_view: host` is currently supported"
                                + (ref.addressView() == null ? " (the default view is `topology`)" : "") + ".",
                        "write `address_view: host` and give the producer listener a fixed `project.host`.");
            }
            return; // the producer lives in another repo's contract (workspace)
        }
        if (ref.crossMember()) {
            warning("OTA_TARGET_MEMBER", ref.site().at("member"), "`" + svcPath
                    + ".member` (monorepo members) is not supported by ota-maven yet; the target will not resolve.",
                    "use `service.repo` with an `ota.workspace.yaml`, or run this task with the ota CLI.");
            return;
        }
        Task producer = contract.tasks().get(ref.task());
        if (producer == null) {
            error("OTA_TARGET_UNKNOWN_TASK", ref.site().at("task"), "`" + svcPath + "` references unknown `service.task: "
                    + ref.task() + "`.", "name a declared task: " + list(contract.tasks().keySet()) + ".");
            return;
        }
        if (!producer.isService()) {
            error("OTA_TARGET_NOT_SERVICE", ref.site().at("task"), "`" + svcPath + "`: task `" + producer.name()
                    + "` is not a service task.", "give `" + producer.name()
                    + "` a `runtime: { kind: service, listeners: ... }`, or use a `url` target.");
            return;
        }
        Listener listener = producerListener(producer, ref, svcPath);
        String mode = target.effectiveActivation();
        if (!Target.MANUAL.equals(mode) && producer.name().equals(task.name())) {
            error("OTA_TARGET_SELF_ACTIVATION", target.site().at("activation.mode"), "`" + path
                    + "` cannot declare `activation.mode: " + mode + "` for `service.task: " + task.name() + "` (itself).",
                    "use `activation: { mode: manual }` for a self target.");
            return;
        }
        if (listener != null && !Target.MANUAL.equals(mode)) {
            feasibility(task, target, ref, producer, listener, mode, path);
        }
    }

    /** The listener a target names, or the producer's only listener; null (reported) otherwise. */
    private Listener producerListener(Task producer, ServiceRef ref, String svcPath) {
        Map<String, Listener> listeners = producer.runtime().listeners();
        if (ref.listener() != null) {
            if (ref.listener().isBlank()) {
                return null;
            }
            Listener l = listeners.get(ref.listener());
            if (l == null) {
                error("OTA_TARGET_UNKNOWN_LISTENER", ref.site().at("listener"), "`" + svcPath
                        + "` references unknown listener `" + ref.listener() + "` of task `" + producer.name() + "`.",
                        "name one of " + list(listeners.keySet()) + ".");
            }
            return l;
        }
        if (listeners.size() > 1) {
            error("OTA_TARGET_LISTENER_AMBIGUOUS", ref.site().location(), "`" + svcPath + "`: task `" + producer.name()
                    + "` exposes multiple listeners; declare `service.listener` explicitly.",
                    "add `listener:` with one of " + list(listeners.keySet()) + ".");
            return null;
        }
        return listeners.values().stream().findFirst().orElse(null);
    }

    /** Rules 61–65 for a non-manual same-repo target. */
    private void feasibility(Task task, Target target, ServiceRef ref, Task producer, Listener targetListener,
            String mode, String path) {
        TaskShape caller = topology.shape(task.name());
        TaskShape prod = topology.shape(producer.name());
        if (caller == null || prod == null) {
            return;
        }
        Listener checked = targetListener;
        if ((mode.equals("ensure_ready") || mode.equals("restart_ready")) && producer.runtime().readiness() != null
                && producer.runtime().readiness().listener() != null) {
            Listener readinessListener = producer.runtime().listener(producer.runtime().readiness().listener());
            if (readinessListener != null) {
                checked = readinessListener;
            }
        }
        String view = ref.effectiveView();
        boolean shared = caller.sharesBindingWith(prod);
        String listenerDesc = "listener `" + checked.name() + "` of task `" + producer.name() + "`";
        SourceLocation at = ref.addressView() != null ? ref.site().at("address_view") : target.site().at("activation.mode");
        if ("remote".equals(prod.backend())) {
            boolean sharedRemote = shared && "remote".equals(prod.binding().backend());
            if (!sharedRemote) {
                error("OTA_ACTIVATION_REMOTE", at, "`" + path + "`: remote producer activation currently requires `"
                        + task.name() + "` and `" + producer.name() + "` to share one declared remote backend binding.",
                        "bind both tasks to one `execution.shared_backends.<name>` with `backend: remote` (`runtime.backend_binding`).");
                return;
            }
            String provider = prod.context() != null ? prod.context().remote().provider() : null;
            Extension extension = provider == null ? null : contract.extensions().get(provider);
            if (extension != null && !extension.providerManagedCleanup()) {
                error("OTA_ACTIVATION_PROVIDER_CLEANUP", at, "`" + path + "`: backend provider `" + provider
                        + "` must declare `activation.provider_managed_cleanup: true` before ota can activate its producers.",
                        "add `activation: { provider_managed_cleanup: true }` to `extensions." + provider + "`.");
                return;
            }
        }
        switch (view) {
            case "host" -> requireHost(checked, listenerDesc, at, path, shared);
            case "topology" -> {
                if (shared) {
                    requireFixedBind(checked, listenerDesc, at, path, "shared-backend `address_view: topology`");
                } else if (caller.backend() != null && !"native".equals(caller.backend())) {
                    error("OTA_ACTIVATION_TOPOLOGY", at, "`" + path + "`: `address_view: topology` from the " + caller.backend()
                            + " task `" + task.name() + "` resolves only when it shares one declared backend binding with `"
                            + producer.name() + "`, and it does not; ota does not guess a host bridge.",
                            "bind both tasks to one `execution.shared_backends.<name>`, or use `address_view: host`.");
                } else {
                    requireHost(checked, listenerDesc, at, path, false);
                }
            }
            default -> {
                if (!shared) {
                    error("OTA_ACTIVATION_INTERNAL", at, "`" + path + "`: `address_view: internal` needs `" + task.name()
                            + "` and `" + producer.name() + "`, which do not share one declared backend binding on a supported execution plane.",
                            "bind both tasks to the same `execution.shared_backends.<name>` (`runtime.backend_binding`), or use `address_view: host`.");
                } else {
                    requireFixedBind(checked, listenerDesc, at, path, "`address_view: internal`");
                }
            }
        }
    }

    private void requireHost(Listener l, String desc, SourceLocation at, String path, boolean shared) {
        if (l.host() == null) {
            error("OTA_ACTIVATION_HOST", at, "`" + path + "`: " + desc + " does not declare `project.host`, which this view needs for activation.",
                    "give " + desc + " `project.host` with `port.mode: fixed`"
                            + (shared ? "." : " — or bind both tasks to one shared backend and use `address_view: internal`."));
        } else if (!l.host().fixed()) {
            error("OTA_ACTIVATION_HOST", at, "`" + path + "`: " + desc + " does not declare a fixed `project.host.port.value`.",
                    "set `project.host.port: { mode: fixed, value: <port> }`"
                            + (shared ? "." : " — or bind both tasks to one shared backend and use `address_view: internal`."));
        }
    }

    private void requireFixedBind(Listener l, String desc, SourceLocation at, String path, String why) {
        if (l.bind() == null || !l.bind().fixed()) {
            error("OTA_ACTIVATION_BIND", at, "`" + path + "`: " + desc + " needs a fixed `bind.port.value` for " + why + ".",
                    "set `bind.port: { mode: fixed, value: <port> }` on " + desc + ".");
        }
    }

    private void overrideInput(Task task, Target target, Map<String, String> overrideOwners, Map<String, String> envOwners) {
        String input = target.overrideInput();
        String path = "tasks." + task.name() + ".targets." + target.name();
        if (input != null) {
            if (input.isBlank()) {
                error("OTA_EMPTY", target.site().at("override_input"), "`" + path + ".override_input` is empty.",
                        "name a task input, or remove `override_input`.");
                return;
            }
            if (!task.inputs().containsKey(input)) {
                error("OTA_OVERRIDE_INPUT", target.site().at("override_input"), "task input `" + input
                        + "` is not declared under `tasks." + task.name() + ".inputs`.",
                        "declare `inputs: { " + input + ": { description: ... } }` on task `" + task.name() + "`.");
            }
            String previous = overrideOwners.putIfAbsent(input, target.name());
            if (previous != null) {
                error("OTA_OVERRIDE_INPUT_SHARED", target.site().at("override_input"), "targets `" + previous + "` and `"
                        + target.name() + "` of task `" + task.name() + "` share override input `" + input + "`.",
                        "give each target its own override input.");
            }
            return;
        }
        String env = EnvNames.target(target.name());
        String previous = envOwners.putIfAbsent(env, target.name());
        if (previous != null) {
            error("OTA_TARGET_ENV_COLLISION", target.site().location(), "targets `" + previous + "` and `" + target.name()
                    + "` of task `" + task.name() + "` both normalize to `" + env + "`.",
                    "rename one of the targets, or give it an `override_input`.");
        }
    }
}
