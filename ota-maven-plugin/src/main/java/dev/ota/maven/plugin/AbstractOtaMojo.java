package dev.ota.maven.plugin;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.workspace.WorkspaceContext;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Parameters and plumbing every ota goal shares. Goals stay thin: build a {@link PlanRequest},
 * call {@code ota-core}, log, and translate the outcome into Maven's success or failure.
 */
public abstract class AbstractOtaMojo extends AbstractMojo {

    /**
     * The contract file. Relative values resolve against the project base directory (the current
     * directory when no {@code pom.xml} is used). Default: {@code ota.yaml} in the project base
     * directory.
     */
    @Parameter(property = OtaProperties.FILE)
    protected File contractFile;

    /**
     * The task to narrow to. {@code ota:plan} then lists the activation steps a run of that task
     * would take and fails when one of its targets cannot resolve.
     */
    @Parameter(property = OtaProperties.TASK)
    protected String task;

    /**
     * Task input values from the POM. A property {@code ota.input.<name>} (e.g.
     * {@code -Dota.input.base_url=http://127.0.0.1:9999}) sets input {@code <name>} and wins over
     * this map.
     */
    @Parameter
    protected Map<String, String> inputs;

    /** Skips the goal (logged at INFO). */
    /**
     * The workspace file whose repos {@code service.repo} targets name. Default: the nearest
     * {@code ota.workspace.yaml} in the contract's directory or above.
     */
    @Parameter(property = OtaProperties.WORKSPACE)
    protected File workspaceFile;

    @Parameter(property = OtaProperties.SKIP, defaultValue = "false")
    protected boolean skip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    protected MavenProject project;

    /** The goal name for log lines ({@code validate}, {@code plan}). */
    protected abstract String goalName();

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Skipping ota:" + goalName() + " (" + OtaProperties.SKIP + "=true)");
            return;
        }
        run(ContractLocation.resolve(contractFile, basedir()));
    }

    /** Does the goal's work on the resolved contract. */
    protected abstract void run(ContractLocation contract) throws MojoExecutionException, MojoFailureException;

    /** The project base directory; the directory Maven was started in when there is no project. */
    protected Path basedir() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath();
        }
        if (session != null && session.getRequest() != null && session.getRequest().getBaseDirectory() != null) {
            return Path.of(session.getRequest().getBaseDirectory());
        }
        return Path.of("").toAbsolutePath();
    }

    /** True when a {@code pom.xml} backs the current project, false for Maven's stand-in project. */
    protected boolean isRealProject() {
        return project != null && project.getFile() != null && project.getFile().isFile();
    }

    /** Task input values: {@code <inputs>}, then system properties, then user properties. */
    protected Map<String, String> collectInputs() {
        if (session == null) {
            return InputCollector.collect(inputs, null, null);
        }
        return InputCollector.collect(inputs, session.getSystemProperties(), session.getUserProperties());
    }

    protected PlanRequest planRequest(ContractLocation contract) {
        String requested = task == null || task.isBlank() ? null : task.trim();
        PlanRequest request = new PlanRequest(contract.file(), contract.displayName(), requested, collectInputs(), System.getenv());
        return request.withWorkspace(workspace(contract));
    }

    /** The workspace of the contract's repo (explicit or found upward), or null; its own problems are logged. */
    protected WorkspaceContext workspace(ContractLocation contract) {
        Diagnostics diags = new Diagnostics();
        Path explicit = workspaceFile == null ? null : workspaceFile.toPath().toAbsolutePath();
        WorkspaceContext found = WorkspaceContext.discover(contract.file().toAbsolutePath(), explicit, diags).orElse(null);
        for (Diagnostic d : diags.sorted()) {
            if (d.isError()) {
                getLog().error(d.render());
            } else {
                getLog().warn(d.render());
            }
        }
        if (found != null) {
            getLog().debug("ota: workspace " + found.workspace().file());
        }
        return found;
    }

    /** Logs each diagnostic at WARN or ERROR, in the order given (file order from the core). */
    protected void logDiagnostics(List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            if (d.isError()) {
                getLog().error(d.render());
            } else {
                getLog().warn(d.render());
            }
        }
    }

    /** Wraps an unexpected failure inside the engine so the user sees a message, not a stack trace. */
    protected MojoExecutionException engineFailure(String what, ContractLocation contract, RuntimeException e) {
        String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
        return new MojoExecutionException(
                "ota-core failed while " + what + " " + contract.displayName() + ": " + detail
                        + System.lineSeparator() + "This is an ota-maven bug; re-run with -e for the stack trace and report it.",
                e);
    }

    /** {@code ${project.build.directory}}, or null outside a project. */
    protected Path buildDirectory() {
        if (project == null || project.getBuild() == null || project.getBuild().getDirectory() == null) {
            return null;
        }
        return Path.of(project.getBuild().getDirectory());
    }

    /** Where plans, receipts and {@code targets.properties} go for this contract. */
    protected Path otaDirectory(ContractLocation contract) {
        return PlanFileLocator.otaDirectory(contract.file(), basedir(), isRealProject(), buildDirectory());
    }

    static String plural(int count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }
}
