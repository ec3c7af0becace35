package dev.ota.core.backend.posix;

import java.util.List;

/** What a command run on an exec-only plane printed, and how it ended. */
public record ScriptResult(int exitCode, String stdout, String stderr) {

    public List<String> lines() {
        return stdout.isEmpty() ? List.of() : List.of(stdout.split("\\R"));
    }

    /** stderr when it says something, else stdout: the text a failure message should quote. */
    public String message() {
        return stderr.isBlank() ? stdout.trim() : stderr.trim();
    }
}
