package dev.ota.core.workspace;

import java.nio.file.Path;

/**
 * A producer in another repo that a run must make available before the consumer runs: a planned,
 * non-manual {@code service.repo} target. The planner keeps these out of
 * {@code Plan.activationSteps()} (which only name tasks of the consumer's own contract); the run
 * path starts them through their own repo's contract.
 *
 * @param consumer the consumer task (in the planned contract)
 * @param target the consumer's target name
 * @param repo the producer's workspace repo
 * @param repoDirectory the producer repo's directory
 * @param contract the producer repo's contract file
 * @param producer the producer task in that contract
 * @param listener the producer listener the target points at
 * @param mode the activation mode ({@code ensure_running}, {@code ensure_ready}, …)
 * @param url the producer's fixed {@code project.host} URL, as the consumer receives it
 */
public record RepoActivation(
        String consumer, String target, String repo, Path repoDirectory, Path contract, String producer, String listener,
        String mode, String url) {}
