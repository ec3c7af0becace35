package dev.ota.core.model;

import java.util.List;
import java.util.Map;

/**
 * {@code tasks.<name>}. {@code unsupported} lists the reference fields this task declares that
 * ota-maven ignores; running such a task is an error.
 */
public record Task(
        String name,
        String description,
        String context,
        List<TaskBody> bodies,
        Map<String, String> env,
        Map<String, TaskInput> inputs,
        Map<String, Target> targets,
        List<String> dependsOn,
        Requirements requirements,
        ServiceRuntime runtime,
        List<String> unsupported,
        Site site) {

    public boolean isService() {
        return runtime != null;
    }

    public TaskBody body() {
        return bodies.isEmpty() ? null : bodies.get(0);
    }
}
