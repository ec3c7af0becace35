package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import dev.ota.core.backend.BackendException;
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

    /** What a pid inside the container is now. */
    sealed interface State permits Running, Exited, Gone {}

    record Running(ProcStat stat) implements State {}

    record Exited(int code) implements State {}

    record Gone() implements State {}

    State state(WorkloadHandle handle) throws BackendException, InterruptedException {
        DockerClient client = engine.client();
        ContainerExec.Result r;
        try {
            r = ContainerExec.script(client, containerId(handle), InContainerScripts.STAT, SHORT, Long.toString(handle.pid()));
        } catch (BackendException e) {
            if (e.getMessage().contains("no longer exists") || e.getMessage().contains("is not running")) {
                return new Gone();
            }
            throw e;
        }
        String out = r.stdout().trim();
        if (out.startsWith("EXIT ")) {
            try {
                return new Exited(Integer.parseInt(out.substring(5).trim()));
            } catch (NumberFormatException e) {
                return new Exited(-1);
            }
        }
        ProcStat stat = out.isEmpty() || out.equals("GONE") ? null : ProcStat.parse(out);
        if (stat == null || stat.exited() || stat.startTime() != handle.startTime()) {
            return new Gone();
        }
        return new Running(stat);
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
        try {
            return state(handle) instanceof Running;
        } catch (BackendException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return () -> {
            try {
                State s = state(handle);
                if (s instanceof Running) {
                    return OptionalInt.empty();
                }
                return OptionalInt.of(s instanceof Exited e ? e.code() : -1);
            } catch (BackendException e) {
                return OptionalInt.of(-1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return OptionalInt.empty();
            }
        };
    }

    /** Stops the workload's process tree inside the container; the container keeps running. */
    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        boolean interrupted = Thread.interrupted(); // cleanup must run even on an interrupted thread
        try {
            long seconds = Math.max(1, grace.toSeconds());
            ContainerExec.Result r = ContainerExec.script(engine.client(), containerId(handle), InContainerScripts.STOP_TREE,
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
