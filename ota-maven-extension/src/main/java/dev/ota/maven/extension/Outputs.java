package dev.ota.maven.extension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What the extension writes into {@code target/ota} at the reactor root: {@code workspace.json}
 * and the cache entry. Written before any mojo runs when they changed, and again at the end of the
 * session when a {@code clean} in the build removed them.
 */
final class Outputs {

    private final Path dir;
    private final Resolution resolution;
    private final Map<String, List<String>> projectsByRepo;
    private ResolutionCache.Cached cache; // null: nothing to cache

    /**
     * @param cache the entry to keep (just computed, or the one the resolution came from), or null
     */
    Outputs(Path dir, Resolution resolution, Map<String, List<String>> projectsByRepo, ResolutionCache.Cached cache) {
        this.dir = dir;
        this.resolution = resolution;
        this.projectsByRepo = projectsByRepo;
        this.cache = cache;
    }

    Path json() {
        return dir.resolve("workspace.json");
    }

    /** After validating: both files. */
    void written(Logger log) {
        try {
            write(json(), render());
            if (cache != null) {
                write(dir.resolve(ResolutionCache.FILE_NAME), cache.text());
            }
        } catch (IOException e) {
            log.warn("ota: could not write {}: {}", dir, e.getMessage());
        }
    }

    /**
     * After a cache hit: nothing, unless this reactor's projects differ from those
     * {@code workspace.json} lists, or the file is gone.
     */
    void reused(Logger log) {
        String projects = ResolutionCache.projectsLine(projectsByRepo);
        if (projects.equals(cache.projectsLine()) && json().toFile().isFile()) {
            return;
        }
        cache = cache.withProjects(projects);
        written(log);
    }

    /** At the end of the session: what a {@code clean} removed. */
    void restore(Logger log) {
        try {
            if (!json().toFile().isFile()) {
                write(json(), render());
            }
            if (cache != null && !dir.resolve(ResolutionCache.FILE_NAME).toFile().isFile()) {
                write(dir.resolve(ResolutionCache.FILE_NAME), cache.text());
            }
        } catch (IOException e) {
            log.warn("ota: could not write {}: {}", dir, e.getMessage());
        }
    }

    private byte[] render() {
        String template = resolution.jsonTemplate() != null ? resolution.jsonTemplate() : cache.template();
        return (resolution.json(template, projectsByRepo) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Replaces {@code target} atomically (temp file + move), creating its directory. No fsync: both
     * files are derived and written again by the next build.
     */
    static void write(Path target, byte[] bytes) throws IOException {
        Path parent = target.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = parent.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
        try {
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
