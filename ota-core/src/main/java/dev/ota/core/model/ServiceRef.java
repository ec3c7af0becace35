package dev.ota.core.model;

/**
 * {@code targets.<t>.service}: the producer a target points at, by identity.
 *
 * @param addressView the declared view, or null when omitted (the default is {@code topology})
 */
public record ServiceRef(String task, String listener, String addressView, String member, String repo, Site site) {

    public static final String DEFAULT_VIEW = "topology";

    public String effectiveView() {
        return addressView == null ? DEFAULT_VIEW : addressView;
    }

    public boolean crossRepo() {
        return repo != null;
    }

    public boolean crossMember() {
        return member != null;
    }
}
