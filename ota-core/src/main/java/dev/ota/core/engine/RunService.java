package dev.ota.core.engine;

import dev.ota.core.activate.ActivationEngine;
import dev.ota.core.activate.ActivationException;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.Backends;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.container.ContainerInventory;
import dev.ota.core.backend.container.ContainerWorkloads;
import dev.ota.core.backend.container.DockerEngine;
import dev.ota.core.backend.nativeproc.NativeBackend;
import dev.ota.core.backend.remote.RemoteBackend;
import dev.ota.core.backend.remote.RemoteEndpoint;
import dev.ota.core.backend.remote.RemoteShells;
import dev.ota.core.fulfill.FulfillmentException;
import dev.ota.core.fulfill.Installers;
import dev.ota.core.fulfill.UnitFulfillment;
import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.receipt.ActivationStatus;
import dev.ota.core.receipt.FailureClass;
import dev.ota.core.receipt.Goal;
import dev.ota.core.receipt.Receipt;
import dev.ota.core.receipt.ReceiptBuilder;
import dev.ota.core.receipt.ReceiptStep;
import dev.ota.core.receipt.ReceiptWriter;
import dev.ota.core.receipt.Redaction;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.run.TaskExecution;
import dev.ota.core.run.TaskFailedException;
import dev.ota.core.run.TaskNotRunException;
import dev.ota.core.run.TaskRunner;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The run path build tools call: {@code run}, {@code activate}, {@code deactivate}, {@code clean}
 * and {@code status}. Each writes a receipt that tells what happened; none throws for an expected
 * failure (invalid contract, failed activation, failed task) — the {@link Result} says which class
 * of failure it was. Interrupts stop what this run started, write an {@code INTERRUPTED} receipt
 * and are then rethrown.
 */
public final class RunService {

    /**
     * @param outputDir where receipts and {@code targets.properties} go ({@code target/ota})
     * @param owner the build that acts (reused records name it as their starter)
     * @param maven Maven coordinates for receipts, or null
     * @param log one line per state change
     * @param output task output lines
     */
    public record Options(Path outputDir, String owner, Receipt.Maven maven, Consumer<String> log, Consumer<String> output) {}

    /**
     * @param failureClass null when ok
     * @param targets each resolved target of the requested task: name → effective URL
     * @param started producers this run started (an {@code activate} hands them to {@code deactivate})
     */
    public record Result(
            Receipt receipt, Path receiptFile, FailureClass failureClass, int exitCode, String message,
            Map<String, String> targets, List<TargetActivation> activations, List<TargetActivation> started) {

        public boolean ok() {
            return failureClass == null;
        }
    }

    /** Supplies the backends of one run, and the backend of a recorded workload. */
    public interface BackendProvider {

        /** The backend of each task of a run of {@code prepared}. */
        Function<TaskShape, Backend> forRun(OtaEngine.Prepared prepared, StateStore state, Consumer<String> log);

        /** The backend that can check or stop a recorded workload. */
        Backend forHandle(WorkloadHandle handle);

        /** The engine's view of ota-owned containers; null without a container engine. */
        default ContainerInventory containers() {
            return null;
        }

        /** Starts connecting to the container engine in the background (a run will need it soon). */
        default void prewarm() {}

        /** Closes what the last operation opened (remote connections); called when each operation ends. */
        default void release() {}
    }

    /** Native workloads on this machine; container workloads on {@code DOCKER_HOST} (or the default socket). */
    public static BackendProvider defaultBackends(Map<String, String> environment) {
        NativeBackend nativeBackend = new NativeBackend();
        DockerEngine engine = DockerEngine.fromEnvironment(environment);
        RemoteShells remotes = new RemoteShells(environment);
        return new BackendProvider() {
            @Override
            public Function<TaskShape, Backend> forRun(OtaEngine.Prepared prepared, StateStore state, Consumer<String> log) {
                return new Backends(nativeBackend, engine, remotes, prepared.contract(), prepared.topology(), prepared.plan(),
                        state, log);
            }

            @Override
            public Backend forHandle(WorkloadHandle handle) {
                return Backends.forHandle(handle, engine, remotes, nativeBackend);
            }

            @Override
            public void release() {
                remotes.close();
            }

            @Override
            public ContainerInventory containers() {
                return new ContainerInventory(engine);
            }

            @Override
            public void prewarm() {
                // the engine client's first connection costs about a second of class loading and
                // native setup: do it while the contract is loaded and planned (errors surface later)
                Thread warm = new Thread(() -> {
                    try {
                        engine.client();
                    } catch (BackendException | RuntimeException ignored) {
                        // reported by the first step that needs the engine
                    }
                }, "ota-engine-warmup");
                warm.setDaemon(true);
                warm.start();
            }
        };
    }

    private final BackendProvider provider;
    private final ReadinessWaiter waiter;
    private final UnitFulfillment.Installer installer = Installers.policyApproved();

    public RunService() {
        this(defaultBackends(System.getenv()), new ReadinessWaiter());
    }

    /** One backend function for every run (tests). */
    public RunService(Function<TaskShape, Backend> backends, ReadinessWaiter waiter) {
        this(new BackendProvider() {
            @Override
            public Function<TaskShape, Backend> forRun(OtaEngine.Prepared prepared, StateStore state, Consumer<String> log) {
                return backends;
            }

            @Override
            public Backend forHandle(WorkloadHandle handle) {
                return backends.apply(null);
            }
        }, waiter);
    }

    public RunService(BackendProvider provider, ReadinessWaiter waiter) {
        this.provider = provider;
        this.waiter = waiter;
    }

    /** Activates the task's targets, runs its dependencies and its body. */
    public Result run(PlanRequest request, Options options) throws InterruptedException {
        try {
            return execute(Goal.RUN, request, options);
        } finally {
            provider.release();
        }
    }

    private static ReceiptBuilder begin(Goal goal, PlanRequest request, Options options) {
        ReceiptBuilder receipt = ReceiptBuilder.start(goal, request.task());
        if (options.maven() != null) {
            receipt.maven(options.maven());
        }
        return receipt;
    }

    /** Loads, validates and plans, recording the policy, the contract and its secrets' redaction. */
    private static OtaEngine.Prepared prepareInto(ReceiptBuilder receipt, PlanRequest request) {
        OtaEngine.Prepared prepared = OtaEngine.prepare(request);
        orgPolicy(receipt, prepared);
        if (prepared.contract() != null) {
            receipt.contract(request.displayName(), prepared.contract());
            receipt.redaction(Redaction.of(prepared.contract().secretEnv()));
        }
        return prepared;
    }

    /** A contract or policy that does not validate: nothing starts; the receipt lists every error. */
    private Result invalid(ReceiptBuilder receipt, OtaEngine.Prepared prepared, PlanRequest request, Options options) {
        List<Diagnostic> errors = prepared.outcome().errors();
        FailureClass failure = errors.stream().anyMatch(d -> d.code().startsWith("OTA_POLICY"))
                ? FailureClass.POLICY : FailureClass.CONTRACT;
        String message = (failure == FailureClass.POLICY ? "POLICY REFUSED " : "INVALID ") + request.displayName() + ": "
                + errors.size() + " error(s)";
        for (Diagnostic d : errors) {
            receipt.error(d.render());
        }
        return finish(receipt.fail(failure, message), options, failure, message, Map.of(), List.of(), List.of());
    }

    /**
     * {@code ota:fulfill}: checks, and under {@code fulfillment: run} prepares, the backend units of
     * {@code request.task()} (its chain and the producers it activates), or only {@code unit}
     * ({@code shared_backend:<name>} / {@code context:<name>}), or without either every unit of the
     * contract. Nothing else starts.
     */
    public Result fulfil(PlanRequest request, String unit, Options options) throws InterruptedException {
        try {
            return fulfilNow(request, unit, options);
        } finally {
            provider.release();
        }
    }

    private Result fulfilNow(PlanRequest request, String unit, Options options) throws InterruptedException {
        ReceiptBuilder receipt = begin(Goal.FULFILL, request, options);
        OtaEngine.Prepared prepared = prepareInto(receipt, request);
        if (!prepared.plan().ok()) {
            return invalid(receipt, prepared, request, options);
        }
        StateStore state = StateStore.forRepo(prepared.contract().directory());
        Function<TaskShape, Backend> backends = provider.forRun(prepared, state, options.log());
        RunFulfillment fulfillment = new RunFulfillment(prepared, backends, installer, options.log());
        java.util.Set<String> tasks = request.task() != null ? RunFulfillment.tasksOfRun(prepared.plan(), request.task())
                : fulfillment.allTasks();
        List<UnitFulfillment.Outcome> outcomes = fulfillment.run(tasks, unit, receipt);
        recordUnits(receipt, backends, prepared, request.task());
        if (unit != null && outcomes.isEmpty() && !fulfillment.deferred().contains(unit)) {
            String message = "`" + unit + "` is not a backend unit with requirements or `fulfillment` in "
                    + request.displayName() + (request.task() == null ? "" : " for task `" + request.task() + "`")
                    + "; name a shared backend (shared_backend:<name>) or a container context with `fulfillment`";
            return finish(receipt.fail(FailureClass.CONTRACT, message), options, FailureClass.CONTRACT, message, Map.of(),
                    List.of(), List.of());
        }
        UnitFulfillment.Outcome failed = outcomes.stream().filter(o -> !o.ok()).findFirst().orElse(null);
        if (failed != null) {
            String message = "FULFILLMENT FAILED: " + failed.message();
            return finish(receipt.fail(FailureClass.FULFILLMENT, message), options, FailureClass.FULFILLMENT, message, Map.of(),
                    List.of(), List.of());
        }
        if (outcomes.isEmpty() && fulfillment.deferred().isEmpty()) {
            options.log().accept("no backend unit with requirements or `fulfillment` to check");
        }
        return finish(receipt.succeed(), options, null, null, Map.of(), List.of(), List.of());
    }

    /** Activates the task's targets only, and exports them to {@code targets.properties}. */
    public Result activate(PlanRequest request, Options options) throws InterruptedException {
        try {
            return execute(Goal.ACTIVATE, request, options);
        } finally {
            provider.release();
        }
    }

    private Result execute(Goal goal, PlanRequest request, Options options) throws InterruptedException {
        ReceiptBuilder receipt = begin(goal, request, options);
        receipt.inputs(request.inputs());
        if (mentionsContainers(request.contract())) {
            provider.prewarm();
        }
        OtaEngine.Prepared prepared = prepareInto(receipt, request);
        Plan plan = prepared.plan();
        if (!plan.ok()) {
            return invalid(receipt, prepared, request, options);
        }
        if (request.task() == null) {
            String message = "no task given; name the task with -Dota.task=<task>";
            return finish(receipt.fail(FailureClass.CONTRACT, message), options, FailureClass.CONTRACT, message, Map.of(),
                    List.of(), List.of());
        }
        Plan.TaskPlan taskPlan = plan.tasks().get(request.task());
        receipt.execution(taskPlan.backend(), taskPlan.context(), taskPlan.lifecycle());
        receipt.env(taskPlan.env());
        Map<String, String> targets = new LinkedHashMap<>();
        for (Plan.TargetResolution r : taskPlan.targetResolutions()) {
            targets.put(r.target(), r.effectiveUrl());
        }
        StateStore state = StateStore.forRepo(prepared.contract().directory());
        Function<TaskShape, Backend> backends = provider.forRun(prepared, state, options.log());
        ActivationEngine engine = new ActivationEngine(prepared.contract(), prepared.topology(), plan, state, backends,
                options.owner(), options.log(), waiter);
        RepoProducerActivation repos = new RepoProducerActivation(request.workspace(), provider, options, waiter,
                request.environment());
        String consumerRepo = request.workspace() == null ? null
                : request.workspace().repoOf(prepared.contract().directory()).map(r -> r.name()).orElse("?");
        // every backend unit the run uses is checked (and under `fulfillment: run` prepared) first
        RunFulfillment runFulfillment = new RunFulfillment(prepared, backends, installer, options.log());
        List<UnitFulfillment.Outcome> fulfilled = runFulfillment.run(RunFulfillment.tasksOfRun(plan, request.task()), null,
                receipt);
        UnitFulfillment.Outcome unfulfilled = fulfilled.stream().filter(o -> !o.ok()).findFirst().orElse(null);
        if (unfulfilled != null) {
            recordUnits(receipt, backends, prepared, request.task());
            String message = "FULFILLMENT FAILED for task `" + request.task() + "`: " + unfulfilled.message();
            return finish(receipt.fail(FailureClass.FULFILLMENT, message), options, FailureClass.FULFILLMENT, message, targets,
                    List.of(), List.of());
        }
        List<TargetActivation> activations = new ArrayList<>();
        try {
            // producers in other repos first: a same-repo producer may itself consume one of them
            activations.addAll(repos.activate(consumerRepo, plan));
            activations.addAll(engine.activate());
        } catch (ActivationException e) {
            repos.rollback();
            recordActivations(receipt, plan, e.report(), request.task(), ActivationStatus.FAILED, shared(prepared, backends));
            recordUnits(receipt, backends, prepared, request.task());
            String message = "ACTIVATION FAILED for task `" + request.task() + "`: " + e.getMessage();
            return finish(receipt.fail(FailureClass.ACTIVATION, message), options, FailureClass.ACTIVATION, message, targets,
                    e.report(), List.of());
        } catch (InterruptedException e) {
            engine.rollback();
            repos.rollback();
            recordActivations(receipt, plan, List.of(), request.task(), ActivationStatus.INTERRUPTED, shared(prepared, backends));
            recordUnits(receipt, backends, prepared, request.task());
            finish(receipt.interrupted("interrupted during activation; stopped the producers this run started"), options,
                    FailureClass.INTERRUPTED, "interrupted", targets, List.of(), List.of());
            throw e;
        }
        recordActivations(receipt, plan, activations, request.task(), ActivationStatus.FAILED, shared(prepared, backends));
        if (goal == Goal.ACTIVATE) {
            recordUnits(receipt, backends, prepared, request.task());
            writeTargets(options.outputDir(), request.task(), targets);
            return finish(receipt.succeed(), options, null, null, targets, activations, started(repos, engine));
        }
        TaskRunner runner = new TaskRunner(prepared.contract(), prepared.topology(), plan, backends, options.output(),
                options.log());
        try {
            List<TaskExecution> executions;
            try {
                executions = runner.run(request.task());
            } finally {
                recordUnits(receipt, backends, prepared, request.task());
            }
            executions.forEach(x -> recordExecution(receipt, x, request.task(), shared(prepared, backends)));
            runFulfillment.tasksExecuted();
            return finish(receipt.succeed(), options, null, null, targets, activations, started(repos, engine));
        } catch (TaskFailedException e) {
            e.executions().forEach(x -> recordExecution(receipt, x, request.task(), shared(prepared, backends)));
            runFulfillment.tasksExecuted();
            engine.rollback();
            repos.rollback();
            TaskExecution failed = e.failed();
            String message = "TASK FAILED: " + e.getMessage();
            return finish(receipt.taskFailed(failed.task(), failed.exitCode(), message), options, FailureClass.TASK, message,
                    targets, activations, List.of());
        } catch (BackendException e) {
            engine.rollback();
            repos.rollback();
            // the body never ran (its backend could not be reached or prepared): exit 1, no child code
            if (e instanceof TaskNotRunException notRun) {
                notRun.done().forEach(x -> recordExecution(receipt, x, request.task(), shared(prepared, backends)));
            }
            if (e.getCause() instanceof FulfillmentException notFulfilled) {
                recordUnits(receipt, backends, prepared, request.task());
                String message = "FULFILLMENT FAILED for task `" + request.task() + "`: " + notFulfilled.getMessage();
                return finish(receipt.fail(FailureClass.FULFILLMENT, message), options, FailureClass.FULFILLMENT, message,
                        targets, activations, List.of());
            }
            String message = "TASK FAILED: " + (e instanceof TaskNotRunException ? e.getMessage()
                    : "`" + request.task() + "` could not be run: " + e.getMessage());
            receipt.nextStep("the task's body never ran: fix what the message names (its backend), then run it again");
            return finish(receipt.fail(FailureClass.TASK, 1, message), options, FailureClass.TASK, message, targets, activations,
                    List.of());
        } catch (InterruptedException e) {
            engine.rollback();
            repos.rollback();
            finish(receipt.interrupted("interrupted while `" + request.task()
                    + "` ran; stopped its process tree and the producers this run started"), options,
                    FailureClass.INTERRUPTED, "interrupted", targets, activations, List.of());
            throw e;
        }
    }

    /** A cheap hint, before the contract is parsed, that a run may use the container engine. */
    private static boolean mentionsContainers(Path contract) {
        try {
            return Files.size(contract) < 4 * 1024 * 1024 && Files.readString(contract).contains("container");
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static List<TargetActivation> started(RepoProducerActivation repos, ActivationEngine engine) {
        List<TargetActivation> all = new ArrayList<>(repos.startedByThisRun());
        all.addAll(engine.startedByThisRun());
        return all;
    }

    /**
     * Stops what an {@code activate} of this build started, newest first (a consumer before the
     * producer it reads from, e.g. a cross-repo producer's own producers last); reused producers
     * are left alone.
     */
    public Result deactivate(PlanRequest request, List<TargetActivation> started, Options options) {
        try {
            return deactivateNow(request, started, options);
        } finally {
            provider.release();
        }
    }

    private Result deactivateNow(PlanRequest request, List<TargetActivation> started, Options options) {
        ReceiptBuilder receipt = ReceiptBuilder.start(Goal.DEACTIVATE, request.task());
        OtaEngine.Prepared prepared = teardownStart(receipt, request, options);
        List<String> problems = new ArrayList<>();
        Path ownRepo = prepared.contract() == null ? null : prepared.contract().directory();
        StateStore state = ownRepo == null ? null : StateStore.forRepo(ownRepo);
        List<TargetActivation> newestFirst = new ArrayList<>(started);
        java.util.Collections.reverse(newestFirst);
        for (TargetActivation a : newestFirst) {
            ReceiptBuilder.Step step = receipt.teardown(a.producer());
            Backend backend = provider.forHandle(a.handle());
            try {
                boolean gone = backend.stop(a.handle(), ActivationEngine.STOP_GRACE);
                StateStore records = a.repo() != null ? StateStore.forRepo(a.repo()) : state;
                if (records != null) {
                    records.delete(a.producer());
                }
                boolean otherRepo = a.repo() != null && ownRepo != null && !a.repo().equals(ownRepo);
                options.log().accept("stopped `" + a.producer() + "` (pid " + a.handle().pid()
                        + (otherRepo ? ", repo " + a.repo().getFileName() : "") + ")");
                step.detail("stopped pid " + a.handle().pid()).finish(gone ? "STOPPED" : "STILL RUNNING");
                if (!gone) {
                    problems.add("`" + a.producer() + "` (pid " + a.handle().pid() + ") did not stop");
                }
            } catch (BackendException | RuntimeException e) {
                problems.add("`" + a.producer() + "`: " + e.getMessage());
                step.detail(e.getMessage()).finish("FAILED");
            }
        }
        if (started.isEmpty()) {
            receipt.info("nothing to deactivate: this build started no producer (reused producers keep running)");
        }
        if (!problems.isEmpty()) {
            String message = "could not stop: " + String.join("; ", problems);
            return finish(receipt.fail(FailureClass.CLEANUP, message), options, FailureClass.CLEANUP, message, Map.of(),
                    List.of(), List.of());
        }
        return finish(receipt.succeed(), options, null, null, Map.of(), List.of(), List.of());
    }

    /** Stops every service ota-maven recorded for the repo and removes stale records. */
    public Result clean(PlanRequest request, Options options) {
        try {
            return cleanNow(request, options);
        } finally {
            provider.release();
        }
    }

    private Result cleanNow(PlanRequest request, Options options) {
        ReceiptBuilder receipt = ReceiptBuilder.start(Goal.CLEAN, null);
        OtaEngine.Prepared prepared = teardownStart(receipt, request, options);
        Path repo = request.contract().toAbsolutePath().getParent();
        StateStore state = StateStore.forRepo(repo);
        List<String> problems = new ArrayList<>();
        for (ServiceRecord record : state.list()) {
            ReceiptBuilder.Step step = receipt.teardown(record.task());
            WorkloadHandle handle = record.handle();
            Backend backend = provider.forHandle(handle);
            try {
                if (record.pid() > 0 && backend.isAlive(handle)) {
                    boolean gone = backend.stop(handle, ActivationEngine.STOP_GRACE);
                    options.log().accept((gone ? "stopped" : "could not stop") + " `" + record.task() + "` (pid "
                            + record.pid() + ")");
                    if (!gone) {
                        problems.add("`" + record.task() + "` (pid " + record.pid() + ")");
                        step.detail("pid " + record.pid() + " still running").finish("STILL RUNNING");
                        continue;
                    }
                    step.detail("stopped pid " + record.pid()).finish("STOPPED");
                } else {
                    options.log().accept("removed stale record of `" + record.task() + "` (pid " + record.pid() + " gone)");
                    step.detail("stale record (pid " + record.pid() + " gone)").finish("REMOVED");
                }
                state.delete(record.task());
            } catch (BackendException | RuntimeException e) {
                problems.add("`" + record.task() + "`: " + e.getMessage());
                step.detail(e.getMessage()).finish("FAILED");
            }
        }
        cleanContainers(receipt, prepared, state, options, problems);
        if (!problems.isEmpty()) {
            String message = "CLEAN FAILED: could not stop " + String.join(", ", problems);
            return finish(receipt.fail(FailureClass.CLEANUP, message), options, FailureClass.CLEANUP, message, Map.of(),
                    List.of(), List.of());
        }
        return finish(receipt.succeed(), options, null, null, Map.of(), List.of(), List.of());
    }

    /**
     * Removes the repo's ota-owned containers, found by labels: the ones the current contract
     * derives and drifted ones (a changed shape or a unit the contract no longer declares).
     */
    private void cleanContainers(ReceiptBuilder receipt, OtaEngine.Prepared prepared, StateStore state, Options options,
            List<String> problems) {
        ContainerInventory inventory = provider.containers();
        if (inventory == null) {
            return;
        }
        boolean declaresContainers = prepared.topology() != null && prepared.topology().shapes().values().stream()
                .anyMatch(shape -> "container".equals(shape.backend()));
        List<ContainerInventory.Owned> owned;
        try {
            owned = inventory.list(state.ownershipIdPreview());
        } catch (BackendException e) {
            if (declaresContainers || hasContainerRecords(state)) {
                problems.add("containers: " + e.getMessage());
                receipt.teardown("containers").detail(e.getMessage()).finish("FAILED");
            }
            return;
        }
        Map<String, String> current = new LinkedHashMap<>();
        if (prepared.topology() != null && prepared.contract() != null) {
            var boundaries = new dev.ota.core.backend.container.ContainerBoundaries(prepared.contract(), prepared.topology(),
                    prepared.plan(), state.ownershipIdPreview());
            for (TaskShape shape : prepared.topology().shapes().values()) {
                if (dev.ota.core.backend.container.ContainerBoundaries.persistent(shape)) {
                    var b = boundaries.of(shape);
                    current.put(b.name(), b.shapeFingerprint());
                }
            }
        }
        for (ContainerInventory.Owned c : owned) {
            boolean persistent = "persistent".equals(c.lifecycle());
            if (!persistent && c.ownerAlive()) {
                options.log().accept("left ephemeral container " + c.name() + " alone: the build that runs it (pid "
                        + c.ownerPid() + ") is still running");
                continue;
            }
            boolean drifted = persistent && (c.shape() == null || !c.shape().equals(current.get(c.name())));
            String kind = persistent ? (drifted ? "drifted persistent" : "persistent") : "orphaned ephemeral";
            ReceiptBuilder.Step step = receipt.step("remove container " + c.name(), ReceiptStep.StageFamily.TEARDOWN);
            try {
                inventory.remove(c.id());
                options.log().accept("removed " + kind + " container " + c.name() + " (" + c.unit() + ", " + c.image() + ")");
                step.detail("removed " + kind + " container " + c.name() + " (" + c.unit() + ")").finish("REMOVED");
                receipt.backendUnit(new Receipt.BackendUnit(c.unit() == null ? "context:?" : c.unit(), c.lifecycle(), c.name(),
                        c.id(), c.image(), "removed", kind, Map.of()));
                deleteContainerRecord(state, c.name());
            } catch (BackendException e) {
                problems.add("container " + c.name() + ": " + e.getMessage());
                step.detail(e.getMessage()).finish("FAILED");
            }
        }
    }

    private static void deleteContainerRecord(StateStore state, String name) {
        try {
            java.nio.file.Files.deleteIfExists(state.root().resolve("containers").resolve(name + ".properties"));
        } catch (IOException ignored) {
            // a leftover record only makes a later creation say "recreated"
        }
    }

    /** The receipt's first {@code policy[]} line: which org policy governed the goal, and how it was found (§D.1). */
    private static void orgPolicy(ReceiptBuilder receipt, OtaEngine.Prepared prepared) {
        if (prepared.policy() != null) {
            receipt.orgPolicy(prepared.policy().displayName(), prepared.policy().source());
        }
    }

    /** Loads the contract (no task) for a teardown goal and fills the receipt's header. */
    private static OtaEngine.Prepared teardownStart(ReceiptBuilder receipt, PlanRequest request, Options options) {
        if (options.maven() != null) {
            receipt.maven(options.maven());
        }
        // the contract alone (no cross-repo checks), under the same org policy as the run (§D.1)
        OtaEngine.Prepared prepared = OtaEngine.prepareAlone(new PlanRequest(request.contract(), request.displayName(), null,
                Map.of(), request.environment(), request.workspace()));
        orgPolicy(receipt, prepared);
        if (prepared.contract() != null) {
            receipt.contract(request.displayName(), prepared.contract());
            receipt.redaction(Redaction.of(prepared.contract().secretEnv()));
        }
        return prepared;
    }

    /** One recorded service and whether it still runs. */
    public record ServiceStatus(ServiceRecord record, boolean alive) {}

    /** The services ota-maven recorded for the repo of {@code contract}. */
    public List<ServiceStatus> status(Path contract) {
        try {
            return statusNow(contract);
        } finally {
            provider.release();
        }
    }

    private List<ServiceStatus> statusNow(Path contract) {
        StateStore state = StateStore.forRepo(contract.toAbsolutePath().getParent());
        List<ServiceStatus> out = new ArrayList<>();
        for (ServiceRecord record : state.list()) {
            out.add(new ServiceStatus(record, record.pid() > 0 && provider.forHandle(record.handle()).isAlive(record.handle())));
        }
        return out;
    }

    /**
     * The ota-owned containers of the repo of {@code contract}; empty when the repo never used
     * containers and no engine answers.
     *
     * @throws BackendException when the repo has containers on record and the engine cannot be reached
     */
    public List<ContainerInventory.Owned> containers(Path contract) throws BackendException {
        ContainerInventory inventory = provider.containers();
        if (inventory == null) {
            return List.of();
        }
        StateStore state = StateStore.forRepo(contract.toAbsolutePath().getParent());
        try {
            return inventory.list(state.ownershipIdPreview());
        } catch (BackendException e) {
            if (!hasContainerRecords(state)) {
                return List.of();
            }
            throw e;
        }
    }

    private static boolean hasContainerRecords(StateStore state) {
        Path dir = state.root().resolve("containers");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(dir)) {
            return files.findAny().isPresent();
        } catch (IOException e) {
            return false;
        }
    }

    /** Container evidence of a run: receipt-level units, the requested task's image and container. */
    private static void recordUnits(ReceiptBuilder receipt, Function<TaskShape, Backend> backends, OtaEngine.Prepared prepared,
            String requested) {
        if (!(backends instanceof Backends all)) {
            return;
        }
        for (BoundaryEvidence e : all.evidence()) {
            receipt.backendUnit(new Receipt.BackendUnit(e.unit(), e.lifecycle(), e.container(), e.containerId(), e.image(),
                    e.reuse(), e.reason(), e.published(), e.provider(), e.target(), e.cwd()));
        }
        TaskShape shape = prepared.topology().shape(requested);
        if (shape != null && "container".equals(shape.backend())) {
            all.apply(shape).boundary().ifPresent(e -> receipt.container(e.image(), e.container()));
        }
        if (shape != null && "remote".equals(shape.backend()) && all.apply(shape) instanceof RemoteBackend remote) {
            RemoteEndpoint ep = remote.endpoint();
            receipt.remote(ep.provider(), remote.resolvedTarget(), ep.cwd());
        }
    }

    /**
     * The reference {@code shared_local_backend} evidence of a task bound to a shared backend: the
     * plan's identity and environment, plus what this run did to the backend unit.
     */
    private static Function<String, ReceiptStep.SharedLocalBackend> shared(OtaEngine.Prepared prepared,
            Function<TaskShape, Backend> backends) {
        return task -> {
            TaskShape shape = prepared.topology() == null ? null : prepared.topology().shape(task);
            if (shape == null || shape.binding() == null) {
                return null;
            }
            Plan.SharedBackendPlan planned = prepared.plan().sharedBackends().get(shape.binding().name());
            if (planned == null || planned.effectiveIdentity() == null) {
                return null;
            }
            ReceiptStep.BackendReuse reuse = null;
            if (backends instanceof Backends all && "container".equals(shape.backend())) {
                reuse = all.apply(shape).boundary().map(BoundaryEvidence::reuse).filter(r -> r != null)
                        .map(r -> ReceiptStep.BackendReuse.valueOf(r.toUpperCase(java.util.Locale.ROOT))).orElse(null);
            }
            return new ReceiptStep.SharedLocalBackend(planned.name(), planned.backend(), planned.lifecycle(), planned.context(),
                    planned.environment(), planned.effectiveIdentity(), reuse);
        };
    }

    /**
     * Activation evidence per target. Targets whose activation was planned but did not complete get
     * {@code unfinished} ({@code failed} or {@code interrupted}); manual and overridden ones say so.
     */
    private static void recordActivations(ReceiptBuilder receipt, Plan plan, List<TargetActivation> activations,
            String requested, ActivationStatus unfinished, Function<String, ReceiptStep.SharedLocalBackend> shared) {
        Plan.TaskPlan requestedPlan = plan.tasks().get(requested);
        for (TargetActivation a : activations) {
            if (a.status() == null || "starting".equals(a.status())) {
                continue;
            }
            ReceiptBuilder.Step step = receipt.activation(a.producer(), a.consumer());
            Plan.TaskPlan consumer = plan.tasks().get(a.consumer());
            Plan.TargetResolution r = consumer == null ? null : consumer.targetResolutions().stream()
                    .filter(x -> x.target().equals(a.target())).findFirst().orElse(null);
            ReceiptStep.ProducerReuse reuse = a.status().startsWith("reused") || a.status().equals("restarted_ready")
                    ? new ReceiptStep.ProducerReuse(a.owned(), a.handle() == null ? null : a.handle().pid(), null, null,
                            a.found())
                    : null;
            ReceiptStep.ProbeEvidence probe = a.readiness() == null ? null : ReceiptStep.ProbeEvidence.of(a.readiness());
            ReceiptStep.Activation activation = new ReceiptStep.Activation(a.mode(), ActivationStatus.of(a.status()),
                    a.producer(), reuse, probe);
            if (r != null && r.effectiveUrl() != null) {
                step.targetResolution(new ReceiptStep.TargetResolution(r.target(), r.overrideInput(), r.source(), activation,
                        ReceiptStep.ServiceRef.of(r.serviceRef()), r.effectiveUrl()));
            }
            if (a.handle() != null && a.handle().logFile() != null) {
                step.logFile(a.handle().logFile().toString());
            }
            ReceiptStep.SharedLocalBackend backend = shared.apply(a.producer());
            if (backend != null) {
                step.sharedLocalBackend(backend);
            }
            step.detail(a.found()).finish(a.status().toUpperCase().replace('_', ' '), a.elapsed());
        }
        if (requestedPlan != null) {
            for (Plan.TargetResolution r : requestedPlan.targetResolutions()) {
                boolean activated = activations.stream().anyMatch(a -> a.consumer().equals(requested)
                        && a.target().equals(r.target()));
                if (!activated && r.effectiveUrl() != null) {
                    ReceiptBuilder.Step step = receipt.step("resolve " + requested + "." + r.target(),
                            ReceiptStep.StageFamily.PREPARE).task(requested);
                    ActivationStatus status = switch (r.activation().status()) {
                        case "skipped_explicit_override" -> ActivationStatus.SKIPPED_EXPLICIT_OVERRIDE;
                        case "planned" -> unfinished;
                        default -> ActivationStatus.MANUAL;
                    };
                    ReceiptStep.Activation activation = status == unfinished
                            ? new ReceiptStep.Activation(r.activation().mode(), status, r.serviceRef().task(), null, null)
                            : new ReceiptStep.Activation(r.activation().mode(), status);
                    step.targetResolution(new ReceiptStep.TargetResolution(r.target(), r.overrideInput(), r.source(),
                            activation, ReceiptStep.ServiceRef.of(r.serviceRef()), r.effectiveUrl()));
                    step.finish(status == unfinished ? unfinished.word().toUpperCase() : "RESOLVED");
                }
            }
        }
    }

    private static void recordExecution(ReceiptBuilder receipt, TaskExecution x, String requested,
            Function<String, ReceiptStep.SharedLocalBackend> shared) {
        ReceiptStep.ExecutionRelation relation = x.relation().equals("requested") ? ReceiptStep.ExecutionRelation.REQUESTED
                : ReceiptStep.ExecutionRelation.DEPENDS_ON;
        ReceiptBuilder.Step step = receipt.task(x.task(), relation, relation == ReceiptStep.ExecutionRelation.REQUESTED
                ? null : requested);
        ReceiptStep.SharedLocalBackend backend = shared.apply(x.task());
        if (backend != null) {
            step.sharedLocalBackend(backend);
        }
        step.exitCode(x.exitCode()).detail(x.command()).finish(x.succeeded() ? "DONE" : "FAILED", x.elapsed());
    }

    private Result finish(Receipt receipt, Options options, FailureClass failure, String message, Map<String, String> targets,
            List<TargetActivation> activations, List<TargetActivation> started) {
        Path file = null;
        try {
            file = new ReceiptWriter(options.outputDir()).write(receipt);
            options.log().accept("receipt: " + file);
        } catch (IOException e) {
            options.log().accept("could not write the receipt under " + options.outputDir() + ": " + e.getMessage());
        }
        return new Result(receipt, file, failure, receipt.exitCode(), message, targets, activations, started);
    }

    /** {@code target/ota/targets.properties}: {@code ota.target.<target>} and {@code ota.target.<task>.<target>}. */
    public static Map<String, String> targetProperties(String task, Map<String, String> targets) {
        Map<String, String> out = new LinkedHashMap<>();
        targets.forEach((target, url) -> {
            if (url != null) {
                out.put("ota.target." + target, url);
                out.put("ota.target." + task + "." + target, url);
            }
        });
        return out;
    }

    private static void writeTargets(Path outputDir, String task, Map<String, String> targets) {
        Properties props = new Properties();
        props.putAll(targetProperties(task, targets));
        try {
            java.io.StringWriter text = new java.io.StringWriter();
            props.store(text, "targets of task " + task + " resolved by ota:activate");
            dev.ota.core.io.AtomicFiles.write(outputDir.resolve("targets.properties"),
                    text.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
