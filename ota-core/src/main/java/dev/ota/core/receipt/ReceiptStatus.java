package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The overall status label of a receipt (reference vocabulary: upper case, {@code <X> FAILED} for
 * failures). Successful receipts say {@code READY} ({@code run}, {@code activate}),
 * {@code DEACTIVATED} or {@code CLEANED}; each failure class has exactly one status.
 */
public enum ReceiptStatus {
    READY("READY", null),
    DEACTIVATED("DEACTIVATED", null),
    CLEANED("CLEANED", null),
    INVALID_CONTRACT("INVALID CONTRACT", FailureClass.CONTRACT),
    POLICY_REFUSED("POLICY REFUSED", FailureClass.POLICY),
    FULFILLMENT_FAILED("FULFILLMENT FAILED", FailureClass.FULFILLMENT),
    ACTIVATION_FAILED("ACTIVATION FAILED", FailureClass.ACTIVATION),
    TASK_FAILED("TASK FAILED", FailureClass.TASK),
    INTERRUPTED("INTERRUPTED", FailureClass.INTERRUPTED),
    CLEAN_FAILED("CLEAN FAILED", FailureClass.CLEANUP);

    private final String label;
    private final FailureClass failureClass;

    ReceiptStatus(String label, FailureClass failureClass) {
        this.label = label;
        this.failureClass = failureClass;
    }

    @JsonValue
    public String label() {
        return label;
    }

    /** Null for the successful statuses. */
    public FailureClass failureClass() {
        return failureClass;
    }

    public boolean ok() {
        return failureClass == null;
    }

    public static ReceiptStatus of(String label) {
        for (ReceiptStatus s : values()) {
            if (s.label.equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown receipt status `" + label + "`");
    }
}
