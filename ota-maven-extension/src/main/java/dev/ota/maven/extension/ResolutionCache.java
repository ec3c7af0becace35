package dev.ota.maven.extension;

import dev.ota.core.policy.PolicyLoader;
import dev.ota.core.workspace.Workspace;
import dev.ota.core.workspace.WorkspaceInputs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The last {@link Resolution} of a valid workspace, kept in {@code target/ota/workspace-cache.txt}
 * at the reactor root, and used again while nothing it was computed from has changed: the same workspace file named the same way, the same
 * {@code OTA_POLICY}, the same ota-maven jars, and every file and directory
 * {@link WorkspaceInputs#of} lists still in the state {@link WorkspaceInputs#state} recorded (size and
 * modification time, or content for files changed just before). Checking that costs one file
 * system call or so per input; validating a 30-repo workspace in a fresh Maven JVM costs a few
 * hundred milliseconds (docs/performance.md). Only valid workspaces are kept, so a broken one is
 * reported by every build.
 *
 * <p>The format is lines of tab-separated fields (tab, newline and backslash escaped), read with
 * nothing but {@code String.split}: the point of the cache is to load as little as possible.
 */
final class ResolutionCache {

    static final String FILE_NAME = "workspace-cache.txt";
    private static final String HEADER = "ota-maven-extension workspace cache 1";

    private ResolutionCache() {}

    /** What the entry is valid for, besides the inputs' states. */
    record Key(String code, Path workspaceFile, String display, String policy) {

        static Key of(String code, Path workspaceFile, String display, Map<String, String> environment) {
            String policy = environment.get(PolicyLoader.ENV_VAR);
            return new Key(code, workspaceFile.toAbsolutePath().normalize(), display, policy == null ? "" : policy);
        }

        List<String> lines() {
            return List.of(line("code", code), line("workspace", workspaceFile.toString()), line("display", display),
                    line("policy", policy));
        }
    }

    /**
     * A valid entry: the resolution, and the entry's lines, the last of which records the projects
     * {@code workspace.json} was written for.
     */
    record Cached(Resolution resolution, List<String> lines) {

        String projectsLine() {
            return lines.get(lines.size() - 1);
        }

        /** The {@code workspace.json} template, unescaped only when needed. */
        String template() {
            for (String line : lines) {
                if (line.startsWith("json\t")) {
                    return unescape(line.substring(5));
                }
            }
            throw new IllegalStateException("no json line");
        }

        Cached withProjects(String projectsLine) {
            List<String> out = new ArrayList<>(lines);
            out.set(out.size() - 1, projectsLine);
            return new Cached(resolution, List.copyOf(out));
        }

        byte[] text() {
            return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    /**
     * The cached resolution when it is still valid for {@code key}; empty when there is none, it is
     * unreadable, or anything changed.
     */
    static Optional<Cached> read(Path dir, Key key) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dir.resolve(FILE_NAME), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty(); // the first build, or after a clean
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable: validate, and write it again
        }
        if (lines.size() < 5 || !lines.get(0).equals(HEADER) || !lines.subList(1, 5).equals(key.lines())) {
            return Optional.empty();
        }
        try {
            String name = null;
            int repoCount = 0;
            int crossRepoTargets = 0;
            List<Resolution.RepoTargets> repos = new ArrayList<>();
            List<String> warnings = new ArrayList<>();
            for (String line : lines.subList(5, lines.size())) {
                String[] f = line.split("\t", -1);
                switch (f[0]) {
                    case "input" -> {
                        if (!WorkspaceInputs.unchanged(Path.of(unescape(f[1])), unescape(f[2]))) {
                            return Optional.empty();
                        }
                    }
                    case "name" -> name = unescape(f[1]);
                    case "counts" -> {
                        repoCount = Integer.parseInt(f[1]);
                        crossRepoTargets = Integer.parseInt(f[2]);
                    }
                    case "repo" -> {
                        Map<String, String> properties = new LinkedHashMap<>();
                        for (int i = 3; i + 1 < f.length; i += 2) {
                            properties.put(unescape(f[i]), unescape(f[i + 1]));
                        }
                        repos.add(new Resolution.RepoTargets(unescape(f[1]), f[2].isEmpty() ? null : Path.of(unescape(f[2])),
                                properties));
                    }
                    case "warning" -> warnings.add(unescape(f[1]));
                    default -> {
                        // "json" (the template, unescaped when needed) and, last, "projects"
                    }
                }
            }
            if (name == null || !lines.get(lines.size() - 1).startsWith("projects") || !lines.get(lines.size() - 2).startsWith("json\t")) {
                return Optional.empty();
            }
            return Optional.of(new Cached(new Resolution(name, repoCount, crossRepoTargets, List.copyOf(repos),
                    List.copyOf(warnings), null), List.copyOf(lines)));
        } catch (RuntimeException corrupt) {
            return Optional.empty();
        }
    }

    /**
     * The entry for {@code resolution}, computed from {@code workspace} right after validating it,
     * for the projects {@code workspace.json} is written for.
     */
    static Cached entry(Key key, Workspace workspace, Map<String, String> environment, Resolution resolution,
            String projectsLine) {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        lines.addAll(key.lines());
        for (Path input : WorkspaceInputs.of(workspace, environment)) {
            lines.add(line("input", input.toString(), WorkspaceInputs.state(input)));
        }
        lines.add(line("name", resolution.workspaceName()));
        lines.add(line("counts", Integer.toString(resolution.repoCount()), Integer.toString(resolution.crossRepoTargets())));
        for (Resolution.RepoTargets r : resolution.repos()) {
            List<String> fields = new ArrayList<>(List.of("repo", r.name(), r.dir() == null ? "" : r.dir().toString()));
            r.properties().forEach((k, v) -> {
                fields.add(k);
                fields.add(v);
            });
            lines.add(line(fields.toArray(String[]::new)));
        }
        resolution.warnings().forEach(w -> lines.add(line("warning", w)));
        lines.add(line("json", resolution.jsonTemplate()));
        lines.add(projectsLine);
        return new Cached(resolution, List.copyOf(lines));
    }

    /** The line recording which projects {@code workspace.json} lists: the last line of the entry. */
    static String projectsLine(Map<String, List<String>> projectsByRepo) {
        List<String> fields = new ArrayList<>(List.of("projects"));
        projectsByRepo.forEach((repo, projects) -> {
            fields.add(repo);
            fields.add(String.join(" ", projects));
        });
        return line(fields.toArray(String[]::new));
    }

    private static String line(String... fields) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) {
                out.append('\t');
            }
            String f = fields[i];
            for (int j = 0; j < f.length(); j++) {
                char c = f.charAt(j);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    default -> out.append(c);
                }
            }
        }
        return out.toString();
    }

    private static String unescape(String f) {
        if (f.indexOf('\\') < 0) {
            return f;
        }
        StringBuilder out = new StringBuilder(f.length());
        for (int j = 0; j < f.length(); j++) {
            char c = f.charAt(j);
            if (c == '\\' && j + 1 < f.length()) {
                char n = f.charAt(++j);
                out.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
