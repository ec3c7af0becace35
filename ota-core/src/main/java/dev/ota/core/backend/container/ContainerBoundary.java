package dev.ota.core.backend.container;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One persistent container ota-maven owns: a shared container backend, or a persistent container
 * context without a binding. Its name is deterministic (repo ownership id + unit), its
 * {@link #shapeFingerprint()} decides between reuse and recreation.
 *
 * @param unit {@code shared_backend:<name>} or {@code context:<name>}
 * @param repoDir the repo directory, bind-mounted at {@link #WORKDIR}
 * @param publications fixed or {@code auto} host publications of the unit's listeners
 * @param memoryBytes memory limit, or 0 for none
 */
public record ContainerBoundary(
        String unit, String name, String ownershipId, String image, Path repoDir, List<Publication> publications,
        long memoryBytes) {

    /** Where the repo is mounted inside every ota container. */
    public static final String WORKDIR = "/workspace";

    public static final String LABEL_MANAGED = "dev.ota.managed";
    public static final String LABEL_REPO = "dev.ota.repo";
    public static final String LABEL_LIFECYCLE = "dev.ota.lifecycle";
    public static final String LABEL_FAMILY = "dev.ota.persistent.family";
    public static final String LABEL_SHAPE = "dev.ota.persistent.shape";
    public static final String LABEL_OWNER_PID = "dev.ota.owner_pid";

    /**
     * A host publication of a container port.
     *
     * @param hostPort the fixed host port, or 0 when the engine assigns one ({@code auto})
     */
    public record Publication(String listener, int containerPort, String hostAddress, int hostPort) {
        String key() {
            return containerPort + "/tcp->" + hostAddress + ":" + (hostPort == 0 ? "auto" : hostPort);
        }
    }

    public ContainerBoundary {
        publications = List.copyOf(publications);
    }

    /** {@code ota-} + 16 hex digits of the repo's ownership id and the unit. */
    public static String nameFor(String ownershipId, String unit) {
        return "ota-" + sha256(ownershipId + "|" + unit).substring(0, 16);
    }

    /** Hash of everything that needs a new container when it changes. */
    public String shapeFingerprint() {
        List<String> parts = new ArrayList<>();
        parts.add("ota-maven/container@1");
        parts.add("image=" + image);
        parts.add("mount=" + repoDir.toAbsolutePath().normalize() + ":" + WORKDIR);
        parts.add("memory=" + memoryBytes);
        publications.stream().map(Publication::key).sorted().forEach(k -> parts.add("publish=" + k));
        return sha256(String.join("\n", parts)).substring(0, 32);
    }

    /** The labels of the container: managed, repo token, lifecycle, family and shape. */
    public Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_MANAGED, "true");
        labels.put(LABEL_REPO, ownershipId);
        labels.put(LABEL_LIFECYCLE, "persistent");
        labels.put(LABEL_FAMILY, unit);
        labels.put(LABEL_SHAPE, shapeFingerprint());
        return labels;
    }

    /** The path of {@code hostPath} inside the container, or null when it lies outside the repo. */
    public String containerPath(Path hostPath) {
        return containerPath(repoDir, hostPath);
    }

    static String containerPath(Path repoDir, Path hostPath) {
        Path root = repoDir.toAbsolutePath().normalize();
        Path p = hostPath.toAbsolutePath().normalize();
        if (!p.startsWith(root)) {
            return null;
        }
        Path rel = root.relativize(p);
        return rel.toString().isEmpty() ? WORKDIR : WORKDIR + "/" + rel.toString().replace('\\', '/');
    }

    /**
     * The env a workload gets inside a container whose {@link #WORKDIR} mounts {@code repoDir}:
     * {@code OTA_WORKSPACE} names the mount, not the host path.
     */
    static Map<String, String> containerEnv(Path repoDir, Map<String, String> env) {
        String workspace = env.get("OTA_WORKSPACE");
        if (workspace == null) {
            return env;
        }
        String inside = containerPath(repoDir, Path.of(workspace));
        Map<String, String> out = new LinkedHashMap<>(env);
        out.put("OTA_WORKSPACE", inside == null ? WORKDIR : inside);
        return out;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }
}
