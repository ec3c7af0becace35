package dev.ota.core.engine;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import java.util.List;

/** The plan (always produced, even for an invalid contract) and every diagnostic in file order. */
public record PlanOutcome(Plan plan, List<Diagnostic> diagnostics) {

    public boolean ok() {
        return plan.ok();
    }

    public List<Diagnostic> errors() {
        return diagnostics.stream().filter(Diagnostic::isError).toList();
    }

    public List<Diagnostic> warnings() {
        return diagnostics.stream().filter(d -> !d.isError()).toList();
    }
}
