package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Which class of failure ended a run. Each class has its own receipt status and build-failure
 * message; only a task failure carries the child's exit code, an interrupt carries 128+signal,
 * every other class exits with 1 (receipts-policy-workspace.md §C).
 */
public enum FailureClass {
    /** The contract did not load or validate. */
    CONTRACT("fix the contract errors above, then check it with `mvn ota:validate`"),
    /** The org policy refused what the contract asked for. */
    POLICY("change the contract or the org policy (.ota/org-policy.yaml) so that the policy allows it"),
    /** The backend could not be provisioned with the declared requirements. */
    FULFILLMENT("install the missing requirements or allow run-path fulfillment, then run again"),
    /** A producer service could not be started, reused or made ready. */
    ACTIVATION("check the producer's log under .ota/state/logs/ and its readiness declaration, then run again"),
    /** A task body (the requested task or one of its depends_on) exited non-zero. */
    TASK("read the task output above; the task's exit code is the build's result"),
    /** The build was interrupted (Ctrl-C or a signal); producers this run started were stopped. */
    INTERRUPTED("run again; producers started by the interrupted run were stopped, reused ones keep running"),
    /** {@code ota:clean} could not stop or forget what it should have (ota-maven addition). */
    CLEANUP("stop the listed processes by hand, then run `mvn ota:clean` again");

    /** Exit code of an interrupt by SIGINT (128 + 2). */
    public static final int SIGINT_EXIT_CODE = 130;

    private final String defaultNextStep;

    FailureClass(String defaultNextStep) {
        this.defaultNextStep = defaultNextStep;
    }

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The receipt status of this failure class. */
    public ReceiptStatus status() {
        return switch (this) {
            case CONTRACT -> ReceiptStatus.INVALID_CONTRACT;
            case POLICY -> ReceiptStatus.POLICY_REFUSED;
            case FULFILLMENT -> ReceiptStatus.FULFILLMENT_FAILED;
            case ACTIVATION -> ReceiptStatus.ACTIVATION_FAILED;
            case TASK -> ReceiptStatus.TASK_FAILED;
            case INTERRUPTED -> ReceiptStatus.INTERRUPTED;
            case CLEANUP -> ReceiptStatus.CLEAN_FAILED;
        };
    }

    /**
     * The exit code of this class when no child exit code applies: 1, or 130 for an interrupt.
     * A task failure has no default (its code is the child's).
     */
    public int defaultExitCode() {
        if (this == TASK) {
            throw new IllegalStateException("a task failure exits with the task's own exit code");
        }
        return this == INTERRUPTED ? SIGINT_EXIT_CODE : 1;
    }

    /** What to do next, when the engine has nothing more specific to say. */
    public String defaultNextStep() {
        return defaultNextStep;
    }

    public static FailureClass of(String word) {
        for (FailureClass c : values()) {
            if (c.word().equals(word)) {
                return c;
            }
        }
        throw new IllegalArgumentException("unknown failure class `" + word + "`");
    }
}
