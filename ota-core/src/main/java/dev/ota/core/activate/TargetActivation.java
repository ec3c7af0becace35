package dev.ota.core.activate;

import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.probe.WaitOutcome;
import java.time.Duration;

/**
 * What activation did for one producer of one consumer target.
 *
 * @param status the evidence word: {@code started_started}, {@code reused_started},
 *     {@code started_running}, {@code reused_running}, {@code started_ready}, {@code reused_ready},
 *     {@code restarted_ready}, or {@code failed}
 * @param owned whether ota-maven owns the producer process (started it now or in an earlier build)
 * @param startedByThisRun whether this run started it (and must stop it on failure or interrupt)
 * @param found what was found before acting (e.g. {@code no record; port free},
 *     {@code listener held by a process ota did not start})
 * @param readiness the readiness wait, or null when none ran
 * @param repo the directory of the producer's contract, whose {@code .ota/state} records it (another
 *     repo of the workspace for a {@code service.repo} target)
 */
public record TargetActivation(
        String consumer,
        String target,
        String producer,
        String listener,
        String mode,
        String status,
        boolean owned,
        boolean startedByThisRun,
        String found,
        WorkloadHandle handle,
        WaitOutcome readiness,
        String url,
        Duration elapsed,
        java.nio.file.Path repo) {}
