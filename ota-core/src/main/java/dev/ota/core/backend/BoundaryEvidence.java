package dev.ota.core.backend;

/**
 * The backend unit a workload ran in, and what this run did to it (receipts and plans show it).
 *
 * @param unit {@code shared_backend:<name>} or {@code context:<name>} (ephemeral contexts too)
 * @param lifecycle {@code persistent} or {@code ephemeral}
 * @param container the container's name
 * @param containerId the engine's id of the container, or null when unknown
 * @param image the effective image
 * @param reuse {@code created}, {@code reused} or {@code recreated}; null for ephemeral units
 * @param reason why it was reused or recreated ({@code shape matches}, {@code shape changed} ...)
 * @param published container port → the {@code host:port} the engine published it on (read back,
 *     so {@code auto} publications show their real port)
 * @param provider remote transport ({@code ssh}, {@code tsh}, {@code kubectl}, {@code daytona}); remote units only
 * @param target the remote target as declared; remote units only
 * @param cwd the declared {@code remote.cwd}; remote units only
 */
public record BoundaryEvidence(
        String unit, String lifecycle, String container, String containerId, String image, String reuse, String reason,
        java.util.Map<String, String> published, String provider, String target, String cwd) {

    public BoundaryEvidence {
        published = published == null ? java.util.Map.of() : java.util.Map.copyOf(new java.util.TreeMap<>(published));
    }

    /** A container unit. */
    public BoundaryEvidence(String unit, String lifecycle, String container, String containerId, String image, String reuse,
            String reason, java.util.Map<String, String> published) {
        this(unit, lifecycle, container, containerId, image, reuse, reason, published, null, null, null);
    }
}
