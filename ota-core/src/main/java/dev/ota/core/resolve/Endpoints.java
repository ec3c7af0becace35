package dev.ota.core.resolve;

import dev.ota.core.model.Listener;
import java.util.Set;

/** Renders listener endpoints as URLs (product decision: {@code scheme://address:port[path]}). */
public final class Endpoints {

    private static final Set<String> WILDCARDS = Set.of("0.0.0.0", "::", "[::]", "*");

    private Endpoints() {}

    public static boolean isWildcard(String address) {
        return address != null && WILDCARDS.contains(address.trim());
    }

    public static boolean isLoopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.trim().toLowerCase();
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("[::1]");
    }

    /** The published host URL, or null unless {@code project.host} has a fixed port. */
    public static String hostUrl(Listener listener) {
        Listener.HostProjection host = listener.host();
        if (host == null || !host.fixed() || host.address() == null) {
            return null;
        }
        return url(listener.protocol(), host.address(), host.port(),
                "tcp".equals(listener.protocol()) ? null : host.path());
    }

    /**
     * The bind endpoint as a sibling inside the same boundary sees it, or null unless the bind
     * port is fixed. A wildcard bind address becomes {@code 127.0.0.1}.
     */
    public static String bindUrl(Listener listener) {
        Listener.Bind bind = listener.bind();
        if (bind == null || !bind.fixed() || bind.address() == null) {
            return null;
        }
        String address = isWildcard(bind.address()) ? "127.0.0.1" : bind.address();
        return url(listener.protocol(), address, bind.port(), null);
    }

    static String url(String protocol, String address, int port, String path) {
        String scheme = protocol == null ? "tcp" : protocol;
        String host = address.contains(":") && !address.startsWith("[") ? "[" + address + "]" : address;
        return scheme + "://" + host + ":" + port + (path == null ? "" : path);
    }
}
