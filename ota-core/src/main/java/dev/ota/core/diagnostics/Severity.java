package dev.ota.core.diagnostics;

/** How serious a diagnostic is. Errors make a contract invalid; warnings never do. */
public enum Severity {
    ERROR,
    WARNING;

    public String label() {
        return this == ERROR ? "error" : "warning";
    }
}
