package dev.ota.core.backend;

import dev.ota.core.backend.container.ContainerBackend;
import dev.ota.core.backend.container.ContainerBoundaries;
import dev.ota.core.backend.container.ContainerWorkloads;
import dev.ota.core.backend.container.DockerEngine;
import dev.ota.core.backend.container.EphemeralContainerBackend;
import dev.ota.core.model.Contract;
import dev.ota.core.plan.Plan;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import dev.ota.core.state.StateStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The backend of each task of one run: the native backend, the persistent container of its shared
 * backend or context (one per unit, so every task of a unit shares it), or an ephemeral container
 * context. Container backends connect to the engine only when first used.
 */
public final class Backends implements Function<TaskShape, Backend> {

    private final Backend nativeBackend;
    private final DockerEngine engine;
    private final Contract contract;
    private final Topology topology;
    private final Plan plan;
    private ContainerBoundaries boundaries;
    private final StateStore state;
    private final Consumer<String> log;
    private final Map<String, Backend> containers = new LinkedHashMap<>();

    public Backends(Backend nativeBackend, DockerEngine engine, Contract contract, Topology topology, Plan plan, StateStore state,
            Consumer<String> log) {
        this.nativeBackend = nativeBackend;
        this.engine = engine;
        this.contract = contract;
        this.state = state;
        this.log = log;
        this.topology = topology;
        this.plan = plan;
    }

    /** The container boundaries, named with the repo's ownership id (stored once containers are used). */
    private ContainerBoundaries boundaries() {
        if (boundaries == null) {
            boundaries = new ContainerBoundaries(contract, topology, plan, state.ownershipId());
        }
        return boundaries;
    }

    @Override
    public synchronized Backend apply(TaskShape shape) {
        if (shape == null || !"container".equals(shape.backend()) || contract == null) {
            return nativeBackend;
        }
        String refusal = ContainerBoundaries.unsupported(shape);
        if (refusal != null) {
            return new RefusingBackend("container", refusal);
        }
        if (ContainerBoundaries.persistent(shape)) {
            String unit = ContainerBoundaries.unit(shape);
            return containers.computeIfAbsent(unit, u -> new ContainerBackend(engine, boundaries().of(shape), state, log));
        }
        String key = "ephemeral:" + shape.contextName();
        return containers.computeIfAbsent(key, k -> new EphemeralContainerBackend(engine, shape.contextName(),
                boundaries().image(shape), contract.directory(), state.ownershipId(), log));
    }

    /** The backend that can check or stop a recorded workload, from its handle alone. */
    public Backend forHandle(WorkloadHandle handle) {
        return ContainerWorkloads.handles(handle) ? new ContainerWorkloads(engine) : nativeBackend;
    }

    /** What this run did to each container it used, in first-use order. */
    public synchronized List<BoundaryEvidence> evidence() {
        List<BoundaryEvidence> out = new ArrayList<>();
        containers.values().forEach(b -> b.boundary().ifPresent(out::add));
        return out;
    }
}
