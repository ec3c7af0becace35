package dev.ota.core.engine;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.load.ContractLoader;
import dev.ota.core.model.Contract;
import dev.ota.core.plan.Plan;
import dev.ota.core.plan.Planner;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.policy.PolicyLoader;
import dev.ota.core.resolve.Topology;
import dev.ota.core.validate.ContractValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import dev.ota.core.backend.container.ContainerBoundaries;
import dev.ota.core.backend.container.ContainerBoundary;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.state.StateStore;
import java.util.Optional;

/**
 * The one entry point build tools call: load, validate and plan a contract. Pure: reads files,
 * writes nothing, starts nothing.
 */
public final class OtaEngine {

    private OtaEngine() {}

    /** Loads and validates the contract and the org policy that governs it. */
    public static ValidationOutcome validate(PlanRequest request) {
        Diagnostics diags = new Diagnostics();
        Loaded loaded = load(request, true, diags);
        return new ValidationOutcome(loaded.contract, diags.sorted());
    }

    /** Validates, then plans; an invalid contract still yields a plan with {@code ok == false}. */
    public static PlanOutcome plan(PlanRequest request) {
        return prepare(request).outcome();
    }

    /**
     * Everything a run needs: the loaded contract, its topology and policy, and the plan. The
     * contract and topology are null when the file could not be loaded.
     */
    public record Prepared(Contract contract, Topology topology, OrgPolicy policy, PlanOutcome outcome) {

        public Plan plan() {
            return outcome.plan();
        }
    }

    /** Loads, validates and plans, keeping the model for the run path. */
    public static Prepared prepare(PlanRequest request) {
        return prepare(request, true);
    }

    /**
     * As {@link #prepare}, for the contract on its own: its {@code service.repo} targets are neither
     * checked nor resolved against the request's workspace, which only decides the org policy
     * (digest §D.1, step 3). The teardown goals use it: they must derive the same containers (the
     * policy resolves their images) whatever state the workspace's other repos are in.
     */
    public static Prepared prepareAlone(PlanRequest request) {
        return prepare(request, false);
    }

    private static Prepared prepare(PlanRequest request, boolean crossRepo) {
        Diagnostics diags = new Diagnostics();
        Loaded loaded = load(request, crossRepo, diags);
        Planner.Body body = new Planner.Body(Map.of(), Map.of(), List.of());
        if (loaded.contract != null && !diags.hasErrors()) {
            body = new Planner(loaded.contract, loaded.topology, loaded.policy, diags, crossRepo ? request.workspace() : null)
                    .plan(request.task(), request.inputs());
        }
        Contract contract = loaded.contract;
        Plan plan = new Plan(Plan.SCHEMA, !diags.hasErrors(), request.displayName(),
                contract == null || contract.project() == null ? null : contract.project().name(), request.task(),
                loaded.policy == null ? null : new Plan.PolicyInfo(loaded.policy.displayName(), loaded.policy.source()),
                diags.errors(), diags.warnings(), body.tasks(), body.sharedBackends(), body.activationSteps(), List.of());
        if (plan.ok() && contract != null) {
            plan = withContainers(plan, contract, loaded.topology);
        }
        return new Prepared(loaded.contract, loaded.topology, loaded.policy, new PlanOutcome(plan, diags.sorted()));
    }

    /** Adds the persistent containers the planned tasks run in (names need no engine). */
    private static Plan withContainers(Plan plan, Contract contract, Topology topology) {
        Map<String, List<String>> tasksByUnit = new java.util.LinkedHashMap<>();
        Map<String, TaskShape> shapeByUnit = new java.util.LinkedHashMap<>();
        for (String task : plan.tasks().keySet()) {
            TaskShape shape = topology.shape(task);
            if (ContainerBoundaries.persistent(shape)) {
                String unit = ContainerBoundaries.unit(shape);
                shapeByUnit.putIfAbsent(unit, shape);
                tasksByUnit.computeIfAbsent(unit, u -> new java.util.ArrayList<>()).add(task);
            }
        }
        if (shapeByUnit.isEmpty()) {
            return plan; // no persistent container: no need for the repo's state (ownership id) at all
        }
        ContainerBoundaries boundaries = new ContainerBoundaries(contract, topology, plan,
                StateStore.forRepo(contract.directory()).ownershipIdPreview());
        Map<String, ContainerBoundary> byUnit = new java.util.LinkedHashMap<>();
        shapeByUnit.forEach((unit, shape) -> byUnit.put(unit, boundaries.of(shape)));
        List<Plan.ContainerPlan> containers = new java.util.ArrayList<>();
        byUnit.forEach((unit, b) -> containers.add(new Plan.ContainerPlan(unit, b.name(), b.image(), ContainerBoundary.WORKDIR,
                List.copyOf(tasksByUnit.get(unit)), b.publications().stream()
                        .map(p -> p.hostAddress() + ":" + (p.hostPort() == 0 ? "auto" : p.hostPort()) + " -> " + p.containerPort()
                                + " (" + p.listener() + ")")
                        .toList())));
        return new Plan(plan.schema(), plan.ok(), plan.contract(), plan.project(), plan.requestedTask(), plan.policy(),
                plan.errors(), plan.warnings(), plan.tasks(), plan.sharedBackends(), plan.activationSteps(), containers);
    }

    private record Loaded(Contract contract, Topology topology, OrgPolicy policy) {}

    private static Loaded load(PlanRequest request, boolean crossRepo, Diagnostics diags) {
        // inside a workspace, each contract file is parsed once (other repos' targets load it too)
        Optional<Contract> contract = crossRepo && request.workspace() != null
                ? request.workspace().loadContract(request.contract(), request.displayName(), diags)
                : ContractLoader.load(request.contract(), request.displayName(), diags);
        if (contract.isEmpty()) {
            return new Loaded(null, null, null);
        }
        Topology topology = new Topology(contract.get());
        ContractValidator.validate(contract.get(), topology, diags);
        if (crossRepo && request.workspace() != null) {
            // rules 54, 55 and 70 across repos: the producers live in other repos' contracts
            request.workspace().checkTargets(contract.get(), diags);
        }
        Path dir = contract.get().directory();
        // OTA_POLICY, else the nearest repo policy, else the workspace's `workspace.policy` (§D.1)
        OrgPolicy policy = PolicyLoader.discover(dir, request.environment(),
                request.workspace() == null ? null : request.workspace().workspace(), diags).orElse(null);
        return new Loaded(contract.get(), topology, policy);
    }
}
