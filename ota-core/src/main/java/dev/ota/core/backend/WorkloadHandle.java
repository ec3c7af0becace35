package dev.ota.core.backend;

import java.nio.file.Path;

/**
 * A started workload, identified so that a later build can tell it is the same process: the pid
 * together with the process start time (pids are reused).
 *
 * @param startTime backend-specific start marker (native: {@code /proc/<pid>/stat} start ticks)
 */
public record WorkloadHandle(String backend, long pid, long startTime, Path logFile) {}
