package dev.ota.core.backend;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A workload to start: a service (detached, outlives the build) or a one-shot task (attached).
 *
 * @param task the contract task it runs
 * @param argv the command line; a {@code run:} body is {@code [sh, -c, <text>]}
 * @param cwd working directory (the contract's directory for native workloads)
 * @param env the complete environment the workload receives on top of the backend's base env
 * @param logFile where a service's stdout and stderr go
 */
public record WorkloadSpec(String task, List<String> argv, Path cwd, Map<String, String> env, Path logFile) {

    public WorkloadSpec {
        argv = List.copyOf(argv);
        env = Map.copyOf(env);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("workload " + task + " has an empty command line");
        }
    }
}
