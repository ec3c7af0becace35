package dev.ota.core.state;

import dev.ota.core.backend.WorkloadSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fingerprint of what a service was started with; a stored fingerprint that differs from the
 * current one means the running service is stale and must be restarted.
 *
 * <p>SHA-256 (lower-case hex) over argv (in order), the working directory, the environment (sorted
 * by name) and the extra strings (sorted, e.g. listener declarations), each value length-prefixed
 * and tagged so that no two different inputs encode alike. The task name and the log file are not
 * part of it (they do not change what runs).
 */
public final class Fingerprints {

    private Fingerprints() {}

    public static String of(WorkloadSpec spec, Collection<String> extra) {
        return of(spec, extra, Set.of());
    }

    public static String of(WorkloadSpec spec, String... extra) {
        return of(spec, List.of(extra), Set.of());
    }

    /**
     * @param excludedEnv names of variables left out (volatile values that must not force a restart)
     */
    public static String of(WorkloadSpec spec, Collection<String> extra, Set<String> excludedEnv) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JRE", e);
        }
        field(sha, "v", "1");
        for (String arg : spec.argv()) {
            field(sha, "a", arg);
        }
        field(sha, "c", spec.cwd() == null ? "" : spec.cwd().toAbsolutePath().normalize().toString());
        for (Map.Entry<String, String> e : new TreeMap<>(spec.env()).entrySet()) {
            if (!excludedEnv.contains(e.getKey())) {
                field(sha, "k", e.getKey());
                field(sha, "e", e.getValue());
            }
        }
        List<String> sorted = new ArrayList<>(extra == null ? List.of() : extra);
        sorted.sort(null);
        for (String x : sorted) {
            field(sha, "x", x);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void field(MessageDigest sha, String tag, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        sha.update(tag.getBytes(StandardCharsets.US_ASCII));
        sha.update((bytes.length + ":").getBytes(StandardCharsets.US_ASCII));
        sha.update(bytes);
    }
}
