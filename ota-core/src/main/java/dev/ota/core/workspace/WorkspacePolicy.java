package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Severity;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.yaml.Nodes;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * {@code workspace.policy} of an {@code ota.workspace.yaml}: the org policy that governs the
 * workspace's repos when neither {@code OTA_POLICY} nor a repo's own {@code .ota/org-policy.yaml}
 * applies (digest §D.1, step 3). A file path, relative to the workspace file's directory or
 * absolute; URLs are refused, as for {@code OTA_POLICY}.
 *
 * <p>The loader does not report a bad declaration: {@link #problem()} does, for the two callers
 * that need it, with the same diagnostic each time: the workspace validator, and the policy
 * discovery of a repo the workspace policy would govern (its plan fails rather than going ahead
 * without its org policy).
 *
 * @param declared the value as written; null when it is not a string
 * @param file the resolved policy file (absolute, normalized); null when the value is unusable
 * @param at where the value stands in the workspace file
 * @param shapeProblem why the value is unusable as written (no file system check), or null
 */
public record WorkspacePolicy(String declared, Path file, SourceLocation at, Diagnostic shapeProblem) {

    /** The discovery source label of a workspace policy. */
    public static final String SOURCE = "workspace policy";

    private static final String EXAMPLE = "e.g. `policy: policy/org-policy.yaml`";

    /**
     * Reads the value of {@code workspace.policy}.
     *
     * @param node the YAML value
     * @param at its location
     * @param dir the workspace file's directory
     * @param workspaceFile how diagnostics name the workspace file
     */
    static WorkspacePolicy of(Node node, SourceLocation at, Path dir, String workspaceFile) {
        if (Nodes.isNull(node)) { // `policy:` with nothing after it
            return new WorkspacePolicy(null, null, at, empty(at, workspaceFile));
        }
        if (!(node instanceof ScalarNode scalar) || Tag.BOOL.equals(scalar.getTag())) {
            return new WorkspacePolicy(null, null, at, error("OTA_TYPE", at, "`workspace.policy` must be the path of the org"
                    + " policy file, but the value is " + Nodes.describe(node) + ".", "write the path relative to the"
                    + " directory of " + workspaceFile + " (" + EXAMPLE + "), or remove `workspace.policy`."));
        }
        String value = scalar.getValue();
        if (value.isBlank()) {
            return new WorkspacePolicy(value, null, at, empty(at, workspaceFile));
        }
        String lower = value.trim().toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            return new WorkspacePolicy(value, null, at, error("OTA_WORKSPACE_POLICY_URL", at,
                    "`workspace.policy` names the URL `" + value
                            + "`; ota-maven reads org policy only from files, as it does for OTA_POLICY.",
                    "download the policy pack and set `workspace.policy` to its path, relative to the directory of "
                            + workspaceFile + " (" + EXAMPLE + ")."));
        }
        Path file;
        try {
            file = dir.resolve(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            return new WorkspacePolicy(value, null, at, error("OTA_WORKSPACE_PATH", at, "`" + value
                    + "` is not a usable path for the org policy file: " + e.getReason() + ".",
                    "write the org policy file's path relative to the directory of " + workspaceFile + " ("
                            + EXAMPLE + ")."));
        }
        return new WorkspacePolicy(value, file, at, null);
    }

    /**
     * Why the declared policy cannot govern: {@link #shapeProblem}, else a file that does not exist
     * or is not a regular file. Empty when {@link #file} can be read as the org policy.
     */
    public Optional<Diagnostic> problem() {
        if (shapeProblem != null) {
            return Optional.of(shapeProblem);
        }
        if (Files.isRegularFile(file)) {
            return Optional.empty();
        }
        boolean directory = Files.isDirectory(file);
        String relativeTo = Path.of(declared).isAbsolute() ? ""
                : "; paths are relative to the directory of " + at.file();
        String message = "the org policy file `" + declared + "` (resolved to " + file + ") "
                + (directory ? "is a directory, not a file" : "does not exist") + relativeTo + ".";
        String fix = (directory ? "point `workspace.policy` at the policy file itself"
                : "create the policy file there, correct `workspace.policy`")
                + ", or remove `workspace.policy` to leave the repos without a workspace policy.";
        return Optional.of(error("OTA_WORKSPACE_POLICY_MISSING", at, message, fix));
    }

    private static Diagnostic empty(SourceLocation at, String workspaceFile) {
        return error("OTA_EMPTY", at, "`workspace.policy` is empty.", "give the org policy file's path relative to the"
                + " directory of " + workspaceFile + " (" + EXAMPLE + "), or remove `workspace.policy`.");
    }

    private static Diagnostic error(String code, SourceLocation at, String message, String fix) {
        return new Diagnostic(Severity.ERROR, code, at, message, fix);
    }
}
