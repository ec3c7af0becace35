package dev.ota.core.diagnostics;

import java.util.Collection;

/** How messages quote names: `like`, `this`. */
public final class Words {

    private Words() {}

    /** {@code a, b} → {@code `a`, `b`}. */
    public static String backticked(Collection<String> values) {
        StringBuilder out = new StringBuilder();
        for (String v : values) {
            if (out.length() > 0) {
                out.append(", ");
            }
            out.append('`').append(v).append('`');
        }
        return out.toString();
    }
}
