package dev.ota.core.plan;

import java.io.IOException;
import java.nio.file.Path;

/** Writes {@link Plan} as JSON ({@code docs/schemas/plan.schema.json}). */
public final class PlanJson {

    private PlanJson() {}

    public static String toJson(Plan plan) {
        throw new UnsupportedOperationException("filled in by the engine work");
    }

    /** Writes atomically (temp file + move), creating parent directories. */
    public static void write(Plan plan, Path file) throws IOException {
        throw new UnsupportedOperationException("filled in by the engine work");
    }
}
