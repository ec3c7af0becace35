package dev.ota.core.diagnostics;

import java.util.Objects;

/**
 * Where something stands in a YAML file: the file as the user named it, 1-based line and column,
 * and the dotted YAML path ({@code tasks.sandbox.targets.api.service.listener}).
 */
public record SourceLocation(String file, int line, int column, String path) {

    public SourceLocation {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(path, "path");
    }

    /** A location for a whole file (missing, unreadable, empty). */
    public static SourceLocation ofFile(String file) {
        return new SourceLocation(file, 0, 0, "");
    }

    /** Same place, another path (used for synthetic children of a node that is absent). */
    public SourceLocation withPath(String newPath) {
        return new SourceLocation(file, line, column, newPath);
    }

    /** Path of a child key below this location. */
    public String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
