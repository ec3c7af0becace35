package dev.ota.core.workspace;

import dev.ota.core.diagnostics.SourceLocation;

/**
 * How one {@code service.repo} target of a repo contract resolves in the workspace (digest §E.3).
 * {@code effectiveUrl} is null when it does not; then {@code error} says why and {@code fix} what
 * would make it resolve.
 *
 * @param consumerRepo the repo whose contract declares the target; null when the contract lies in
 *     no repo of the workspace
 * @param consumerContract how diagnostics name the consumer's contract
 * @param listener the producer listener (explicit or sole), or null when it is not determined
 * @param addressView the declared view, or null when omitted (the default, {@code topology})
 * @param activationMode the effective activation mode ({@code manual} when not declared)
 * @param effectiveUrl the producer's fixed {@code project.host} URL
 * @param location where the target's {@code service} stands in the consumer's contract
 */
public record CrossRepoResolution(
        String consumerRepo,
        String consumerContract,
        String consumerTask,
        String target,
        String producerRepo,
        String producerTask,
        String listener,
        String addressView,
        String activationMode,
        String effectiveUrl,
        String error,
        String fix,
        SourceLocation location) {

    public boolean resolved() {
        return effectiveUrl != null;
    }
}
