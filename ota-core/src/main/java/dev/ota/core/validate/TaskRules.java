package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Task;
import dev.ota.core.model.TaskBody;
import dev.ota.core.model.TaskInput;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Task-level rules: context, body, inputs (rule 51) and {@code depends_on} (part of rule 60). */
final class TaskRules extends RuleSupport {

    private static final Pattern SNAKE_CASE = Pattern.compile("[a-z][a-z0-9]*(?:_[a-z0-9]+)*");
    /** Run flags an input must not shadow once turned into {@code --kebab-case}. */
    static final Set<String> RESERVED_INPUTS = Set.of("backend", "jobs", "json", "lifecycle", "member", "mode",
            "receipt", "stream", "dry_run", "file", "ephemeral");

    TaskRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        for (Task task : contract.tasks().values()) {
            context(task);
            body(task);
            inputs(task);
            dependsOn(task);
        }
        dependencyCycles();
    }

    private void context(Task task) {
        if (task.context() == null) {
            return;
        }
        if (task.context().isBlank() || !contract.execution().contexts().containsKey(task.context())) {
            var known = contract.execution().contexts().keySet();
            error("OTA_TASK_CONTEXT", task.site().at("context"), "task `" + task.name() + "` references unknown context `"
                    + task.context() + "`.", known.isEmpty() ? "declare `execution.contexts." + task.context() + "`."
                    : "name one of " + list(known) + ".");
        }
    }

    private void body(Task task) {
        List<TaskBody> bodies = task.bodies();
        boolean suppliedElsewhere = task.site().declares("variants") || task.site().declares("execution");
        if (bodies.size() > 1) {
            List<String> kinds = bodies.stream().map(TaskBody::kind).toList();
            error("OTA_TASK_BODY", bodies.get(1).site().location().withPath(task.site().child(bodies.get(1).kind())),
                    "task `" + task.name() + "` declares " + list(kinds)
                            + "; declare exactly one of `run`, `script`, `command`, `launch`, or `action`.",
                    "keep one body and remove the others.");
        } else if (bodies.isEmpty() && !suppliedElsewhere) {
            error("OTA_TASK_BODY", task.site().location(), "task `" + task.name()
                    + "` declares no body; declare exactly one of `run`, `script`, `command`, `launch`, or `action`.",
                    "add e.g. `run: <shell command>`.");
        }
        for (TaskBody body : bodies) {
            if ("container".equals(body.launchKind())) {
                TaskShape shape = topology.shape(task.name());
                if (shape != null && shape.backend() != null && !"native".equals(shape.backend())) {
                    error("OTA_LAUNCH_CONTAINER", body.site().location(), "task `" + task.name()
                            + "` uses `launch.kind: container` on `" + shape.backend()
                            + "` execution; container launches work on native execution only.",
                            "run the task in a native context, or use `run`/`command` inside the container context.");
                }
                launchContainerRuntime(task, body);
                if (body.remove()) {
                    error("OTA_LAUNCH_CONTAINER", body.site().at("remove"), "task `" + task.name()
                            + "` is a `launch.kind: container` service and must not use `remove: true`.",
                            "drop `remove: true`; ota owns the container's lifecycle.");
                }
            }
            if ((body.kind().equals("run") || body.kind().equals("script")) && body.text() != null
                    && body.text().isBlank()) {
                error("OTA_EMPTY", body.site().location().withPath(task.site().child(body.kind())),
                        "`" + body.kind() + "` of task `" + task.name() + "` is empty.", "write the command to run.");
            }
        }
    }

    /** Rule 43: a container launch publishes a service runtime's ports to fixed host ports. */
    private void launchContainerRuntime(Task task, TaskBody body) {
        if (!task.isService()) {
            error("OTA_LAUNCH_CONTAINER", body.site().location(), "task `" + task.name()
                    + "` uses `launch.kind: container` without a service runtime; a container launch needs listeners published to fixed host ports.",
                    "add `runtime: { kind: service, listeners: ... }` with `project.host.port.mode: fixed` on each listener.");
            return;
        }
        for (Listener l : task.runtime().listeners().values()) {
            String where = "listener `" + l.name() + "` of task `" + task.name() + "`";
            if (l.host() == null || !l.host().fixed()) {
                error("OTA_LAUNCH_CONTAINER", l.host() == null ? l.site().location() : l.host().site().at("port.mode"), where
                        + " must be projected to a fixed host port for `launch.kind: container`.",
                        "add `project.host: { address: 127.0.0.1, port: { mode: fixed, value: <port> } }`.");
            }
            if (l.bind() != null && !l.shorthand() && Endpoints.isLoopback(l.bind().address())) {
                error("OTA_LAUNCH_CONTAINER", l.bind().site().at("address"), where
                        + " binds loopback-only (`" + l.bind().address() + "`), which a `launch.kind: container` publication cannot reach.",
                        "bind to `0.0.0.0` inside the container.");
            }
        }
    }

    private void inputs(Task task) {
        for (TaskInput input : task.inputs().values()) {
            String path = "tasks." + task.name() + ".inputs." + input.name();
            if (!SNAKE_CASE.matcher(input.name()).matches()) {
                error("OTA_INPUT_NAME", input.site().location(), "input name `" + input.name()
                        + "` must be lowercase snake_case.", "rename it to `" + snake(input.name()) + "`.");
            } else if (RESERVED_INPUTS.contains(input.name())) {
                error("OTA_INPUT_RESERVED", input.site().location(), "input name `" + input.name()
                        + "` collides with a reserved run flag (`--" + input.name().replace('_', '-') + "`).",
                        "rename the input, e.g. `" + input.name() + "_value`.");
            }
            if (input.defaultValue() != null && input.defaultValue().isEmpty()) {
                error("OTA_INPUT_DEFAULT", input.site().at("default"), "`" + path + ".default` must not be empty.",
                        "give a non-empty default or remove `default`.");
            }
            if (input.allowed() != null) {
                for (String allowed : input.allowed()) {
                    if (allowed.isEmpty()) {
                        error("OTA_INPUT_ALLOWED", input.site().at("allowed"), "`" + path + ".allowed` has an empty entry.",
                                "remove the empty entry.");
                    }
                }
                if (input.defaultValue() != null && !input.defaultValue().isEmpty()
                        && !input.allowed().contains(input.defaultValue())) {
                    error("OTA_INPUT_DEFAULT", input.site().at("default"), "default `" + input.defaultValue()
                            + "` of `" + path + "` is not one of `allowed` " + list(input.allowed()) + ".",
                            "pick a default from `allowed`, or add it there.");
                }
            }
        }
    }

    static String snake(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replaceAll("[^A-Za-z0-9]+", "_").toLowerCase()
                .replaceAll("^_+|_+$", "");
    }

    private void dependsOn(Task task) {
        for (String dep : task.dependsOn()) {
            if (!contract.tasks().containsKey(dep)) {
                error("OTA_DEPENDS_ON", task.site().at("depends_on"), "task `" + task.name() + "` depends on unknown task `"
                        + dep + "`.", "name a declared task, or remove `" + dep + "` from `depends_on`.");
            } else if (dep.equals(task.name())) {
                error("OTA_DEPENDS_ON_CYCLE", task.site().at("depends_on"), "task `" + task.name() + "` depends on itself.",
                        "remove it from its own `depends_on`.");
            }
        }
    }

    private void dependencyCycles() {
        Map<String, List<String>> edges = new HashMap<>();
        for (Task task : contract.tasks().values()) {
            List<String> deps = new ArrayList<>();
            for (String dep : task.dependsOn()) {
                if (contract.tasks().containsKey(dep) && !dep.equals(task.name())) {
                    deps.add(dep);
                }
            }
            edges.put(task.name(), deps);
        }
        for (List<String> cycle : Cycles.find(contract.tasks().keySet(), edges)) {
            Task first = contract.tasks().get(cycle.get(0));
            error("OTA_DEPENDS_ON_CYCLE", first.site().at("depends_on"),
                    "`depends_on` forms a cycle: " + String.join(" → ", cycle) + " → " + cycle.get(0) + ".",
                    "remove one of these `depends_on` edges.");
        }
    }
}
