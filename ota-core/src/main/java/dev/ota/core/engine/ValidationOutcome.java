package dev.ota.core.engine;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.model.Contract;
import java.util.List;

/**
 * Result of loading and validating a contract (and the org policy governing it).
 *
 * @param contract the loaded contract, or null when the file could not be read at all
 */
public record ValidationOutcome(Contract contract, List<Diagnostic> diagnostics) {

    public boolean ok() {
        return diagnostics.stream().noneMatch(Diagnostic::isError);
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
