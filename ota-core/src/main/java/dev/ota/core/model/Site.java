package dev.ota.core.model;

import dev.ota.core.diagnostics.SourceLocation;
import java.util.Map;

/**
 * Where a model element and each of its declared keys stand in the source file. Lets the
 * validator point at the exact field it complains about, and tell "absent" from "declared".
 */
public record Site(SourceLocation location, Map<String, SourceLocation> fields) {

    public Site {
        fields = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
    }

    /** A site for elements that have no source (defaults, generated shorthand expansions). */
    public static Site synthetic(SourceLocation at) {
        return new Site(at, Map.of());
    }

    public boolean declares(String key) {
        return fields.containsKey(key);
    }

    /** Location of {@code key}'s value, or of this element (with the child path) when absent. */
    public SourceLocation at(String key) {
        SourceLocation field = fields.get(key);
        return field != null ? field : location.withPath(location.child(key));
    }

    public String path() {
        return location.path();
    }

    public String child(String key) {
        return location.child(key);
    }
}
