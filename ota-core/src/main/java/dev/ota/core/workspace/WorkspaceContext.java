package dev.ota.core.workspace;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.diagnostics.Words;
import dev.ota.core.load.ContractLoader;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.ServiceRef;
import dev.ota.core.model.Target;
import dev.ota.core.model.Task;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.RepoProducers;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.yaml.Nodes;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A workspace as the engine uses it while validating or planning one repo contract: finds the
 * repo a contract belongs to, loads the other repos' contracts (once each) and checks and
 * resolves {@code service.repo} targets (rules 54, 55, 70; digest §E.3). Pass it in
 * {@code PlanRequest.workspace}. Thread-safe.
 */
public final class WorkspaceContext implements RepoProducers {

    private final Workspace workspace;
    private final Map<String, RepoContract> contracts = new ConcurrentHashMap<>();
    private final Map<Path, Optional<WorkspaceRepo>> repoByPath = new ConcurrentHashMap<>();
    private final Map<String, LoadedFile> files = new ConcurrentHashMap<>();
    private List<Map.Entry<WorkspaceRepo, Path>> canonicalRepoDirs; // guarded by this

    private WorkspaceContext(Workspace workspace) {
        this.workspace = workspace;
    }

    public static WorkspaceContext of(Workspace workspace) {
        return new WorkspaceContext(workspace);
    }

    /**
     * Loads a workspace file. Only its own shape is checked here ({@link WorkspaceLoader});
     * {@link WorkspaceValidator} (repos on disk, dependencies) is for validating the workspace
     * itself, so that a partial checkout can still plan the repos it has.
     */
    public static Optional<WorkspaceContext> load(Path file, String displayName, Diagnostics diags) {
        return WorkspaceLoader.load(file, displayName, diags).map(WorkspaceContext::new);
    }

    /**
     * The workspace of a contract: {@code explicitWorkspace} when given (a file, or a directory
     * holding {@code ota.workspace.yaml}; pass it absolute, a relative path resolves against the
     * JVM's working directory; diagnostics name it as given), else the nearest
     * {@code ota.workspace.yaml} in the contract's directory or above (named relative to the
     * contract's directory). Empty when there is none, or when the file cannot be read: then the
     * reason is in {@code diags}, as are the workspace file's own warnings; report them with the
     * plan's. The repos on disk are not checked here, so a partial checkout still plans.
     */
    public static Optional<WorkspaceContext> discover(Path contract, Path explicitWorkspace, Diagnostics diags) {
        Path contractDir = contract.toAbsolutePath().normalize().getParent();
        if (explicitWorkspace != null) {
            Path file = explicitWorkspace.toAbsolutePath().normalize();
            String display = explicitWorkspace.toString().replace(File.separatorChar, '/');
            if (Files.isDirectory(file)) { // a workspace directory names its file
                file = file.resolve(Workspace.FILE_NAME);
                display = display + (display.endsWith("/") ? "" : "/") + Workspace.FILE_NAME;
            }
            return load(file, display, diags);
        }
        Optional<Path> found = WorkspaceFinder.find(contractDir == null ? contract : contractDir);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String display = contractDir == null ? found.get().toString()
                : contractDir.relativize(found.get()).toString().replace(File.separatorChar, '/');
        return load(found.get(), display, diags);
    }

    public Workspace workspace() {
        return workspace;
    }

    /**
     * The repo whose directory holds {@code path} (a contract file or a directory). Remembered per
     * path: resolving a workspace asks it for every target of every repo, and each answer needs
     * the real path of every repo directory (file system calls).
     */
    public Optional<WorkspaceRepo> repoOf(Path path) {
        return repoByPath.computeIfAbsent(path.toAbsolutePath().normalize(), p -> {
            Path dir = Files.isRegularFile(p) ? p.getParent() : p;
            return WorkspaceFinder.repoOf(canonicalRepoDirs(), dir);
        });
    }

    private synchronized List<Map.Entry<WorkspaceRepo, Path>> canonicalRepoDirs() {
        if (canonicalRepoDirs == null) {
            canonicalRepoDirs = WorkspaceFinder.canonicalDirs(workspace);
        }
        return canonicalRepoDirs;
    }

    /**
     * How diagnostics name a file of the workspace: its path below the workspace directory,
     * prefixed the way the workspace file itself is named ({@code repos/api/ota.yaml}, or
     * {@code ../../repos/api/ota.yaml} when the workspace is named {@code ../../ota.workspace.yaml}).
     */
    public String displayName(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        String relative = workspace.root().relativize(absolute).toString().replace(File.separatorChar, '/');
        String own = workspace.displayName();
        int slash = Math.max(own.lastIndexOf('/'), own.lastIndexOf('\\'));
        return slash < 0 ? relative : own.substring(0, slash + 1) + relative;
    }

    /**
     * A repo's contract, loaded once (not validated: its own validation belongs to its own plan
     * or to the workspace validation).
     *
     * @param contract the loaded contract, or null when it could not be loaded ({@code problem})
     * @param problem why the contract is unusable for resolving targets, or null
     */
    public record RepoContract(WorkspaceRepo repo, String displayName, Contract contract, List<Diagnostic> diagnostics,
            String problem, String fix) {

        public boolean usable() {
            return problem == null;
        }
    }

    /** A contract file as {@link ContractLoader#load} left it: the model (if any) and its diagnostics. */
    private record LoadedFile(Optional<Contract> contract, List<Diagnostic> diagnostics) {}

    /**
     * {@link ContractLoader#load}, once per file and display name for the whole workspace: validating
     * a workspace plans every repo and resolves every repo's producers, which would otherwise parse
     * each contract again for every repo that targets it. Reports the load's diagnostics into
     * {@code diags} each time. The model is immutable, so callers may share it.
     */
    public Optional<Contract> loadContract(Path file, String displayName, Diagnostics diags) {
        LoadedFile loaded = files.computeIfAbsent(file.toAbsolutePath().normalize() + "\0" + displayName, k -> {
            Diagnostics own = new Diagnostics();
            Optional<Contract> contract = ContractLoader.load(file, displayName, own);
            return new LoadedFile(contract, own.sorted());
        });
        loaded.diagnostics().forEach(diags::add);
        return loaded.contract();
    }

    /** The contract of repo {@code name}; null for an unknown repo. */
    public RepoContract contract(String name) {
        WorkspaceRepo repo = workspace.repo(name);
        return repo == null ? null : contracts.computeIfAbsent(name, n -> loadContract(repo));
    }

    private RepoContract loadContract(WorkspaceRepo repo) {
        String validate = "run `mvn ota:validate -Dota.file=" + workspace.displayName() + "` and fix what it reports.";
        if (repo.dir() == null || repo.contractFile() == null) {
            return new RepoContract(repo, null, null, List.of(), "its `path` or `contract` in " + workspace.displayName()
                    + " is not usable", validate);
        }
        String display = displayName(repo.contractFile());
        if (!Files.isDirectory(repo.dir())) {
            return new RepoContract(repo, display, null, List.of(), "its directory `" + repo.path() + "` does not exist",
                    "check out repo `" + repo.name() + "` at `" + repo.path() + "` (relative to " + workspace.displayName()
                            + "), or correct `repos." + repo.name() + ".path`.");
        }
        if (!Files.isRegularFile(repo.contractFile())) {
            return new RepoContract(repo, display, null, List.of(), "its contract `" + display + "` does not exist",
                    "add the contract, or point `repos." + repo.name() + ".contract` in " + workspace.displayName() + " at it.");
        }
        Diagnostics diags = new Diagnostics();
        Contract contract = loadContract(repo.contractFile(), display, diags).orElse(null);
        if (contract == null || diags.hasErrors()) {
            Diagnostic first = diags.errors().isEmpty() ? null : diags.errors().get(0);
            return new RepoContract(repo, display, contract, diags.sorted(), display + " has " + diags.errorCount()
                    + " error(s)" + (first == null ? "" : ", first: " + first.render()), validate);
        }
        return new RepoContract(repo, display, contract, diags.sorted(), null, null);
    }

    // ---- cross-repo targets -------------------------------------------------------------------

    /** The outcome of looking a producer up: the plan's view, plus the code and field to report at. */
    private record Lookup(Producer producer, String code, String field, String producerContract) {

        static Lookup fail(String repo, String task, String code, String field, String error, String fix) {
            return new Lookup(Producer.missing(repo, task, error, fix), code, field, null);
        }
    }

    @Override
    public Producer producer(Contract consumer, ServiceRef ref) {
        return lookup(repoOf(consumer.file()).map(WorkspaceRepo::name).orElse(null), ref).producer();
    }

    /** @param consumerRepo the repo the consumer's contract belongs to, or null */
    private Lookup lookup(String consumerRepo, ServiceRef ref) {
        String repoName = ref.repo();
        String taskName = ref.task();
        WorkspaceRepo repo = workspace.repo(repoName);
        if (repo == null) {
            String hint = Nodes.closest(repoName, workspace.repoNames());
            return Lookup.fail(repoName, taskName, "OTA_TARGET_REPO_UNKNOWN", "repo", "`service.repo: " + repoName
                    + "` is not a repo of workspace `" + workspace.name() + "` (" + workspace.displayName()
                    + "); declared repos: " + Words.backticked(workspace.repoNames()) + ".",
                    hint != null ? "did you mean `" + hint + "`?"
                            : "declare `repos." + repoName + "` in " + workspace.displayName() + ", or name a declared repo.");
        }
        if (repoName.equals(consumerRepo)) {
            return Lookup.fail(repoName, taskName, "OTA_TARGET_REPO_SELF", "repo", "`service.repo: " + repoName
                    + "` is the repo this contract belongs to; `service.repo` is for producers in other repos of the workspace.",
                    "remove `service.repo` to make it a same-repo target (`service: { task: " + taskName + " }`).");
        }
        RepoContract producerContract = contract(repoName);
        if (!producerContract.usable()) {
            return Lookup.fail(repoName, taskName, "OTA_TARGET_REPO_LOAD", "repo", "could not load `service.repo: " + repoName
                    + "`: " + producerContract.problem() + ".", producerContract.fix());
        }
        Contract contract = producerContract.contract();
        String where = " in workspace repo `" + repoName + "` (" + producerContract.displayName() + ")";
        Task task = contract.task(taskName);
        if (task == null) {
            String hint = Nodes.closest(taskName, contract.tasks().keySet());
            return Lookup.fail(repoName, taskName, "OTA_TARGET_UNKNOWN_TASK", "task", "references unknown `service.task: "
                    + taskName + "`" + where + ".", hint != null ? "did you mean `" + hint + "`?"
                            : "name a task of " + producerContract.displayName() + ": " + Words.backticked(contract.tasks().keySet()) + ".");
        }
        if (!task.isService()) {
            return Lookup.fail(repoName, taskName, "OTA_TARGET_NOT_SERVICE", "task", "task `" + taskName + "`" + where
                    + " is not a service task.", "give `" + taskName + "` a `runtime: { kind: service, listeners: ... }` in "
                            + producerContract.displayName() + ", or use a `url` target.");
        }
        Map<String, Listener> listeners = task.runtime().listeners();
        Listener listener;
        if (ref.listener() != null) {
            if (ref.listener().isBlank()) {
                // reported by the consumer's own rules (OTA_EMPTY); no second diagnostic
                return Lookup.fail(repoName, taskName, null, "listener", "`service.listener` is empty.",
                        "name the producer's listener, or omit it when the producer has exactly one.");
            }
            listener = listeners.get(ref.listener());
            if (listener == null) {
                String hint = Nodes.closest(ref.listener(), listeners.keySet());
                return Lookup.fail(repoName, taskName, "OTA_TARGET_UNKNOWN_LISTENER", "listener", "references unknown listener `"
                        + ref.listener() + "` of task `" + taskName + "`" + where + ".",
                        hint != null ? "did you mean `" + hint + "`?" : listeners.isEmpty()
                                ? "declare a listener under `tasks." + taskName + ".runtime.listeners` in " + producerContract.displayName() + "."
                                : "name one of " + Words.backticked(listeners.keySet()) + ".");
            }
        } else if (listeners.size() == 1) {
            listener = listeners.values().iterator().next();
        } else {
            return Lookup.fail(repoName, taskName, "OTA_TARGET_LISTENER_AMBIGUOUS", "", listeners.isEmpty()
                    ? "task `" + taskName + "`" + where + " declares no listener."
                    : "task `" + taskName + "`" + where + " exposes multiple listeners; declare `service.listener` explicitly.",
                    listeners.isEmpty() ? "declare a listener under `tasks." + taskName + ".runtime.listeners` in "
                            + producerContract.displayName() + "."
                            : "add `listener:` with one of " + Words.backticked(listeners.keySet()) + ".");
        }
        String description = "listener `" + listener.name() + "` of task `" + taskName + "` in workspace repo `" + repoName + "`";
        return new Lookup(Producer.found(repoName, taskName, listener, description), null, null,
                producerContract.displayName());
    }

    /**
     * Checks every {@code service.repo} target of {@code consumer} against the workspace and
     * reports what cannot resolve into {@code diags}, located at the target in the consumer's
     * contract. The view rule itself (rule 70, {@code address_view: host}) is the consumer's
     * own validator's; here it only makes the resolution fail.
     */
    public List<CrossRepoResolution> checkTargets(Contract consumer, Diagnostics diags) {
        return checkTargets(consumer, repoOf(consumer.file()).map(WorkspaceRepo::name).orElse(null), diags);
    }

    /** As {@link #checkTargets(Contract, Diagnostics)}, for a contract whose repo is known. */
    public List<CrossRepoResolution> checkTargets(Contract consumer, String consumerRepo, Diagnostics diags) {
        List<CrossRepoResolution> out = new ArrayList<>();
        for (Task task : consumer.tasks().values()) {
            for (Target target : task.targets().values()) {
                ServiceRef ref = target.service();
                if (ref == null || !ref.crossRepo() || ref.repo().isBlank() || ref.task() == null || ref.task().isBlank()
                        || ref.crossMember()) {
                    continue; // malformed: the consumer's own rules report it
                }
                out.add(check(consumer, consumerRepo, task, target, ref, diags));
            }
        }
        return List.copyOf(out);
    }

    private CrossRepoResolution check(Contract consumer, String consumerRepo, Task task, Target target, ServiceRef ref,
            Diagnostics diags) {
        String svcPath = "tasks." + task.name() + ".targets." + target.name() + ".service";
        Lookup lookup = lookup(consumerRepo, ref);
        Producer producer = lookup.producer();
        String error = producer.error();
        String fix = producer.fix();
        if (producer.ok()) {
            Listener listener = producer.listener();
            String declared = producer.description() + " (" + listener.site().location() + ")";
            SourceLocation at = ref.listener() != null ? ref.site().at("listener") : ref.site().location();
            if (listener.host() == null) {
                error = "`" + svcPath + "` uses `service.repo`, so " + declared
                        + " must declare one fixed `project.host`, and it declares none.";
                fix = "give it `project: { host: { address: 127.0.0.1, port: { mode: fixed, value: <port> } } }` in "
                        + lookup.producerContract() + ".";
                diags.error("OTA_TARGET_REPO_HOST", at, error, fix);
            } else if (!listener.host().fixed() || Endpoints.hostUrl(listener) == null) {
                error = "`" + svcPath + "` uses `service.repo`, so " + declared
                        + " needs a fixed `project.host` port, but it publishes `project.host.port.mode: "
                        + listener.host().portMode() + "`; the port would only be known once the producer runs.";
                fix = "set `project.host.port: { mode: fixed, value: <port> }` on it in " + lookup.producerContract() + ".";
                diags.error("OTA_TARGET_REPO_HOST", at, error, fix);
            } else if (!"host".equals(ref.addressView())) {
                error = "`" + svcPath + "` uses `service.repo`, but only `address_view: host` is currently supported"
                        + (ref.addressView() == null ? " (the default view is `topology`)" : "") + ".";
                fix = "set `address_view: host`.";
            }
        } else if (lookup.code() != null) {
            SourceLocation at = lookup.field().isEmpty() ? ref.site().location() : ref.site().at(lookup.field());
            diags.error(lookup.code(), at, "`" + svcPath + "` " + lowerFirst(error), fix);
        }
        boolean resolved = error == null;
        return new CrossRepoResolution(consumerRepo, consumer.displayName(), task.name(), target.name(), ref.repo(),
                ref.task(), producer.listener() == null ? ref.listener() : producer.listener().name(), ref.addressView(),
                target.effectiveActivation(), resolved ? Endpoints.hostUrl(producer.listener()) : null,
                resolved ? null : error, resolved ? null : fix, ref.site().location());
    }

    /** "`svc` references …" reads well; "`svc` `service.repo: x` is …" needs a colon. */
    private static String lowerFirst(String error) {
        return error.startsWith("references") ? error : ": " + error;
    }

    // ---- run path -----------------------------------------------------------------------------

    /**
     * The producers in other repos that a run of {@code plan} must make available first: every
     * planned, non-manual {@code service.repo} target of the planned tasks, one entry per
     * consumer target, in plan order. Start them (through their own repo's contract) before the
     * plan's own {@code activationSteps}, whose producers may consume them.
     */
    public List<RepoActivation> repoActivations(Plan plan) {
        List<RepoActivation> out = new ArrayList<>();
        for (Plan.TaskPlan task : plan.tasks().values()) {
            for (Plan.TargetResolution r : task.targetResolutions()) {
                if (r.serviceRef() == null || r.serviceRef().repo() == null || !"planned".equals(r.activation().status())) {
                    continue;
                }
                WorkspaceRepo repo = workspace.repo(r.serviceRef().repo());
                if (repo == null) {
                    continue; // cannot be planned; defensive
                }
                out.add(new RepoActivation(task.name(), r.target(), repo.name(), repo.dir(), repo.contractFile(),
                        r.serviceRef().task(), r.serviceRef().listener(), r.activation().mode(), r.effectiveUrl()));
            }
        }
        return List.copyOf(out);
    }
}
