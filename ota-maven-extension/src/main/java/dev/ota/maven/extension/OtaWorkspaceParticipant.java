package dev.ota.maven.extension;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import dev.ota.core.workspace.WorkspaceFinder;
import dev.ota.core.workspace.WorkspaceJson;
import dev.ota.core.workspace.WorkspaceOutcome;
import dev.ota.core.workspace.WorkspaceEngine;
import java.io.File;
import java.io.IOException;
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
 * repo has that target) before any mojo runs. At the end of the session it stops what
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
    static final String TARGET_PREFIX = "ota.target.";
    private static final String DONE_KEY = "dev.ota.workspace.resolved";

    private final Logger log = LoggerFactory.getLogger(OtaWorkspaceParticipant.class);

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
        WorkspaceOutcome outcome = WorkspaceEngine.validate(file.get(), display, System.getenv());
        long validated = System.nanoTime();
        for (Diagnostic d : outcome.warnings()) {
            log.warn("{}", d.render());
        }
        if (!outcome.ok()) {
            StringBuilder message = new StringBuilder("INVALID " + display + ": " + outcome.errors().size() + " error(s)");
            for (Diagnostic d : outcome.errors()) {
                message.append(System.lineSeparator()).append(d.render());
            }
            throw new MavenExecutionException(message.toString(), file.get().toFile());
        }
        Map<String, List<String>> projectsByRepo = new LinkedHashMap<>();
        int injected = 0;
        for (MavenProject project : session.getProjects()) {
            Optional<WorkspaceOutcome.RepoOutcome> repo = repoOf(outcome, project.getBasedir().toPath());
            if (repo.isEmpty()) {
                continue;
            }
            projectsByRepo.computeIfAbsent(repo.get().repo().name(), k -> new ArrayList<>()).add(project.getId());
            if (repo.get().plan() != null) {
                Map<String, String> set = inject(project, repo.get().plan(), session.getUserProperties());
                injected += set.size();
                if (log.isDebugEnabled() && !set.isEmpty()) {
                    log.debug("ota: {}: {}", project.getId(), join(set));
                }
            }
        }
        long injectedAt = System.nanoTime();
        Path json = root.resolve("target").resolve("ota").resolve("workspace.json");
        try {
            WorkspaceJson.write(outcome, projectsByRepo, json);
        } catch (IOException e) {
            log.warn("ota: could not write {}: {}", json, e.getMessage());
        }
        long end = System.nanoTime();
        long ms = (end - begin) / 1_000_000;
        log.info("ota: workspace {} ({} repos, {} cross-repo targets): {} target properties for {} project(s)",
                outcome.workspace().name(), outcome.repos().size(), outcome.crossRepoTargets().size(), injected,
                projectsByRepo.values().stream().mapToInt(List::size).sum());
        log.debug("ota: workspace loaded and resolved in {} ms (validate {} ms, properties {} ms, workspace.json {} ms)", ms,
                (validated - begin) / 1_000_000, (injectedAt - validated) / 1_000_000, (end - injectedAt) / 1_000_000);
    }

    @Override
    public void afterSessionEnd(MavenSession session) {
        if (!disabled(session)) {
            SessionEndCleanup.run(session, log);
        }
    }

    /**
     * Sets the project's resolved targets; a value the user gave with -D is left alone (it wins
     * anyway). Returns what it set, in order: per task, then the unambiguous short names.
     */
    static Map<String, String> inject(MavenProject project, Plan plan, Properties userProperties) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, Integer> tasksPerTarget = new LinkedHashMap<>();
        Map<String, String> byTarget = new LinkedHashMap<>();
        for (Plan.TaskPlan task : plan.tasks().values()) {
            for (Plan.TargetResolution r : task.targetResolutions()) {
                if (r.effectiveUrl() == null) {
                    continue;
                }
                values.put(TARGET_PREFIX + task.name() + "." + r.target(), r.effectiveUrl());
                tasksPerTarget.merge(r.target(), 1, Integer::sum);
                byTarget.put(r.target(), r.effectiveUrl());
            }
        }
        tasksPerTarget.forEach((target, count) -> {
            if (count == 1) {
                values.put(TARGET_PREFIX + target, byTarget.get(target));
            }
        });
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

    private static String join(Map<String, String> properties) {
        StringBuilder out = new StringBuilder();
        properties.forEach((k, v) -> out.append(out.length() == 0 ? "" : ", ").append(k).append('=').append(v));
        return out.toString();
    }

    private static Optional<WorkspaceOutcome.RepoOutcome> repoOf(WorkspaceOutcome outcome, Path basedir) {
        Path dir = basedir.toAbsolutePath().normalize();
        WorkspaceOutcome.RepoOutcome best = null;
        for (WorkspaceOutcome.RepoOutcome r : outcome.repos()) {
            Path repoDir = r.repo().dir().toAbsolutePath().normalize();
            if (dir.startsWith(repoDir) && (best == null || repoDir.getNameCount() > best.repo().dir().getNameCount())) {
                best = r;
            }
        }
        return Optional.ofNullable(best);
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
