package dev.ota.core.yaml;

/** Hard limits that keep hostile or accidental input from exhausting the build JVM. */
public final class YamlLimits {
    /** Largest contract or policy file read, in bytes. Real contracts are a few kilobytes. */
    public static final int MAX_FILE_BYTES = 4 * 1024 * 1024;
    /** Aliases allowed per document; stops "billion laughs" alias bombs. */
    public static final int MAX_ALIASES = 100;
    /** Deepest nesting of collections. */
    public static final int MAX_NESTING_DEPTH = 64;

    private YamlLimits() {}
}
