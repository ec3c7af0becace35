package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.engine.ValidationOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a whole workspace: the workspace file, then every repo contract in dependency order
 * (each with its own org policy, its diagnostics naming its own file), then every cross-repo
 * target. Pure: reads files, writes nothing, starts nothing.
 */
public final class WorkspaceEngine {

    private WorkspaceEngine() {}

    /**
     * @param file the {@code ota.workspace.yaml}
     * @param displayName how messages name it; repo contracts are named relative to it
     * @param environment the process environment (for {@code OTA_POLICY})
     */
    public static WorkspaceOutcome validate(Path file, String displayName, Map<String, String> environment) {
        Diagnostics diags = new Diagnostics();
        Optional<WorkspaceContext> loaded = WorkspaceContext.load(file, displayName, diags);
        if (loaded.isEmpty()) {
            return new WorkspaceOutcome(null, List.of(), List.of(), diags.sorted());
        }
        WorkspaceContext context = loaded.get();
        Workspace workspace = context.workspace();
        WorkspaceValidator.validate(workspace, diags);
        Set<Diagnostic> reported = new HashSet<>(diags.sorted());
        List<WorkspaceOutcome.RepoOutcome> repos = new ArrayList<>();
        List<CrossRepoResolution> targets = new ArrayList<>();
        for (WorkspaceRepo repo : workspace.order()) {
            Path contractFile = repo.contractFile();
            if (contractFile == null || !Files.isRegularFile(contractFile)) {
                // the validator reported it (an error, or a warning for an optional repo)
                repos.add(new WorkspaceOutcome.RepoOutcome(repo, contractFile == null ? null : context.displayName(contractFile), null));
                continue;
            }
            String display = context.displayName(contractFile);
            Diagnostics repoDiags = new Diagnostics();
            // one pass per repo: validation (cross-repo targets included) and the plan of all its tasks
            OtaEngine.Prepared prepared = OtaEngine.prepare(new PlanRequest(contractFile, display, null, Map.of(), environment,
                    context));
            prepared.outcome().diagnostics().forEach(repoDiags::add);
            if (prepared.contract() != null) {
                targets.addAll(context.checkTargets(prepared.contract(), repo.name(), new Diagnostics())); // reported above
            }
            // a policy file several repos share (or `workspace.policy`) is reported once; an error an
            // optional repo reported as a warning is still an error for a required repo
            for (Diagnostic d : repoDiags.sorted()) {
                Diagnostic as = repo.required() || !d.isError() ? d : downgraded(d);
                if (!reported.contains(d) && reported.add(as)) {
                    diags.add(as);
                }
            }
            repos.add(new WorkspaceOutcome.RepoOutcome(repo, display, prepared.contract(),
                    prepared.contract() == null ? null : prepared.plan()));
        }
        return new WorkspaceOutcome(workspace, repos, targets, diags.sorted());
    }

    /** An optional repo's error as a warning: optional repos never fail the workspace. */
    private static Diagnostic downgraded(Diagnostic d) {
        return new Diagnostic(dev.ota.core.diagnostics.Severity.WARNING, d.code(), d.location(),
                WorkspaceValidator.asOptional(d.message()), d.fix());
    }
}
