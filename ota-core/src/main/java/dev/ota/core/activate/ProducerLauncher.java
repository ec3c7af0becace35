package dev.ota.core.activate;

import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Task;
import dev.ota.core.model.TaskBody;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Turns a task body into the argv a backend runs. */
public final class ProducerLauncher {

    private ProducerLauncher() {}

    /** The argv of a task body, or null when ota-maven cannot run that kind of body. */
    public static List<String> argv(Task task) {
        TaskBody body = task.body();
        if (body == null) {
            return null;
        }
        if (body.text() != null) {
            return List.of("sh", "-c", body.text());
        }
        if (body.exe() != null) {
            List<String> argv = new ArrayList<>();
            argv.add(body.exe());
            argv.addAll(body.args());
            return argv;
        }
        return null;
    }

    public static WorkloadSpec spec(Contract contract, Task task, Map<String, String> env, Path logFile) {
        List<String> argv = argv(task);
        if (argv == null) {
            throw new IllegalArgumentException("task `" + task.name() + "` has no runnable body");
        }
        return new WorkloadSpec(task.name(), argv, contract.directory(), env, logFile);
    }
}
