package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.PosixProcess;
import dev.ota.core.backend.posix.PosixScripts;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.LogTail;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.probe.Liveness;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Workloads inside a container, addressed by handle alone ({@code backend} =
 * {@code container:<id>}), so that status, clean and deactivate work without the contract.
 */
public final class ContainerWorkloads implements dev.ota.core.backend.Backend {

    public static final String PREFIX = "container:";
    static final Duration SHORT = Duration.ofSeconds(30);

    private final DockerEngine engine;

    public ContainerWorkloads(DockerEngine engine) {
        this.engine = engine;
    }

    /** Whether a handle names a container workload. */
    public static boolean handles(WorkloadHandle handle) {
        return handle != null && handle.backend() != null && handle.backend().startsWith(PREFIX);
    }

    public static String containerId(WorkloadHandle handle) {
        return handle.backend().substring(PREFIX.length());
    }

    static WorkloadHandle handle(String containerId, ProcStat stat, java.nio.file.Path logFile) {
        return new WorkloadHandle(PREFIX + containerId, stat.pid(), stat.startTime(), logFile);
    }

    /** What a pid inside the container is now; {@link PosixProcess.Gone} once the container is gone. */
    PosixProcess state(WorkloadHandle handle) throws BackendException, InterruptedException {
        DockerClient client = engine.client();
        try {
            return PosixProcess.of((script, timeout, args) -> ContainerExec.script(client, containerId(handle), script, timeout,
                    args), handle.pid(), handle.startTime(), SHORT);
        } catch (BackendException e) {
            if (e.getMessage().contains("no longer exists") || e.getMessage().contains("is not running")) {
                return new PosixProcess.Gone();
            }
            throw e;
        }
    }

    @Override
    public String family() {
        return ContainerBackend.FAMILY;
    }

    @Override
    public String identity() {
        return "container:" + engine.host();
    }

    /** Workloads are started through the {@link ContainerBackend} of their container. */
    @Override
    public WorkloadHandle startService(dev.ota.core.backend.WorkloadSpec spec) throws BackendException {
        throw new BackendException("internal: start `" + spec.task() + "` through its container backend");
    }

    @Override
    public int runAttached(dev.ota.core.backend.WorkloadSpec spec, java.util.function.Consumer<String> output)
            throws BackendException {
        throw new BackendException("internal: run `" + spec.task() + "` through its container backend");
    }

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return PosixProcess.alive(() -> state(handle));
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return PosixProcess.liveness(() -> state(handle), () -> OptionalInt.of(-1));
    }

    /** Stops the workload's process tree inside the container; the container keeps running. */
    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        boolean interrupted = Thread.interrupted(); // cleanup must run even on an interrupted thread
        try {
            long seconds = Math.max(1, grace.toSeconds());
            ScriptResult r = ContainerExec.script(engine.client(), containerId(handle), PosixScripts.STOP_TREE,
                    grace.plusSeconds(30), Long.toString(handle.pid()), Long.toString(handle.startTime()),
                    Long.toString(seconds));
            return r.stdout().contains("GONE");
        } catch (BackendException e) {
            if (e.getMessage().contains("no longer exists") || e.getMessage().contains("is not running")) {
                return true; // the container went away, and its processes with it
            }
            throw e;
        } catch (InterruptedException e) {
            interrupted = true;
            throw new BackendException("interrupted while stopping pid " + handle.pid() + " in container "
                    + containerId(handle));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        return handle.logFile() == null ? List.of() : LogTail.read(handle.logFile(), lines);
    }

    /** The running container's name for an id, if it still exists. */
    Optional<String> containerName(String id) {
        try {
            String name = engine.client().inspectContainerCmd(id).exec().getName();
            return Optional.ofNullable(name == null ? null : name.replaceFirst("^/", ""));
        } catch (BackendException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
