package dev.ota.core.receipt;

import dev.ota.core.model.Contract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Collects a receipt while a goal runs: open steps as the engine reaches them, fill them in, and
 * end with exactly one of {@link #succeed()}, {@link #fail}, {@link #taskFailed} or
 * {@link #interrupted}. Timestamps come from the clock (millisecond precision); steps still open
 * when the receipt ends are closed as {@link ReceiptStep#INTERRUPTED} (interrupt) or
 * {@link ReceiptStep#UNFINISHED}. Secrets are masked by the {@link Redaction} given to
 * {@link #redaction}. Thread-safe, so parallel activations can each fill their own step.
 *
 * <pre>{@code
 * ReceiptBuilder b = ReceiptBuilder.start(Goal.RUN, "sandbox")
 *         .contract("ota.yaml", ContractIdentity.of(contract))
 *         .execution("native", "app", "persistent")
 *         .redaction(Redaction.of(secretNames));
 * ReceiptBuilder.Step dev = b.activation("dev", "sandbox");
 * ... start, wait ...
 * dev.logFile(log).finish(ReceiptStep.READY);
 * ReceiptBuilder.Step main = b.task("sandbox", ExecutionRelation.REQUESTED, null)
 *         .targetResolution(resolution);
 * ... run ...
 * main.exitCode(0).finish(ReceiptStep.READY);
 * Receipt receipt = b.succeed();
 * }</pre>
 */
public final class ReceiptBuilder {

    private final Clock clock;
    private final Goal goal;
    private final String task;
    private final Instant startedAt;
    private final List<Step> steps = new ArrayList<>();
    private final List<Receipt.Finding> findings = new ArrayList<>();
    private final List<String> nextSteps = new ArrayList<>();
    private String path;
    private String contract;
    private Receipt.ContractIdentity identity;
    private String backend;
    private String context;
    private String lifecycle;
    private String image;
    private String target;
    private String provider;
    private String remoteCwd;
    private final List<Receipt.BackendUnit> backendUnits = new ArrayList<>();
    private Map<String, String> inputs = Map.of();
    private Map<String, String> env = Map.of();
    private final List<String> policy = new ArrayList<>();
    private Receipt.Maven maven;
    private Redaction redaction = Redaction.none();
    private String failedTask;
    private Receipt result;

    private ReceiptBuilder(Goal goal, String task, Clock clock) {
        this.goal = Objects.requireNonNull(goal, "goal");
        this.task = task;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = now();
    }

    public static ReceiptBuilder start(Goal goal, String task) {
        return new ReceiptBuilder(goal, task, Clock.systemUTC());
    }

    /** Starts now by the given clock (tests pass a controllable one). */
    public static ReceiptBuilder start(Goal goal, String task, Clock clock) {
        return new ReceiptBuilder(goal, task, clock);
    }

    // ---- receipt-level facts ------------------------------------------------------------------

    /** The contract as the user named it ({@code path} and {@code contract}) and its identity. */
    public synchronized ReceiptBuilder contract(String contractPath, Receipt.ContractIdentity identity) {
        this.path = contractPath;
        this.contract = contractPath;
        this.identity = identity;
        return this;
    }

    /** The loaded contract, named as the user named it. */
    public ReceiptBuilder contract(String contractPath, Contract loaded) {
        return contract(contractPath, Receipt.ContractIdentity.of(loaded));
    }

    /** Effective backend, context and lifecycle of the requested task. */
    public synchronized ReceiptBuilder execution(String backend, String context, String lifecycle) {
        this.backend = backend;
        this.context = context;
        this.lifecycle = lifecycle;
        return this;
    }

    /** The remote boundary the requested task ran on: provider, resolved target, declared cwd. */
    public synchronized ReceiptBuilder remote(String provider, String target, String cwd) {
        this.provider = provider;
        this.target = target;
        this.remoteCwd = cwd;
        return this;
    }

    /** The effective image and container name of the requested task's container. */
    public synchronized ReceiptBuilder container(String image, String target) {
        this.image = image;
        this.target = target;
        return this;
    }

    /** A container this goal used or removed. */
    public synchronized ReceiptBuilder backendUnit(Receipt.BackendUnit unit) {
        backendUnits.removeIf(u -> u.container() != null && u.container().equals(unit.container()));
        backendUnits.add(unit);
        return this;
    }

    /** Task input values as the task saw them (secret ones are masked on build). */
    public synchronized ReceiptBuilder inputs(Map<String, String> inputs) {
        this.inputs = inputs == null ? Map.of() : Map.copyOf(inputs);
        return this;
    }

    /** Env ota added for the requested task (secret ones are masked on build). */
    public synchronized ReceiptBuilder env(Map<String, String> env) {
        this.env = env == null ? Map.of() : Map.copyOf(env);
        return this;
    }

    /**
     * Names the org policy that governed the goal: {@code org policy: <path> (<source>)}, the
     * first {@code policy[]} line. Null (no policy) adds nothing.
     */
    public synchronized ReceiptBuilder orgPolicy(String path, String source) {
        if (path != null) {
            policy.add(0, "org policy: " + path + " (" + source + ")");
        }
        return this;
    }

    public synchronized ReceiptBuilder maven(Receipt.Maven maven) {
        this.maven = maven;
        return this;
    }

    public synchronized ReceiptBuilder redaction(Redaction redaction) {
        this.redaction = redaction == null ? Redaction.none() : redaction;
        return this;
    }

    public synchronized ReceiptBuilder finding(Receipt.Level level, String message, Integer step) {
        findings.add(new Receipt.Finding(level, message, step));
        return this;
    }

    public ReceiptBuilder warn(String message) {
        return finding(Receipt.Level.WARNING, message, null);
    }

    public ReceiptBuilder info(String message) {
        return finding(Receipt.Level.INFO, message, null);
    }

    public ReceiptBuilder error(String message) {
        return finding(Receipt.Level.ERROR, message, null);
    }

    /** A safe follow-up, in order. */
    public synchronized ReceiptBuilder nextStep(String line) {
        nextSteps.add(Objects.requireNonNull(line, "line"));
        return this;
    }

    // ---- steps --------------------------------------------------------------------------------

    /** Opens the next step (order = number of steps so far + 1), started now. */
    public synchronized Step step(String label, ReceiptStep.StageFamily family) {
        ensureOpen();
        Step step = new Step(steps.size() + 1, label, family, now());
        steps.add(step);
        return step;
    }

    /** Opens the activation step of a producer, on behalf of a consumer task. */
    public Step activation(String producer, String consumer) {
        return step("activate " + producer, ReceiptStep.StageFamily.SETUP)
                .task(producer)
                .relation(ReceiptStep.ExecutionRelation.ACTIVATION)
                .parent(consumer);
    }

    /** Opens the step of a task body: the requested task or a {@code depends_on} of {@code parent}. */
    public Step task(String taskName, ReceiptStep.ExecutionRelation relation, String parent) {
        return step(taskName, ReceiptStep.StageFamily.VERIFY).task(taskName).relation(relation).parent(parent);
    }

    /** Opens a teardown step (deactivate, clean) for a producer. */
    public Step teardown(String producer) {
        return step("stop " + producer, ReceiptStep.StageFamily.TEARDOWN).task(producer);
    }

    // ---- endings ------------------------------------------------------------------------------

    /** Ends successfully: {@code READY}, {@code DEACTIVATED} or {@code CLEANED} by goal, exit code 0. */
    public synchronized Receipt succeed() {
        return finish(goal.okStatus(), 0, null, null, ReceiptStep.UNFINISHED);
    }

    /**
     * Ends with a failure of a class other than {@link FailureClass#TASK}, with its default exit
     * code (1; 130 for an interrupt).
     *
     * @param error the first line of the build failure
     */
    public synchronized Receipt fail(FailureClass failureClass, String error) {
        return fail(failureClass, failureClass.defaultExitCode(), error);
    }

    /** Ends with a failure and an explicit exit code (≥ 1). */
    public synchronized Receipt fail(FailureClass failureClass, int exitCode, String error) {
        if (exitCode == 0) {
            throw new IllegalArgumentException("a failure cannot exit with 0");
        }
        String open = failureClass == FailureClass.INTERRUPTED ? ReceiptStep.INTERRUPTED : ReceiptStep.UNFINISHED;
        return finish(failureClass.status(), exitCode, Objects.requireNonNull(error, "error"), failureClass, open);
    }

    /** Ends because a task body exited non-zero; the build exits with the task's code. */
    public synchronized Receipt taskFailed(String failedTask, int exitCode, String error) {
        this.failedTask = failedTask;
        return fail(FailureClass.TASK, exitCode, error);
    }

    /** Ends because of an interrupt by signal {@code signal} (exit code 128 + signal; SIGINT is 2). */
    public synchronized Receipt interrupted(int signal, String error) {
        return fail(FailureClass.INTERRUPTED, 128 + signal, error);
    }

    /** Ends because of a Ctrl-C (SIGINT, exit code 130). */
    public Receipt interrupted(String error) {
        return interrupted(2, error);
    }

    private Receipt finish(ReceiptStatus status, int exitCode, String error, FailureClass failureClass,
            String openStepStatus) {
        ensureOpen();
        Instant finishedAt = now();
        List<ReceiptStep> built = new ArrayList<>();
        for (Step s : steps) {
            built.add(s.build(openStepStatus, finishedAt));
        }
        List<Receipt.Finding> allFindings = new ArrayList<>(findings);
        List<String> next = new ArrayList<>(nextSteps);
        if (failureClass != null) {
            if (allFindings.stream().noneMatch(f -> f.severity() == Receipt.Level.ERROR)) {
                allFindings.add(new Receipt.Finding(Receipt.Level.ERROR, error, null));
            }
            if (next.isEmpty()) {
                next.add(failureClass.defaultNextStep());
            }
        }
        Receipt receipt = new Receipt(Receipt.SCHEMA, status.ok(), status, failureClass, goal, task,
                path == null ? "ota.yaml" : path, Receipt.SCOPE_REPO, contract == null ? "ota.yaml" : contract,
                identity, backend, context, lifecycle, image, target, provider, remoteCwd, backendUnits, startedAt, finishedAt, millis(startedAt, finishedAt), exitCode,
                error, failureClass == FailureClass.TASK ? failedTask : null, inputs, env, policy, built, allFindings, null,
                next, maven);
        result = redaction.apply(receipt);
        return result;
    }

    private void ensureOpen() {
        if (result != null) {
            throw new IllegalStateException("the receipt is already finished");
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static long millis(Instant from, Instant to) {
        return Math.max(0, Duration.between(from, to).toMillis());
    }

    /** One step being filled in. All setters return this step; {@link #finish} closes it. */
    public final class Step {
        private final int order;
        private final String label;
        private final ReceiptStep.StageFamily family;
        private Instant startedAt;
        private final List<ReceiptStep.TargetResolution> resolutions = new ArrayList<>();
        private String task;
        private ReceiptStep.ExecutionRelation relation;
        private String parent;
        private Integer exitCode;
        private String detail;
        private ReceiptStep.SharedLocalBackend sharedLocalBackend;
        private ReceiptStep.BackendFulfillment fulfillment;
        private String logFile;
        private List<String> logTail = List.of();
        private String status;
        private Instant finishedAt;

        private Step(int order, String label, ReceiptStep.StageFamily family, Instant startedAt) {
            this.order = order;
            this.label = Objects.requireNonNull(label, "label");
            this.family = Objects.requireNonNull(family, "family");
            this.startedAt = startedAt;
        }

        public int order() {
            return order;
        }

        public Step task(String task) {
            synchronized (ReceiptBuilder.this) {
                this.task = task;
                return this;
            }
        }

        public Step relation(ReceiptStep.ExecutionRelation relation) {
            synchronized (ReceiptBuilder.this) {
                this.relation = relation;
                return this;
            }
        }

        public Step parent(String parent) {
            synchronized (ReceiptBuilder.this) {
                this.parent = parent;
                return this;
            }
        }

        public Step exitCode(int exitCode) {
            synchronized (ReceiptBuilder.this) {
                this.exitCode = exitCode;
                return this;
            }
        }

        public Step detail(String detail) {
            synchronized (ReceiptBuilder.this) {
                this.detail = detail;
                return this;
            }
        }

        public Step targetResolution(ReceiptStep.TargetResolution resolution) {
            synchronized (ReceiptBuilder.this) {
                resolutions.add(Objects.requireNonNull(resolution, "resolution"));
                return this;
            }
        }

        /** Replaces the resolution of {@code target} (e.g. once its activation finished), or adds it. */
        public Step replaceTargetResolution(ReceiptStep.TargetResolution resolution) {
            synchronized (ReceiptBuilder.this) {
                resolutions.removeIf(r -> r.target().equals(resolution.target()));
                resolutions.add(resolution);
                return this;
            }
        }

        public Step sharedLocalBackend(ReceiptStep.SharedLocalBackend backend) {
            synchronized (ReceiptBuilder.this) {
                this.sharedLocalBackend = backend;
                return this;
            }
        }

        public Step backendFulfillment(ReceiptStep.BackendFulfillment fulfillment) {
            synchronized (ReceiptBuilder.this) {
                this.fulfillment = fulfillment;
                return this;
            }
        }

        public Step logFile(String logFile) {
            synchronized (ReceiptBuilder.this) {
                this.logFile = logFile;
                return this;
            }
        }

        /** The last lines of the log (only the last {@value ReceiptStep#MAX_LOG_TAIL} are kept). */
        public Step logTail(List<String> lines) {
            synchronized (ReceiptBuilder.this) {
                this.logTail = lines == null ? List.of() : List.copyOf(lines);
                return this;
            }
        }

        /** Adds a finding about this step. */
        public Step finding(Receipt.Level level, String message) {
            ReceiptBuilder.this.finding(level, message, order);
            return this;
        }

        /** Closes the step now with this status (elapsed time measured from its start). */
        /**
         * Finishes a step recorded after the fact (work that ran in parallel), with the time it
         * really took: it started {@code elapsed} before now.
         */
        public ReceiptBuilder finish(String status, Duration elapsed) {
            synchronized (ReceiptBuilder.this) {
                ReceiptBuilder result = finish(status);
                this.startedAt = this.finishedAt.minus(elapsed);
                return result;
            }
        }

        public ReceiptBuilder finish(String status) {
            synchronized (ReceiptBuilder.this) {
                ensureOpen();
                if (this.status != null) {
                    throw new IllegalStateException("step " + order + " (" + label + ") is already finished");
                }
                this.status = Objects.requireNonNull(status, "status");
                this.finishedAt = now();
                return ReceiptBuilder.this;
            }
        }

        public boolean finished() {
            synchronized (ReceiptBuilder.this) {
                return status != null;
            }
        }

        private ReceiptStep build(String openStatus, Instant receiptEnd) {
            String s = status == null ? openStatus : status;
            Instant end = finishedAt == null ? receiptEnd : finishedAt;
            return new ReceiptStep(order, label, family, s, task, relation, parent, exitCode, detail, resolutions,
                    sharedLocalBackend, fulfillment, logFile, logTail,
                    new ReceiptStep.Timings(startedAt, millis(startedAt, end)));
        }
    }
}
