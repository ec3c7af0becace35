package dev.ota.core.diagnostics;

import java.util.Comparator;
import java.util.Objects;

/**
 * One finding about a contract or policy file: what is wrong, where, and how to fix it.
 *
 * @param code stable, machine-readable identifier (e.g. {@code OTA_UNKNOWN_KEY}); rules are
 *     tested by it
 * @param fix what the user should change; never empty for errors
 */
public record Diagnostic(
        Severity severity, String code, SourceLocation location, String message, String fix) {

    /** File order: by file, then line, then column, then path; warnings after errors at a tie. */
    public static final Comparator<Diagnostic> FILE_ORDER =
            Comparator.comparing((Diagnostic d) -> d.location().file())
                    .thenComparingInt(d -> d.location().line())
                    .thenComparingInt(d -> d.location().column())
                    .thenComparing(d -> d.location().path())
                    .thenComparing(Diagnostic::severity)
                    .thenComparing(Diagnostic::message);

    public Diagnostic {
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
        fix = fix == null ? "" : fix;
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    public String path() {
        return location.path();
    }

    /**
     * One line for a log: {@code ota.yaml:12:7: error: tasks.a.runtime: message. Fix: ...}.
     */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append(location).append(": ").append(severity.label()).append(": ");
        if (!location.path().isEmpty()) {
            out.append(location.path()).append(": ");
        }
        out.append(message);
        if (!fix.isEmpty()) {
            out.append(" Fix: ").append(fix);
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
