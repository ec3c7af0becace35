package dev.ota.maven.plugin;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which contract file a goal works on, how messages name it, and whether the user asked for it
 * explicitly.
 *
 * @param file absolute, normalized path of the contract
 * @param displayName the path relative to the base directory when the file lies below it (so
 *     diagnostics read {@code ota.yaml:12:7}), otherwise the absolute path
 * @param explicit true when {@code ota.file} (or {@code <contractFile>}) was given
 */
public record ContractLocation(Path file, String displayName, boolean explicit) {

    /**
     * @param configured the {@code ota.file} parameter, or null for the default
     * @param basedir the project base directory (the current directory outside a project)
     */
    public static ContractLocation resolve(File configured, Path basedir) {
        Path base = basedir.toAbsolutePath().normalize();
        boolean explicit = configured != null && !configured.getPath().isBlank();
        Path file = explicit ? configured.toPath() : Path.of(OtaProperties.DEFAULT_CONTRACT_NAME);
        if (!file.isAbsolute()) {
            file = base.resolve(file);
        }
        file = file.toAbsolutePath().normalize();
        return new ContractLocation(file, displayName(file, base), explicit);
    }

    static String displayName(Path file, Path base) {
        if (file.startsWith(base) && !file.equals(base)) {
            return base.relativize(file).toString().replace(File.separatorChar, '/');
        }
        return file.toString();
    }

    public boolean exists() {
        return Files.isRegularFile(file);
    }

    /** The directory holding the contract. */
    public Path directory() {
        Path parent = file.getParent();
        return parent == null ? file : parent;
    }
}
