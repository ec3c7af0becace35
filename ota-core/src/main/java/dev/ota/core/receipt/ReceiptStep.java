package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ota.core.plan.Plan;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.WaitOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * One entry of {@code receipt.steps[]} (reference fields of receipts-policy-workspace.md §A.4 plus
 * the per-step evidence {@code target_resolutions}, {@code shared_local_backend} and
 * {@code backend_fulfillment}); ota-maven adds {@code timings}, {@code log_file} and
 * {@code log_tail}.
 *
 * @param order 1-based position
 * @param label what the step was, e.g. {@code sandbox} or {@code activate dev}
 * @param status an upper-case label ({@link #READY}, {@link #TASK_FAILED}, ...)
 * @param task the task the step ran, activated or stopped
 * @param executionRelation why the step ran; null for teardown steps
 * @param executionParent the task that caused this one (the consumer of an activation, the task
 *     that depends on a {@code depends_on} task)
 * @param exitCode the exit code of the task body, when one ran
 * @param logFile the producer's log file (activation and teardown steps)
 * @param logTail the last lines of that log (at most 20), when the step failed
 */
public record ReceiptStep(
        int order,
        String label,
        StageFamily stageFamily,
        String status,
        String task,
        ExecutionRelation executionRelation,
        String executionParent,
        Integer exitCode,
        String detail,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<TargetResolution> targetResolutions,
        SharedLocalBackend sharedLocalBackend,
        BackendFulfillment backendFulfillment,
        String logFile,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> logTail,
        Timings timings) {

    public static final String READY = "READY";
    public static final String STARTED = "STARTED";
    public static final String RUNNING = "RUNNING";
    public static final String TASK_FAILED = "TASK FAILED";
    public static final String ACTIVATION_FAILED = "ACTIVATION FAILED";
    public static final String NOT_RUN = "NOT RUN";
    public static final String INTERRUPTED = "INTERRUPTED";
    public static final String STOPPED = "STOPPED";
    public static final String LEFT_RUNNING = "LEFT RUNNING";
    public static final String STOP_FAILED = "STOP FAILED";
    public static final String FORGOTTEN = "FORGOTTEN";
    /** Status given to a step that never finished because the receipt ended first. */
    public static final String UNFINISHED = "UNFINISHED";
    public static final int MAX_LOG_TAIL = 20;

    public ReceiptStep {
        if (order < 1) {
            throw new IllegalArgumentException("order must be >= 1: " + order);
        }
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(stageFamily, "stageFamily");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(timings, "timings");
        targetResolutions = targetResolutions == null ? List.of() : List.copyOf(targetResolutions);
        logTail = logTail == null ? List.of()
                : List.copyOf(logTail.subList(Math.max(0, logTail.size() - MAX_LOG_TAIL), logTail.size()));
    }

    /** Reference {@code stage_family}; {@code teardown} (deactivate, clean) is an ota-maven addition. */
    public enum StageFamily {
        PREPARE,
        SETUP,
        VERIFY,
        PROOF,
        RECEIPT,
        TEARDOWN;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Why a step ran: the requested task, one of its {@code depends_on}, or a producer activation. */
    public enum ExecutionRelation {
        REQUESTED,
        DEPENDS_ON,
        ACTIVATION;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Reference {@code shared_local_backend.reuse}. */
    public enum BackendReuse {
        CREATED,
        REUSED,
        RECREATED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How one target of the step's task resolved (reference {@code TaskTargetResolutionEvidence}).
     *
     * @param overrideInput the task input acting as override channel, if any
     * @param source {@code explicit_override}, {@code target_binding} or
     *     {@code compatibility_literal_default}
     * @param activation null for a {@code url} target
     * @param serviceRef null for a {@code url} target
     * @param effectiveUrl the value actually handed to the task ({@code ***} when it came from a
     *     secret input)
     */
    public record TargetResolution(
            String target,
            String overrideInput,
            String source,
            Activation activation,
            ServiceRef serviceRef,
            String effectiveUrl) {

        public static final String EXPLICIT_OVERRIDE = "explicit_override";
        public static final String TARGET_BINDING = "target_binding";
        public static final String COMPATIBILITY_LITERAL_DEFAULT = "compatibility_literal_default";

        public TargetResolution {
            Objects.requireNonNull(target, "target");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(effectiveUrl, "effectiveUrl");
        }

        /** Whether the value came from a task input (the override itself or the input's literal default). */
        public boolean fromInput() {
            return overrideInput != null
                    && (EXPLICIT_OVERRIDE.equals(source) || COMPATIBILITY_LITERAL_DEFAULT.equals(source));
        }

        public TargetResolution withEffectiveUrl(String url) {
            return new TargetResolution(target, overrideInput, source, activation, serviceRef, url);
        }

        public TargetResolution withActivation(Activation a) {
            return new TargetResolution(target, overrideInput, source, a, serviceRef, effectiveUrl);
        }
    }

    /** @param addressView {@code topology}, {@code host} or {@code internal} */
    public record ServiceRef(String task, String listener, String addressView, String repo, String member) {

        public ServiceRef {
            Objects.requireNonNull(task, "task");
            Objects.requireNonNull(addressView, "addressView");
        }

        public ServiceRef(String task, String listener, String addressView) {
            this(task, listener, addressView, null, null);
        }

        public static ServiceRef of(Plan.ServiceRefView view) {
            return view == null ? null
                    : new ServiceRef(view.task(), view.listener(), view.addressView(), view.repo(), view.member());
        }
    }

    /**
     * Activation evidence of one target.
     *
     * @param mode the declared {@code activation.mode}
     * @param producer the producer task
     * @param reuse what was found already serving ({@code reused_*}; for {@code restarted_ready} what
     *     was replaced)
     * @param probe the readiness or reachability wait, when there was one
     */
    public record Activation(String mode, ActivationStatus status, String producer, ProducerReuse reuse,
            ProbeEvidence probe) {

        public Activation {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(status, "status");
        }

        public Activation(String mode, ActivationStatus status) {
            this(mode, status, null, null, null);
        }
    }

    /**
     * A producer found serving before this run (ota-maven addition).
     *
     * @param owned whether ota started it (a record in {@code .ota/state/} matches); false when the
     *     port is held by a process ota did not start
     * @param startedBy the build that started it, when owned
     */
    public record ProducerReuse(boolean owned, Long pid, String startedBy, Instant startedAt, String detail) {}

    /**
     * How a readiness or reachability wait went (ota-maven addition).
     *
     * @param kind {@code tcp} or {@code http}
     * @param label what was probed, e.g. {@code dev.http}
     * @param endpoint how it was probed, e.g. {@code http GET http://127.0.0.1:8080/health}
     * @param last what the last attempt saw ({@code connection refused}, {@code HTTP 503}, ...)
     * @param result {@code ready}, {@code exhausted}, {@code exited} or {@code interrupted}
     * @param exitCode the producer's exit code when {@code result} is {@code exited}
     * @param retries the attempt budget; with the interval, timeout and start period it is the
     *     declared readiness budget the wait was given
     */
    public record ProbeEvidence(
            String kind,
            String label,
            String endpoint,
            int attempts,
            long elapsedMs,
            String last,
            String result,
            Integer exitCode,
            Integer retries,
            Long intervalMs,
            Long timeoutMs,
            Long startPeriodMs) {

        public ProbeEvidence {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(result, "result");
        }

        /** Evidence of a finished wait, with the budget its spec gave it. */
        public static ProbeEvidence of(WaitOutcome outcome) {
            ProbeSpec spec = outcome.spec();
            return new ProbeEvidence(spec.kind(), spec.label(), spec.target(), outcome.attempts(),
                    outcome.elapsed().toMillis(), outcome.lastDetail(), outcome.result(), outcome.exitCode(),
                    spec.maxAttempts(), spec.interval().toMillis(), spec.timeout().toMillis(),
                    spec.startPeriod().toMillis());
        }

        public ProbeEvidence withText(UnaryOperator<String> scrub) {
            return new ProbeEvidence(kind, label, scrub.apply(endpoint), attempts, elapsedMs, scrub.apply(last), result,
                    exitCode, retries, intervalMs, timeoutMs, startPeriodMs);
        }
    }

    /**
     * Reference {@code shared_local_backend}: the declared backend binding the step ran in.
     *
     * @param environment declared versus effective environment (container backends)
     * @param effectiveIdentity the deterministic effective backend identity
     */
    public record SharedLocalBackend(
            String name,
            String backend,
            String lifecycle,
            String context,
            Plan.EnvironmentEvidence environment,
            String effectiveIdentity,
            BackendReuse reuse) {

        public SharedLocalBackend {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(lifecycle, "lifecycle");
            Objects.requireNonNull(effectiveIdentity, "effectiveIdentity");
        }
    }

    /**
     * Reference {@code backend_fulfillment}.
     *
     * @param mode {@code none} or {@code run}
     * @param result {@code requirements_satisfied}, {@code fulfilled}, {@code missing_requirements}
     *     or {@code failed}
     */
    public record BackendFulfillment(
            String backendUnit,
            String backend,
            String mode,
            Map<String, String> declaredRuntimes,
            Map<String, String> declaredTools,
            List<String> missing,
            List<String> actions,
            String result,
            boolean taskExecuted) {

        public BackendFulfillment {
            Objects.requireNonNull(backendUnit, "backendUnit");
            Objects.requireNonNull(backend, "backend");
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(result, "result");
            declaredRuntimes = Receipt.sorted(declaredRuntimes);
            declaredTools = Receipt.sorted(declaredTools);
            missing = missing == null ? List.of() : List.copyOf(missing);
            actions = actions == null ? List.of() : List.copyOf(actions);
        }
    }

    /** When the step started and how long it took (ota-maven addition). */
    public record Timings(Instant startedAt, long elapsedMs) {
        public Timings {
            Objects.requireNonNull(startedAt, "startedAt");
        }
    }
}
