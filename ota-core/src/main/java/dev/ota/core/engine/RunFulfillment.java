package dev.ota.core.engine;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.container.EphemeralContainerBackend;
import dev.ota.core.fulfill.FulfillmentException;
import dev.ota.core.fulfill.UnitFulfillment;
import dev.ota.core.fulfill.Wanted;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Task;
import dev.ota.core.plan.Plan;
import dev.ota.core.receipt.ReceiptBuilder;
import dev.ota.core.receipt.ReceiptStep;
import dev.ota.core.resolve.RequirementUnion;
import dev.ota.core.resolve.TaskShape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Fulfillment on the run path: every backend unit a run will use — the shared backends of the
 * producers it activates and of the tasks it runs, and container contexts that declare their own
 * {@code fulfillment} — is checked (and under {@code run} prepared) once, before any producer
 * starts or task body runs there. Also the whole of {@code ota:fulfill}.
 */
public final class RunFulfillment {

    private final OtaEngine.Prepared prepared;
    private final Function<TaskShape, Backend> backends;
    private final UnitFulfillment fulfillment;
    private final Consumer<String> log;
    /** Units fulfilled up front, with their receipt step (updated once task bodies ran). */
    private record Recorded(ReceiptBuilder.Step step, UnitFulfillment.Outcome outcome) {}

    private final List<Recorded> ready = new ArrayList<>();
    private final List<String> deferred = new ArrayList<>();

    public RunFulfillment(OtaEngine.Prepared prepared, Function<TaskShape, Backend> backends, UnitFulfillment.Installer installer,
            Consumer<String> log) {
        this.prepared = prepared;
        this.backends = backends;
        this.fulfillment = new UnitFulfillment(installer, log);
        this.log = log;
    }

    /** The tasks a run of {@code requested} touches: its dependency chain and every producer it activates. */
    static Set<String> tasksOfRun(Plan plan, String requested) {
        Set<String> out = new LinkedHashSet<>();
        for (Plan.ActivationStep s : plan.activationSteps()) {
            out.add(s.producer());
        }
        List<String> queue = new ArrayList<>(List.of(requested));
        while (!queue.isEmpty()) {
            String t = queue.remove(0);
            Plan.TaskPlan p = plan.tasks().get(t);
            if (p != null && out.add(t)) {
                queue.addAll(p.dependsOn());
            }
        }
        return out;
    }

    /** The units of these tasks, each once, in first-use order. */
    List<UnitFulfillment.Unit> units(Set<String> tasks) {
        Map<String, UnitFulfillment.Unit> out = new LinkedHashMap<>();
        for (String name : tasks) {
            TaskShape shape = prepared.topology().shape(name);
            if (shape == null) {
                continue;
            }
            SharedBackend binding = shape.binding();
            if (binding != null) {
                String unit = "shared_backend:" + binding.name();
                if (!out.containsKey(unit)) {
                    List<Wanted> wanted = Wanted.of(RequirementUnion.of(prepared.topology(), binding));
                    if (!wanted.isEmpty() || "run".equals(binding.fulfillment())) {
                        out.put(unit, new UnitFulfillment.Unit(unit, binding.backend(), binding.effectiveFulfillment(), wanted, null,
                                null));
                    }
                }
            } else if (shape.context() != null && shape.context().isContainer() && shape.context().fulfillment() != null) {
                String unit = "context:" + shape.contextName();
                if (!out.containsKey(unit)) {
                    out.put(unit, new UnitFulfillment.Unit(unit, "container", shape.context().fulfillment(),
                            Wanted.of(shape.context().requirements()), null, null));
                }
            }
        }
        return List.copyOf(out.values());
    }

    /** A representative task of a unit (its backend reaches the unit's plane). */
    private TaskShape shapeOf(String unit, Set<String> tasks) {
        for (String name : tasks) {
            TaskShape shape = prepared.topology().shape(name);
            if (shape == null) {
                continue;
            }
            if (shape.binding() != null && unit.equals("shared_backend:" + shape.binding().name())) {
                return shape;
            }
            if (shape.binding() == null && unit.equals("context:" + shape.contextName())) {
                return shape;
            }
        }
        return null;
    }

    /**
     * Fulfils every unit of {@code tasks} (or only {@code onlyUnit}), recording a receipt step per
     * unit, and stops at the first that is not ready; returns the outcomes so far.
     */
    public List<UnitFulfillment.Outcome> run(Set<String> tasks, String onlyUnit, ReceiptBuilder receipt)
            throws InterruptedException {
        List<UnitFulfillment.Outcome> outcomes = new ArrayList<>();
        for (UnitFulfillment.Unit declared : units(tasks)) {
            if (onlyUnit != null && !onlyUnit.equals(declared.unit())) {
                continue;
            }
            TaskShape shape = shapeOf(declared.unit(), tasks);
            Backend backend = backends.apply(shape);
            if (backend instanceof EphemeralContainerBackend ephemeral) {
                // fulfilled inside each of its containers, before that container's body runs
                ephemeral.prepareEachContainer(container -> {
                    UnitFulfillment.Outcome o = record(receipt, fulfillment.fulfil(new UnitFulfillment.Unit(declared.unit(),
                            declared.backend(), declared.mode(), declared.wanted(), container, backend.identity()),
                            prepared.policy()));
                    if (!o.ok()) {
                        throw new FulfillmentException(o.message());
                    }
                });
                deferred.add(declared.unit());
                log.accept(declared.unit() + " is ephemeral: it is checked"
                        + ("run".equals(declared.mode()) ? " and prepared" : "") + " inside each of its containers, before"
                        + " that container's task body");
                continue;
            }
            ReceiptBuilder.Step step = receipt.step("fulfil " + declared.unit(), ReceiptStep.StageFamily.PREPARE);
            UnitFulfillment.Outcome outcome;
            try {
                backend.prepare();
                UnitFulfillment.Unit unit = new UnitFulfillment.Unit(declared.unit(), declared.backend(), declared.mode(),
                        declared.wanted(), backend.planeRunner(), backend.identity());
                outcome = fulfillment.fulfil(unit, prepared.policy());
            } catch (BackendException e) {
                outcome = new UnitFulfillment.Outcome(declared.unit(), declared.backend(), declared.mode(), Map.of(), Map.of(),
                        List.of(), List.of(), UnitFulfillment.FAILED, "cannot reach " + declared.unit() + ": " + e.getMessage(),
                        List.of());
            }
            write(step, outcome);
            outcomes.add(outcome);
            if (outcome.ok()) {
                ready.add(new Recorded(step, outcome));
            }
            if (!outcome.ok()) {
                log.accept(outcome.message());
                break;
            }
        }
        return outcomes;
    }

    /** Ephemeral context units: prepared inside each container when a body runs, not now. */
    public List<String> deferred() {
        return List.copyOf(deferred);
    }

    /** Task bodies ran on the units fulfilled up front: their evidence says so ({@code task_executed}). */
    public void tasksExecuted() {
        ready.forEach(r -> r.step().backendFulfillment(evidence(r.outcome(), true)));
    }

    private static ReceiptStep.BackendFulfillment evidence(UnitFulfillment.Outcome outcome, boolean executed) {
        return new ReceiptStep.BackendFulfillment(outcome.unit(), outcome.backend(), outcome.mode(), outcome.declaredRuntimes(),
                outcome.declaredTools(), outcome.missing(), outcome.actions(), outcome.result(), executed);
    }

    private static UnitFulfillment.Outcome record(ReceiptBuilder receipt, UnitFulfillment.Outcome outcome) {
        write(receipt.step("fulfil " + outcome.unit(), ReceiptStep.StageFamily.PREPARE), outcome);
        return outcome;
    }

    private static void write(ReceiptBuilder.Step step, UnitFulfillment.Outcome outcome) {
        step.backendFulfillment(evidence(outcome, false));
        if (outcome.message() != null) {
            step.detail(outcome.message());
        }
        if (!outcome.outputTail().isEmpty()) {
            step.logTail(outcome.outputTail());
        }
        step.finish(outcome.ok() ? "OK" : "FAILED");
    }

    /** The names of every task of the contract (for {@code ota:fulfill} without a task). */
    Set<String> allTasks() {
        Set<String> out = new LinkedHashSet<>();
        for (Task t : prepared.contract().tasks().values()) {
            out.add(t.name());
        }
        return out;
    }
}
