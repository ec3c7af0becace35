package dev.ota.core.backend;

/**
 * The backend unit a workload ran in, and what this run did to it (receipts and plans show it).
 *
 * @param unit {@code shared_backend:<name>}, {@code context:<name>} or {@code ephemeral:<task>}
 * @param lifecycle {@code persistent} or {@code ephemeral}
 * @param container the container's name
 * @param containerId the engine's id of the container, or null when unknown
 * @param image the effective image
 * @param reuse {@code created}, {@code reused} or {@code recreated}; null for ephemeral units
 * @param reason why it was reused or recreated ({@code shape matches}, {@code image changed} ...)
 */
public record BoundaryEvidence(
        String unit, String lifecycle, String container, String containerId, String image, String reuse, String reason) {}
