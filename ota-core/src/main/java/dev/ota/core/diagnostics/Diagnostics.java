package dev.ota.core.diagnostics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Collects diagnostics; every check reports here instead of throwing, so all errors surface together. */
public final class Diagnostics {

    private final List<Diagnostic> items = new ArrayList<>();

    public void error(String code, SourceLocation at, String message, String fix) {
        items.add(new Diagnostic(Severity.ERROR, code, at, message, fix));
    }

    public void warning(String code, SourceLocation at, String message, String fix) {
        items.add(new Diagnostic(Severity.WARNING, code, at, message, fix));
    }

    public void add(Diagnostic diagnostic) {
        items.add(diagnostic);
    }

    public void addAll(Diagnostics other) {
        items.addAll(other.items);
    }

    public boolean hasErrors() {
        return items.stream().anyMatch(Diagnostic::isError);
    }

    public int errorCount() {
        return (int) items.stream().filter(Diagnostic::isError).count();
    }

    /** All diagnostics in file order (errors and warnings). */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(items);
        copy.sort(Diagnostic.FILE_ORDER);
        return Collections.unmodifiableList(copy);
    }

    public List<Diagnostic> errors() {
        return sorted().stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return sorted().stream().filter(d -> !d.isError()).toList();
    }
}
