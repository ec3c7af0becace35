package dev.ota.core.yaml;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.diagnostics.SourceLocation;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Shared state of one file read: where diagnostics go, and the fields that were accepted but not
 * implemented (reported once per field, not once per occurrence).
 */
public final class ReadContext {

    private final String file;
    private final Diagnostics diagnostics;
    private final Map<String, UnsupportedUse> unsupported = new LinkedHashMap<>();

    public ReadContext(String file, Diagnostics diagnostics) {
        this.file = file;
        this.diagnostics = diagnostics;
    }

    public String file() {
        return file;
    }

    public Diagnostics diagnostics() {
        return diagnostics;
    }

    void noteUnsupported(String pattern, SourceLocation at) {
        unsupported.computeIfAbsent(pattern, p -> new UnsupportedUse(p, at)).count++;
    }

    /** Where an unsupported field was first seen, and how often. */
    public Map<String, SourceLocation> unsupportedFields() {
        Map<String, SourceLocation> out = new LinkedHashMap<>();
        unsupported.forEach((pattern, use) -> out.put(pattern, use.first));
        return out;
    }

    /** Emits one warning per unsupported field. Call once after the whole file is read. */
    public void reportUnsupported() {
        reportUnsupported("the ota contract",
                "tasks run through ota-maven must not depend on it; run them with the ota CLI meanwhile.");
    }

    /**
     * Emits one warning per unsupported field of another document kind.
     *
     * @param document what the field is part of, e.g. {@code the ota workspace contract}
     * @param fix what the user should do about it
     */
    public void reportUnsupported(String document, String fix) {
        for (UnsupportedUse use : unsupported.values()) {
            String where = use.count == 1 ? "" : " (" + use.count + " places; first shown)";
            diagnostics.warning("OTA_FIELD_NOT_SUPPORTED", use.first,
                    "`" + use.pattern + "` is part of " + document + " but not supported by ota-maven yet; it is ignored"
                            + where + ".",
                    fix);
        }
    }

    private static final class UnsupportedUse {
        final String pattern;
        final SourceLocation first;
        int count;

        UnsupportedUse(String pattern, SourceLocation first) {
            this.pattern = pattern;
            this.first = first;
        }
    }
}
