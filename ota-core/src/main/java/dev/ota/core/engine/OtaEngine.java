package dev.ota.core.engine;

import dev.ota.core.plan.Plan;

/**
 * The one entry point build tools call: load, validate and plan a contract. Pure: reads files,
 * writes nothing, starts nothing.
 */
public final class OtaEngine {

    private OtaEngine() {}

    /** Loads and validates the contract and the org policy that governs it. */
    public static ValidationOutcome validate(PlanRequest request) {
        throw new UnsupportedOperationException("filled in by the engine work");
    }

    /** Validates, then plans; an invalid contract still yields a plan with {@code ok == false}. */
    public static PlanOutcome plan(PlanRequest request) {
        throw new UnsupportedOperationException("filled in by the engine work");
    }

    /** Convenience for callers that only need the plan. */
    public static Plan planOnly(PlanRequest request) {
        return plan(request).plan();
    }
}
