package dev.ota.core.run;

import dev.ota.core.backend.BackendException;
import java.util.List;

/** A task's body could not be run at all (its backend could not be reached or prepared). */
public final class TaskNotRunException extends BackendException {

    private final String task;
    private final List<TaskExecution> done;

    public TaskNotRunException(String task, String message, List<TaskExecution> done, BackendException cause) {
        super(message, cause);
        this.task = task;
        this.done = List.copyOf(done);
    }

    /** The task whose body never ran. */
    public String task() {
        return task;
    }

    /** The {@code depends_on} tasks that ran before it. */
    public List<TaskExecution> done() {
        return done;
    }
}
