package dev.ota.core.run;

import dev.ota.core.activate.ProducerLauncher;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Task;
import dev.ota.core.plan.Plan;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a task's {@code depends_on} chain (finite, in order, each once) and then its body, attached,
 * in the contract's directory with the planned env ({@code OTA_TARGET_*}, {@code OTA_INPUT_*}, task
 * env). Interrupting the calling thread stops the running body's whole process tree.
 */
public final class TaskRunner {

    private final Contract contract;
    private final Topology topology;
    private final Plan plan;
    private final Function<TaskShape, Backend> backends;
    private final Consumer<String> output;
    private final Consumer<String> log;

    public TaskRunner(Contract contract, Topology topology, Plan plan, Function<TaskShape, Backend> backends,
            Consumer<String> output, Consumer<String> log) {
        this.contract = contract;
        this.topology = topology;
        this.plan = plan;
        this.backends = backends;
        this.output = output;
        this.log = log;
    }

    /** Dependencies first (depth first, each once), then the task itself. */
    public List<String> order(String task) {
        Set<String> ordered = new LinkedHashSet<>();
        visit(task, ordered, new LinkedHashSet<>());
        return List.copyOf(ordered);
    }

    private void visit(String name, Set<String> ordered, Set<String> visiting) {
        if (ordered.contains(name) || !visiting.add(name)) {
            return; // cycles are rejected by the validator
        }
        Task task = contract.task(name);
        if (task != null) {
            for (String dep : task.dependsOn()) {
                visit(dep, ordered, visiting);
            }
        }
        ordered.add(name);
    }

    /** Runs the chain; throws on the first failing body. */
    public List<TaskExecution> run(String requested) throws TaskFailedException, BackendException, InterruptedException {
        List<TaskExecution> done = new ArrayList<>();
        for (String name : order(requested)) {
            Task task = contract.task(name);
            TaskShape shape = topology.shape(name);
            String relation = name.equals(requested) ? "requested" : "depends_on";
            List<String> argv = ProducerLauncher.argv(task);
            if (argv == null) {
                throw new BackendException("task `" + name + "` has a `" + (task.body() == null ? "missing" : task.body().kind())
                        + "` body, which ota-maven cannot run.");
            }
            Plan.TaskPlan taskPlan = plan.tasks().get(name);
            Map<String, String> env = taskPlan == null ? Map.of() : taskPlan.env();
            WorkloadSpec spec = new WorkloadSpec(name, argv, contract.directory(), env, null);
            log.accept("running `" + name + "`" + (relation.equals("depends_on") ? " (dependency of `" + requested + "`)" : "")
                    + ": " + (task.body().text() != null ? task.body().text() : String.join(" ", argv)));
            Instant begin = Instant.now();
            int exit;
            try {
                exit = backends.apply(shape).runAttached(spec, output);
            } catch (BackendException e) {
                throw new TaskNotRunException(name, "`" + name + "`" + (relation.equals("depends_on") ? " (a dependency of `"
                        + requested + "`)" : "") + " could not be run: " + e.getMessage(), done, e);
            }
            TaskExecution execution = new TaskExecution(name, relation, String.join(" ", argv), exit,
                    Duration.between(begin, Instant.now()));
            done.add(execution);
            if (exit != 0) {
                throw new TaskFailedException("task `" + name + "` failed with exit code " + exit
                        + (relation.equals("depends_on") ? " (a dependency of `" + requested + "`)" : "") + ".", execution, done);
            }
        }
        return done;
    }
}
