package dev.ota.core.model;

/**
 * {@code tasks.<t>.targets.<name>}: exactly one of {@code service} and {@code url}.
 *
 * @param activationMode declared mode, or null (the default is {@code manual})
 */
public record Target(
        String name, ServiceRef service, String url, String overrideInput, String activationMode, Site site) {

    public static final String MANUAL = "manual";

    public String effectiveActivation() {
        return activationMode == null ? MANUAL : activationMode;
    }
}
