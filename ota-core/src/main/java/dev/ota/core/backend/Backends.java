package dev.ota.core.backend;

import dev.ota.core.backend.container.ContainerBackend;
import dev.ota.core.backend.container.ContainerBoundaries;
import dev.ota.core.backend.container.ContainerWorkloads;
import dev.ota.core.backend.container.DockerEngine;
import dev.ota.core.backend.container.EphemeralContainerBackend;
import dev.ota.core.backend.remote.RemoteBackend;
import dev.ota.core.backend.remote.RemoteEndpoint;
import dev.ota.core.backend.remote.RemoteShells;
import dev.ota.core.model.Contract;
import dev.ota.core.model.RemoteSettings;
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
 * backend or context (one per unit, so every task of a unit shares it), an ephemeral container
 * context, or a remote boundary. Container backends connect to the engine, remote ones to their
 * host, only when first used.
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
    private final RemoteShells remotes;

    public Backends(Backend nativeBackend, DockerEngine engine, RemoteShells remotes, Contract contract, Topology topology,
            Plan plan, StateStore state, Consumer<String> log) {
        this.nativeBackend = nativeBackend;
        this.engine = engine;
        this.remotes = remotes;
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
        if (shape != null && "remote".equals(shape.backend()) && contract != null) {
            return remote(shape);
        }
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

    /** The remote boundary of a remote task: one backend per unit, one connection per endpoint. */
    private Backend remote(TaskShape shape) {
        RemoteSettings settings = shape.context() != null ? shape.context().remote() : contract.execution().rootRemote();
        RemoteEndpoint endpoint = settings == null ? null : RemoteEndpoint.of(settings);
        if (endpoint == null || endpoint.provider() == null || endpoint.target() == null) {
            return new RefusingBackend(RemoteBackend.FAMILY, "task `" + shape.task().name() + "` runs on a remote backend"
                    + " without `remote.provider` and `remote.target`; declare both on its context or in"
                    + " `execution.backends.remote`");
        }
        if (!endpoint.builtIn()) {
            return new RefusingBackend(RemoteBackend.FAMILY, "remote provider `" + endpoint.provider() + "` is a"
                    + " `backend_provider` extension; ota-maven runs the built-in providers (" + String.join(", ",
                    RemoteEndpoint.BUILT_IN) + ") only, so it cannot run `" + shape.task().name() + "` there");
        }
        String unit = shape.binding() != null ? "shared_backend:" + shape.binding().name()
                : shape.contextName() != null ? "context:" + shape.contextName() : "backends:remote";
        return containers.computeIfAbsent(unit, u -> new RemoteBackend(endpoint, remotes.of(endpoint), u, state.ownershipId(),
                log));
    }

    /** The backend that can check or stop a recorded workload, from its handle alone. */
    public Backend forHandle(WorkloadHandle handle) {
        return forHandle(handle, engine, remotes, nativeBackend);
    }

    /** The backend of a recorded workload: its container, its remote boundary, or the native host. */
    public static Backend forHandle(WorkloadHandle handle, DockerEngine engine, RemoteShells remotes, Backend nativeBackend) {
        if (ContainerWorkloads.handles(handle)) {
            return new ContainerWorkloads(engine);
        }
        if (handle != null && RemoteEndpoint.handles(handle.backend())) {
            RemoteEndpoint endpoint = RemoteEndpoint.fromHandle(handle.backend());
            return new RemoteBackend(endpoint, remotes.of(endpoint), null, null, line -> {});
        }
        return nativeBackend;
    }

    /** What this run did to each container it used, in first-use order. */
    public synchronized List<BoundaryEvidence> evidence() {
        List<BoundaryEvidence> out = new ArrayList<>();
        containers.values().forEach(b -> b.boundary().ifPresent(out::add));
        return out;
    }
}
