package dev.ota.core.model;

/**
 * A runtime listener in its full form; the {@code http: 8080} / {@code tcp: 5432} shorthand is
 * expanded on load ({@code shorthand} remembers that).
 */
public record Listener(String name, String protocol, Bind bind, HostProjection host, boolean shorthand, Site site) {

    /** {@code bind}: where the workload listens inside its execution context. */
    public record Bind(String address, String portMode, Integer port, Site site) {
        public boolean fixed() {
            return "fixed".equals(portMode) && port != null;
        }
    }

    /** {@code project.host}: the host-visible publication. */
    public record HostProjection(String address, String portMode, Integer port, boolean primary, String path, Site site) {
        public boolean fixed() {
            return "fixed".equals(portMode) && port != null;
        }
    }

    public boolean projected() {
        return host != null;
    }
}
