package dev.ota.core.workspace;

import dev.ota.core.policy.PolicyLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

/**
 * Everything on disk that {@link WorkspaceEngine#validate} reads, so that a caller can tell that a
 * workspace is unchanged without validating it again: the workspace file; each repo's directory
 * (existence and real path: repos must not share one) and contract file; and the org policy
 * candidates {@link PolicyLoader#locate} looks at: the file {@code OTA_POLICY} names, or else, per
 * contract directory, each {@code .ota/org-policy.yaml} from the contract's directory up to the
 * first that exists, plus the file {@code workspace.policy} names. The environment counts through
 * {@code OTA_POLICY} only. Keep this in step with what the loaders and validators read
 * (WorkspaceInputsTest checks the cases above).
 */
public final class WorkspaceInputs {

    private WorkspaceInputs() {}

    /** The paths whose {@link #state} decides the outcome, workspace file first, without repeats. */
    public static List<Path> of(Workspace workspace, Map<String, String> environment) {
        Set<Path> out = new LinkedHashSet<>();
        out.add(normalized(workspace.file()));
        String policy = environment.get(PolicyLoader.ENV_VAR);
        if (policy != null && !policy.isBlank()) {
            out.add(normalized(Path.of(policy)));
        } else if (workspace.policy() != null && workspace.policy().file() != null) {
            out.add(workspace.policy().file()); // governs the repos without a repo policy
        }
        for (WorkspaceRepo repo : workspace.repos()) {
            if (repo.dir() != null) {
                out.add(normalized(repo.dir()));
            }
            if (repo.contractFile() == null) {
                continue;
            }
            Path contract = normalized(repo.contractFile());
            out.add(contract);
            if (policy != null && !policy.isBlank()) {
                continue;
            }
            for (Path dir = contract.getParent(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(PolicyLoader.REPO_POLICY);
                out.add(candidate);
                if (Files.isRegularFile(candidate)) {
                    break;
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * One path's state as far as validation is concerned: {@code absent}; {@code dir <real path>};
     * for a file {@code file <size> <modification time in ns>}, or, when the file changed less than
     * {@link #RACY} before now, {@code content <size> <crc32>}: a second edit within the file
     * system's time resolution would not change the time, so a recent file is compared by content
     * (git's "racily clean" rule).
     */
    public static String state(Path path) {
        return state(path, false);
    }

    /** Whether {@code path} is still in {@code recorded} state ({@link #state}; content when that was recorded). */
    public static boolean unchanged(Path path, String recorded) {
        return recorded.equals(state(path, recorded.startsWith("content ")));
    }

    /** Files changed this recently are recorded by content. */
    static final Duration RACY = Duration.ofSeconds(3);

    private static String state(Path path, boolean content) {
        if (!path.toFile().exists()) {
            return "absent"; // java.io's check throws nothing; most policy candidates are absent
        }
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class);
            if (a.isDirectory()) {
                return "dir " + path.toRealPath();
            }
            if (!a.isRegularFile()) {
                return "other";
            }
            long mtime = a.lastModifiedTime().to(TimeUnit.NANOSECONDS);
            if (!content && Math.abs(System.currentTimeMillis() - a.lastModifiedTime().toMillis()) >= RACY.toMillis()) {
                return "file " + a.size() + " " + mtime;
            }
            byte[] bytes = Files.readAllBytes(path);
            CRC32 crc = new CRC32();
            crc.update(bytes);
            return "content " + bytes.length + " " + Long.toHexString(crc.getValue());
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException | SecurityException e) {
            return "unreadable " + e.getClass().getSimpleName();
        }
    }

    private static Path normalized(Path p) {
        return p.toAbsolutePath().normalize();
    }
}
