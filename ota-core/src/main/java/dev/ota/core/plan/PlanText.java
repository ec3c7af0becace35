package dev.ota.core.plan;

import java.util.List;

/** Renders a plan as readable table lines for a build log. */
public final class PlanText {

    private PlanText() {}

    public static List<String> render(Plan plan) {
        throw new UnsupportedOperationException("filled in by the engine work");
    }
}
