package dev.ota.core.state;

import dev.ota.core.backend.WorkloadHandle;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * The durable record of a service ota-maven started, written to {@code .ota/state/services/}
 * <em>before</em> the process starts (pid 0 until it is known), so a crashed build leaves a trace
 * a later build can adopt or clean.
 *
 * @param identity the producer identity the lock is taken on ({@code <project>/<task>})
 * @param pid the workload's pid (native: also its process group and session id); 0 before the start
 * @param startTime the backend's start marker of that pid (native: {@code /proc/<pid>/stat} field 22)
 * @param fingerprint hash of what was started (command, cwd, env, listeners); a change means restart
 * @param owner the build that started it (Maven session id or similar)
 */
public record ServiceRecord(
        String task,
        String identity,
        String backend,
        long pid,
        long startTime,
        String fingerprint,
        String owner,
        Instant startedAt,
        String logFile,
        List<String> urls) {

    public ServiceRecord {
        urls = urls == null ? List.of() : List.copyOf(urls);
    }

    /** The record written before the start: no process yet. */
    public static ServiceRecord starting(
            String task, String identity, String backend, String fingerprint, String owner, Path logFile) {
        return new ServiceRecord(task, identity, backend, 0, 0, fingerprint, owner, Instant.now(),
                logFile == null ? null : logFile.toString(), List.of());
    }

    /** Whether the process is known (the record was updated after the start). */
    public boolean started() {
        return pid > 0;
    }

    /** The handle a backend understands, to check liveness of or stop the recorded process. */
    public WorkloadHandle handle() {
        return new WorkloadHandle(backend, pid, startTime, logFile == null ? null : Path.of(logFile));
    }

    /** This record updated after the start with the process the backend reports. */
    public ServiceRecord withProcess(WorkloadHandle handle) {
        return new ServiceRecord(task, identity, handle.backend(), handle.pid(), handle.startTime(), fingerprint, owner,
                startedAt, handle.logFile() == null ? logFile : handle.logFile().toString(), urls);
    }

    public ServiceRecord withUrls(List<String> newUrls) {
        return new ServiceRecord(task, identity, backend, pid, startTime, fingerprint, owner, startedAt, logFile, newUrls);
    }
}
