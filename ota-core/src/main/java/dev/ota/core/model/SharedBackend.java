package dev.ota.core.model;

/** {@code execution.shared_backends.<name>}: an explicit boundary that ota owns. */
public record SharedBackend(
        String name,
        String scope,
        String backend,
        String lifecycle,
        String context,
        String fulfillment,
        BackendEnvironment environment,
        Site site) {

    /** Fulfillment mode in effect ({@code none} when undeclared). */
    public String effectiveFulfillment() {
        return fulfillment == null ? "none" : fulfillment;
    }

    /**
     * {@code environment:} intent. All fields null with {@code declared == true} is
     * {@code environment: {}} (use the policy's default profile).
     */
    public record BackendEnvironment(String profile, String imageAlias, String image, String source, Site site) {

        public boolean isEmptyIntent() {
            return profile == null && imageAlias == null && image == null;
        }
    }
}
