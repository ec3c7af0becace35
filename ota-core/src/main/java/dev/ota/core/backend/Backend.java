package dev.ota.core.backend;

import dev.ota.core.probe.Liveness;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.Probes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where workloads run: the native host, a container, a remote host. The activation engine and
 * the task runner only talk to this interface.
 */
public interface Backend {

    /** {@code native}, {@code container} or {@code remote}. */
    String family();

    /** A stable, human-readable identity of this backend unit (for receipts). */
    String identity();

    /**
     * Makes the backend unit itself ready before workloads are checked or started (a container:
     * created, reused or recreated). Native backends have nothing to prepare.
     */
    default void prepare() throws BackendException, InterruptedException {}

    /** Starts a service detached so it outlives the build; output goes to {@code spec.logFile()}. */
    WorkloadHandle startService(WorkloadSpec spec) throws BackendException;

    /**
     * Runs a one-shot workload attached, streaming each output line to {@code output}, and returns
     * its exit code. Interrupting the calling thread stops the workload's whole process tree (and
     * rethrows {@link InterruptedException}); so does the JVM shutting down while it runs.
     */
    int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException;

    /** Whether the workload is still the process that was started (pid and start time match). */
    boolean isAlive(WorkloadHandle handle);

    /** A liveness view for readiness waits. */
    Liveness liveness(WorkloadHandle handle);

    /**
     * Stops the workload and its whole process tree: SIGTERM, then SIGKILL after {@code grace}.
     * Returns true when it is gone.
     */
    boolean stop(WorkloadHandle handle, Duration grace) throws BackendException;

    /** The last lines of the workload's log, for failure messages. */
    List<String> logTail(WorkloadHandle handle, int lines);

    /**
     * The host a probe dials to reach a listener bound at {@code bindAddress} in this backend, on
     * the plane where {@link #probe} runs: a wildcard bind is reached through loopback.
     */
    default String probeHost(String bindAddress) {
        if (bindAddress == null) {
            return "127.0.0.1";
        }
        String a = bindAddress.trim();
        return switch (a) {
            case "", "0.0.0.0", "::", "[::]", "::0", "[::0]", "*" -> "127.0.0.1";
            default -> a;
        };
    }

    /**
     * A probe of an endpoint on this backend's own plane (the build's JVM for native workloads,
     * inside the container for container workloads).
     */
    default Probe probe(ProbeSpec spec) {
        return Probes.of(spec);
    }

    /**
     * Why the backend itself can no longer be reached (a remote connection that dropped), so a
     * failed wait is reported as that rather than as the workload exiting; null while it is fine.
     */
    default String unreachable() {
        return null;
    }

    /**
     * Runs scripts on this backend's own plane (requirement checks and approved installs of
     * run-path fulfillment), after {@link #prepare()}.
     */
    default dev.ota.core.backend.posix.ScriptRunner planeRunner() throws BackendException, InterruptedException {
        throw new BackendException("the " + family() + " backend " + identity() + " cannot run requirement checks");
    }

    /** What this run found and did to the backend unit itself (a container: created, reused...). */
    default Optional<BoundaryEvidence> boundary() {
        return Optional.empty();
    }
}
