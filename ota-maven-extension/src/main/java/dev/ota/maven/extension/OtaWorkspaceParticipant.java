package dev.ota.maven.extension;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.workspace.WorkspaceEngine;
import dev.ota.core.workspace.WorkspaceFinder;
import dev.ota.core.workspace.WorkspaceInputs;
import dev.ota.core.workspace.WorkspaceOutcome;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.maven.AbstractMavenLifecycleParticipant;
import org.apache.maven.MavenExecutionException;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.project.MavenProject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads {@code ota.workspace.yaml} once the reactor is known, validates it and every repo contract,
 * and gives each project its resolved targets as project properties
 * ({@code ota.target.<task>.<target>}, and {@code ota.target.<target>} when only one task of the
 * repo has that target) before any mojo runs, and writes {@code target/ota/workspace.json} at the
 * reactor root. The next build of an unchanged workspace reuses the result ({@link ResolutionCache};
 * {@code -Dota.workspace.cache=false} turns that off). At the end of the session it stops what
 * {@code ota:activate} started when the build failed before {@code ota:deactivate}.
 *
 * <p>Works registered in {@code .mvn/extensions.xml} (core extension) or as a build extension in a
 * pom; {@code -Dota.disable=true} turns it off; running it twice in a session changes nothing.
 *
 * <p>Registered as the Plexus component {@code ota-workspace} in {@code META-INF/plexus/components.xml},
 * not by a JSR-330 {@code @Named} index: the Sisu of some Maven 3.8 distributions cannot read Java 17
 * class files and would skip an indexed participant silently (see that file).
 */
public class OtaWorkspaceParticipant extends AbstractMavenLifecycleParticipant {

    static final String DISABLE = "ota.disable";
    static final String WORKSPACE = "ota.workspace";
    static final String CACHE = "ota.workspace.cache";
    private static final String DONE_KEY = "dev.ota.workspace.resolved";
    private static final String OUTPUTS_KEY = "dev.ota.workspace.outputs";

    private final Logger log = LoggerFactory.getLogger(OtaWorkspaceParticipant.class);

    /** {@link #codeIdentity()}, once computed; "" when there is none. */
    private volatile String codeIdentity;

    public OtaWorkspaceParticipant() {}

    /** For tests: resolve as if run from jars of that identity. */
    OtaWorkspaceParticipant(String codeIdentity) {
        this.codeIdentity = codeIdentity;
    }

    @Override
    public void afterSessionStart(MavenSession session) {
        if (!disabled(session)) {
            SessionEndCleanup.announce(session);
        }
    }

    @Override
    public void afterProjectsRead(MavenSession session) throws MavenExecutionException {
        if (disabled(session)) {
            log.debug("ota: workspace extension disabled (-D{}=true)", DISABLE);
            return;
        }
        SessionEndCleanup.announce(session);
        var data = session.getRepositorySession() == null ? null : session.getRepositorySession().getData();
        if (data != null && !data.set(DONE_KEY, null, Boolean.TRUE)) {
            return; // already resolved in this session (declared twice: core and build extension)
        }
        long begin = System.nanoTime();
        Optional<Path> file = workspaceFile(session);
        if (file.isEmpty()) {
            log.debug("ota: no ota.workspace.yaml above {}; nothing to resolve", reactorRoot(session));
            return;
        }
        Path root = reactorRoot(session);
        String display = display(root, file.get());
        Path out = root.resolve("target").resolve("ota");
        Map<String, String> environment = System.getenv();
        String code = cacheEnabled(session) ? codeIdentity() : null;
        ResolutionCache.Key key = code == null ? null : ResolutionCache.Key.of(code, file.get(), display, environment);
        ResolutionCache.Cached cached = key == null ? null : ResolutionCache.read(out, key).orElse(null);
        Resolution resolution;
        WorkspaceOutcome outcome = null;
        if (cached != null) {
            resolution = cached.resolution();
        } else {
            outcome = WorkspaceEngine.validate(file.get(), display, environment);
            if (!outcome.ok()) {
                outcome.warnings().forEach(d -> log.warn("{}", d.render()));
                StringBuilder message = new StringBuilder("INVALID " + display + ": " + outcome.errors().size() + " error(s)");
                for (Diagnostic d : outcome.errors()) {
                    message.append(System.lineSeparator()).append(d.render());
                }
                throw new MavenExecutionException(message.toString(), file.get().toFile());
            }
            resolution = Resolution.of(outcome);
        }
        long resolved = System.nanoTime();
        Map<String, List<String>> projectsByRepo = new LinkedHashMap<>();
        List<String> details = new ArrayList<>();
        int injected = 0;
        boolean debug = log.isDebugEnabled();
        Map<Path, Resolution.RepoTargets> repos = resolution.byDir();
        for (MavenProject project : session.getProjects()) {
            Optional<Resolution.RepoTargets> repo = Resolution.repoOf(repos, project.getBasedir().toPath());
            if (repo.isEmpty()) {
                continue;
            }
            projectsByRepo.computeIfAbsent(repo.get().name(), k -> new ArrayList<>()).add(project.getId());
            Map<String, String> set = inject(project, repo.get().properties(), session.getUserProperties());
            injected += set.size();
            if (debug && !set.isEmpty()) {
                details.add(project.getId() + ": " + join(set));
            }
        }
        long injectedAt = System.nanoTime();
        Outputs outputs;
        if (cached != null) {
            outputs = new Outputs(out, resolution, projectsByRepo, cached);
            outputs.reused(log);
        } else {
            outputs = new Outputs(out, resolution, projectsByRepo, key == null ? null
                    : ResolutionCache.entry(key, outcome.workspace(), environment, resolution,
                            ResolutionCache.projectsLine(projectsByRepo)));
            outputs.written(log);
        }
        if (data != null) {
            data.set(OUTPUTS_KEY, outputs);
        }
        long end = System.nanoTime();
        resolution.warnings().forEach(w -> log.warn("{}", w));
        log.info("ota: workspace {} ({} repos, {} cross-repo targets): {} target properties for {} project(s)",
                resolution.workspaceName(), resolution.repoCount(), resolution.crossRepoTargets(), injected,
                projectsByRepo.values().stream().mapToInt(List::size).sum());
        if (log.isDebugEnabled()) {
            details.forEach(line -> log.debug("ota: {}", line));
            log.debug("ota: workspace loaded and resolved in {} ms ({} {} ms, properties {} ms, workspace.json {} ms)",
                    (end - begin) / 1_000_000, cached != null ? "unchanged since the last build, checked in" : "validate",
                    (resolved - begin) / 1_000_000, (injectedAt - resolved) / 1_000_000, (end - injectedAt) / 1_000_000);
        }
    }

    @Override
    public void afterSessionEnd(MavenSession session) {
        if (disabled(session)) {
            return;
        }
        SessionEndCleanup.run(session, log);
        Object outputs = session.getRepositorySession() == null ? null : session.getRepositorySession().getData().get(OUTPUTS_KEY);
        if (outputs instanceof Outputs o && !cleanOnly(session.getGoals())) {
            o.restore(log); // `mvn clean verify` cleaned the reactor root after they were written
        }
    }

    /** Only phases of the clean lifecycle: the user wants `target/` gone, ours included. */
    static boolean cleanOnly(List<String> goals) {
        return !goals.isEmpty() && goals.stream().allMatch(g -> g.equals("clean") || g.equals("pre-clean")
                || g.equals("post-clean") || g.endsWith(":clean"));
    }

    /**
     * Sets a project's target properties; a value the user gave with -D is left alone (it wins
     * anyway). Returns what it set, in order.
     */
    static Map<String, String> inject(MavenProject project, Map<String, String> values, Properties userProperties) {
        Map<String, String> set = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (userProperties.containsKey(e.getKey())) {
                continue;
            }
            project.getProperties().setProperty(e.getKey(), e.getValue());
            set.put(e.getKey(), e.getValue());
        }
        return set;
    }

    /** Which ota-maven code would resolve: the cache is only valid for the same jars; null (no cache) outside jars. */
    String codeIdentity() {
        if (codeIdentity == null) {
            String extension = jarIdentity(OtaWorkspaceParticipant.class);
            String core = jarIdentity(WorkspaceInputs.class); // a small class: the jar is what counts
            codeIdentity = extension == null || core == null ? "" : extension + ";" + core;
        }
        return codeIdentity.isEmpty() ? null : codeIdentity;
    }

    private static String jarIdentity(Class<?> type) {
        try {
            Path jar = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!Files.isRegularFile(jar)) {
                return null;
            }
            return jar + "|" + Files.size(jar) + "|" + Files.getLastModifiedTime(jar).toMillis();
        } catch (Exception e) {
            return null;
        }
    }

    static boolean cacheEnabled(MavenSession session) {
        String value = property(session, CACHE);
        return value == null || !value.equalsIgnoreCase("false");
    }

    private static String join(Map<String, String> properties) {
        StringBuilder out = new StringBuilder();
        properties.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }

    private Optional<Path> workspaceFile(MavenSession session) throws MavenExecutionException {
        String explicit = property(session, WORKSPACE);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit);
            if (!p.isAbsolute()) {
                p = reactorRoot(session).resolve(p);
            }
            if (p.toFile().isDirectory()) {
                p = p.resolve("ota.workspace.yaml");
            }
            if (!p.toFile().isFile()) {
                throw new MavenExecutionException("-D" + WORKSPACE + "=" + explicit + " names no file; point it at an"
                        + " ota.workspace.yaml (or its directory), or leave it out to search upward from " + reactorRoot(session),
                        (File) null);
            }
            return Optional.of(p.toAbsolutePath().normalize());
        }
        return WorkspaceFinder.find(reactorRoot(session));
    }

    static Path reactorRoot(MavenSession session) {
        File dir = session.getRequest().getMultiModuleProjectDirectory();
        if (dir == null && session.getTopLevelProject() != null) {
            dir = session.getTopLevelProject().getBasedir();
        }
        return (dir == null ? new File(session.getRequest().getBaseDirectory()) : dir).toPath().toAbsolutePath().normalize();
    }

    private static String display(Path root, Path file) {
        return file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    }

    static boolean disabled(MavenSession session) {
        return Boolean.parseBoolean(property(session, DISABLE));
    }

    private static String property(MavenSession session, String name) {
        String value = session.getUserProperties().getProperty(name);
        return value != null ? value : session.getSystemProperties().getProperty(name);
    }
}
