package dev.ota.core.probe;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;

/** Short, stable words for what went wrong in a probe attempt ({@code connection refused}, ...). */
final class ProbeErrors {

    private ProbeErrors() {}

    /** Describes a connect/request failure; walks the cause chain for the most telling exception. */
    static String describe(Throwable error, String host) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connect timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "request timed out";
            }
            if (t instanceof UnknownHostException) {
                return "unknown host " + host;
            }
            if (t instanceof NoRouteToHostException) {
                return "no route to host";
            }
            if (t instanceof PortUnreachableException) {
                return "port unreachable";
            }
            if (t instanceof ConnectException) {
                String m = lower(t.getMessage());
                if (m.contains("timed out")) {
                    return "connect timed out";
                }
                if (m.contains("refused") || m.isEmpty()) {
                    // The JDK HTTP client reports a refused connect as a ConnectException without a message.
                    return "connection refused";
                }
                return "connect failed: " + t.getMessage();
            }
            if (t instanceof SocketTimeoutException) {
                return lower(t.getMessage()).contains("connect") ? "connect timed out" : "timed out";
            }
        }
        String m = lower(error.getMessage());
        if (m.contains("connection reset")) {
            return "connection reset";
        }
        if (m.contains("refused")) {
            return "connection refused";
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String text = root.getMessage() == null || root.getMessage().isBlank()
                ? root.getClass().getSimpleName()
                : root.getMessage();
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
