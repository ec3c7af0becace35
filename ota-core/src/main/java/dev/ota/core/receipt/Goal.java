package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The Maven goal a receipt records; each writes {@code target/ota/receipts/<timestamp>-<goal>-<task>.json}. */
public enum Goal {
    RUN,
    ACTIVATE,
    DEACTIVATE,
    CLEAN,
    FULFILL;

    /** The goal as written in JSON and file names: {@code run}, {@code activate}, ... */
    @JsonValue
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of a successful receipt of this goal. */
    public ReceiptStatus okStatus() {
        return switch (this) {
            case RUN, ACTIVATE -> ReceiptStatus.READY;
            case DEACTIVATE -> ReceiptStatus.DEACTIVATED;
            case CLEAN -> ReceiptStatus.CLEANED;
            case FULFILL -> ReceiptStatus.READY;
        };
    }

    public static Goal of(String word) {
        for (Goal g : values()) {
            if (g.word().equals(word)) {
                return g;
            }
        }
        throw new IllegalArgumentException("unknown goal `" + word + "`");
    }
}
