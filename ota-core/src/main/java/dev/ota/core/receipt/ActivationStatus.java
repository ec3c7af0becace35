package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;

/**
 * The evidence word of one target activation ({@code target_resolutions[].activation.status}):
 * {@code <what ota did>_<what it waited for>}. {@link #FAILED} and {@link #INTERRUPTED} are
 * ota-maven additions for activations that did not reach their goal.
 */
public enum ActivationStatus {
    /** Mode {@code manual}: the target was resolved only. */
    MANUAL,
    /** An explicit override input won; the producer was not touched. */
    SKIPPED_EXPLICIT_OVERRIDE,
    STARTED_STARTED,
    REUSED_STARTED,
    STARTED_RUNNING,
    REUSED_RUNNING,
    STARTED_READY,
    REUSED_READY,
    RESTARTED_READY,
    /** The activation failed (the step's detail says why). */
    FAILED,
    /** The build was interrupted while activating. */
    INTERRUPTED;

    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True for the words that report a producer found already serving. */
    public boolean reused() {
        return this == REUSED_STARTED || this == REUSED_RUNNING || this == REUSED_READY;
    }

    /** True for the words that report a producer this run started (and must stop on failure). */
    public boolean startedByThisRun() {
        return this == STARTED_STARTED || this == STARTED_RUNNING || this == STARTED_READY
                || this == RESTARTED_READY;
    }

    /** The success words an activation mode can produce (skip, failure and interrupt aside). */
    public static List<ActivationStatus> forMode(String mode) {
        return switch (mode) {
            case "manual" -> List.of(MANUAL);
            case "ensure_started" -> List.of(STARTED_STARTED, REUSED_STARTED);
            case "ensure_running" -> List.of(STARTED_RUNNING, REUSED_RUNNING);
            case "ensure_ready" -> List.of(STARTED_READY, REUSED_READY);
            case "restart_ready" -> List.of(RESTARTED_READY, STARTED_READY);
            default -> throw new IllegalArgumentException("unknown activation mode `" + mode + "`");
        };
    }

    public static ActivationStatus of(String word) {
        for (ActivationStatus s : values()) {
            if (s.word().equals(word)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown activation status `" + word + "`");
    }
}
