package dev.ota.core.activate;

import java.util.List;

/**
 * Activation failed. The message says which producer, why, and what to do; {@code report} holds
 * what had happened up to the failure (and what was rolled back).
 */
public class ActivationException extends Exception {

    private final transient List<TargetActivation> report;

    public ActivationException(String message, List<TargetActivation> report) {
        super(message);
        this.report = List.copyOf(report);
    }

    public List<TargetActivation> report() {
        return report;
    }
}
