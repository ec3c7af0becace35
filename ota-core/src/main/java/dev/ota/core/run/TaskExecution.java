package dev.ota.core.run;

import java.time.Duration;

/**
 * One task body that ran (a dependency or the requested task).
 *
 * @param relation {@code requested} or {@code depends_on}
 */
public record TaskExecution(String task, String relation, String command, int exitCode, Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
