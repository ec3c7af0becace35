package dev.ota.core.resolve;

import dev.ota.core.model.ContainerSettings;
import dev.ota.core.model.Context;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Execution;
import dev.ota.core.model.RemoteSettings;
import dev.ota.core.model.Requirements;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Task;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolved contexts and task shapes of one contract, computed once and shared by the validator
 * and the planner so both see the same truth. Tolerates broken input: what cannot resolve is
 * left null (the validator reports why).
 */
public final class Topology {

    private final Contract contract;
    private final Map<String, ResolvedContext> contexts = new LinkedHashMap<>();
    private final Set<String> cyclicContexts = new HashSet<>();
    private final Map<String, TaskShape> shapes = new LinkedHashMap<>();

    public Topology(Contract contract) {
        this.contract = contract;
        Execution exec = contract.execution();
        for (Context context : exec.contexts().values()) {
            ResolvedContext resolved = resolve(context, exec);
            if (resolved != null) {
                contexts.put(context.name(), resolved);
            }
        }
        for (Task task : contract.tasks().values()) {
            shapes.put(task.name(), shape(task, exec));
        }
    }

    public Contract contract() {
        return contract;
    }

    public ResolvedContext context(String name) {
        return name == null ? null : contexts.get(name);
    }

    public Map<String, ResolvedContext> contexts() {
        return Collections.unmodifiableMap(contexts);
    }

    /** Contexts whose {@code extends} chain loops. */
    public Set<String> cyclicContexts() {
        return Collections.unmodifiableSet(cyclicContexts);
    }

    public TaskShape shape(String task) {
        return shapes.get(task);
    }

    public Map<String, TaskShape> shapes() {
        return Collections.unmodifiableMap(shapes);
    }

    /** Tasks whose runtime binds {@code backend}, in contract order. */
    public List<TaskShape> boundTo(String backend) {
        List<TaskShape> out = new ArrayList<>();
        for (TaskShape shape : shapes.values()) {
            if (shape.task().isService() && backend.equals(shape.task().runtime().backendBinding())) {
                out.add(shape);
            }
        }
        return out;
    }

    private ResolvedContext resolve(Context context, Execution exec) {
        List<Context> chain = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        seen.add(context.name());
        Context current = context;
        while (current.extendsName() != null) {
            Context parent = exec.contexts().get(current.extendsName());
            if (parent == null) {
                break; // unknown parent: reported by the validator
            }
            if (!seen.add(parent.name())) {
                cyclicContexts.add(context.name());
                break;
            }
            chain.add(parent);
            current = parent;
        }
        // Apply from the farthest ancestor to the context itself.
        List<Context> order = new ArrayList<>(chain);
        Collections.reverse(order);
        order.add(context);
        String backend = null;
        String lifecycle = null;
        String fulfillment = null;
        Map<String, String> env = new LinkedHashMap<>();
        ContainerSettings container = exec.rootContainer();
        RemoteSettings remote = exec.rootRemote();
        Requirements requirements = Requirements.EMPTY;
        List<String> onlyOn = null;
        List<String> isolated = null;
        for (Context c : order) {
            backend = c.backend() != null ? c.backend() : backend;
            lifecycle = c.lifecycle() != null ? c.lifecycle() : lifecycle;
            fulfillment = c.fulfillment() != null ? c.fulfillment() : fulfillment;
            if (c.env() != null) {
                env.putAll(c.env());
            }
            container = container.overlay(c.container());
            remote = remote.overlay(c.remote());
            requirements = requirements.overlay(c.requirements());
            onlyOn = c.onlyOn() != null ? c.onlyOn() : onlyOn;
            isolated = c.isolatedPaths() != null ? c.isolatedPaths() : isolated;
        }
        if (lifecycle == null && !"native".equals(backend)) {
            lifecycle = exec.lifecycle();
        }
        return new ResolvedContext(context.name(), backend, lifecycle, fulfillment, Collections.unmodifiableMap(env),
                container, remote, requirements, onlyOn, isolated == null ? List.of() : isolated, context,
                List.copyOf(chain));
    }

    private TaskShape shape(Task task, Execution exec) {
        String contextName = task.context() != null ? task.context() : exec.defaultContext();
        ResolvedContext context = context(contextName);
        String backend;
        String lifecycle;
        if (context != null) {
            backend = context.backend();
            lifecycle = context.isNative() ? null : context.lifecycle();
        } else if (contextName == null) {
            backend = exec.preferred() != null ? exec.preferred() : "native";
            lifecycle = "native".equals(backend) ? null : exec.lifecycle();
        } else {
            backend = null;
            lifecycle = null;
        }
        SharedBackend binding = null;
        if (task.isService() && task.runtime().backendBinding() != null) {
            binding = exec.sharedBackends().get(task.runtime().backendBinding());
        }
        return new TaskShape(task, contextName, context, backend, lifecycle, binding);
    }
}
