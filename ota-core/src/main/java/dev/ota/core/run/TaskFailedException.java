package dev.ota.core.run;

import java.util.List;

/** A task body (the requested one or a dependency) exited non-zero. */
public class TaskFailedException extends Exception {

    private final transient TaskExecution failed;
    private final transient List<TaskExecution> executions;

    public TaskFailedException(String message, TaskExecution failed, List<TaskExecution> executions) {
        super(message);
        this.failed = failed;
        this.executions = List.copyOf(executions);
    }

    public TaskExecution failed() {
        return failed;
    }

    public List<TaskExecution> executions() {
        return executions;
    }
}
