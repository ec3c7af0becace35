package dev.ota.core.engine;

import dev.ota.core.activate.ActivationEngine;
import dev.ota.core.activate.ActivationException;
import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.Backend;
import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.state.StateStore;
import dev.ota.core.workspace.RepoActivation;
import dev.ota.core.workspace.WorkspaceContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Starts or reuses the producers of {@code service.repo} targets in their own repos: each through
 * its repo's contract, directory and {@code .ota/state}, after that producer's own cross-repo and
 * same-repo producers, in the workspace's {@code depends_on} order. On failure or interrupt it
 * stops exactly what it started, newest first.
 */
final class RepoProducerActivation {

    private final WorkspaceContext workspace;
    private final RunService.BackendProvider provider;
    private final RunService.Options options;
    private final ReadinessWaiter waiter;
    private final Map<String, String> environment;
    private final List<ActivationEngine> engines = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> done = new HashSet<>();

    RepoProducerActivation(WorkspaceContext workspace, RunService.BackendProvider provider, RunService.Options options,
            ReadinessWaiter waiter, Map<String, String> environment) {
        this.workspace = workspace;
        this.provider = provider;
        this.options = options;
        this.waiter = waiter;
        this.environment = environment;
    }

    /** Activates the cross-repo producers {@code plan} needs; the results name the plan's consumers. */
    List<TargetActivation> activate(String consumerRepo, Plan plan) throws ActivationException, InterruptedException {
        List<TargetActivation> out = new ArrayList<>();
        if (workspace == null) {
            return out;
        }
        List<String> order = workspace.workspace().order().stream().map(r -> r.name()).toList();
        List<RepoActivation> needed = new ArrayList<>(workspace.repoActivations(plan));
        needed.sort(Comparator.comparingInt(a -> order.indexOf(a.repo())));
        for (RepoActivation a : needed) {
            out.addAll(activateOne(consumerRepo, a));
        }
        return out;
    }

    private List<TargetActivation> activateOne(String consumerRepo, RepoActivation a)
            throws ActivationException, InterruptedException {
        String key = a.repo() + "/" + a.producer();
        PlanRequest request = new PlanRequest(a.contract(), workspace.displayName(a.contract()), a.producer(), Map.of(),
                environment, workspace);
        OtaEngine.Prepared prepared = OtaEngine.prepare(request);
        if (!prepared.plan().ok()) {
            StringBuilder why = new StringBuilder("the contract of repo `" + a.repo() + "` (" + request.displayName()
                    + ") does not plan `" + a.producer() + "`:");
            for (Diagnostic d : prepared.outcome().errors()) {
                why.append(System.lineSeparator()).append("  ").append(d.render());
            }
            throw new ActivationException("activation of `" + a.repo() + ":" + a.producer() + "` for `" + a.consumer() + "."
                    + a.target() + "` failed: " + why, List.of());
        }
        List<TargetActivation> out = new ArrayList<>();
        if (done.add(key)) {
            // the producer's own cross-repo producers come first (a cycle is rejected by the validator)
            out.addAll(activate(a.repo(), prepared.plan()));
        }
        // its same-repo producers, then the producer itself for this consumer (a step the plan of
        // the producer's repo cannot contain: its consumer lives in another repo)
        String consumerId = consumerRepo + ":" + a.consumer();
        TaskShape shape = prepared.topology().shape(a.producer());
        List<Plan.ActivationStep> steps = new ArrayList<>(prepared.plan().activationSteps());
        steps.add(new Plan.ActivationStep(steps.size() + 1, consumerId, a.target(), a.producer(), a.listener(), a.mode(),
                shape.backend(), "", "start or reuse `" + a.producer() + "` in repo `" + a.repo() + "`"));
        Plan plan = prepared.plan();
        Plan withStep = new Plan(plan.schema(), plan.ok(), plan.contract(), plan.project(), plan.requestedTask(), plan.policy(),
                plan.errors(), plan.warnings(), plan.tasks(), plan.sharedBackends(), steps, plan.containers());
        StateStore state = StateStore.forRepo(prepared.contract().directory());
        Function<TaskShape, Backend> backends = provider.forRun(prepared, state, options.log());
        ActivationEngine engine = new ActivationEngine(prepared.contract(), prepared.topology(), withStep, state, backends,
                options.owner(), line -> options.log().accept("[" + a.repo() + "] " + line), waiter);
        engines.add(engine);
        for (TargetActivation t : engine.activate()) {
            out.add(t.consumer().equals(consumerId) ? renamed(t, a.consumer()) : t);
        }
        return out;
    }

    private static TargetActivation renamed(TargetActivation t, String consumer) {
        return new TargetActivation(consumer, t.target(), t.producer(), t.listener(), t.mode(), t.status(), t.owned(),
                t.startedByThisRun(), t.found(), t.handle(), t.readiness(), t.url(), t.elapsed(), t.repo());
    }

    /** What the repo engines started (each names its repo), oldest first. */
    List<TargetActivation> startedByThisRun() {
        List<TargetActivation> out = new ArrayList<>();
        synchronized (engines) {
            engines.forEach(e -> out.addAll(e.startedByThisRun()));
        }
        return out;
    }

    /** Stops what the repo engines started, newest engine first. */
    void rollback() {
        List<ActivationEngine> reversed;
        synchronized (engines) {
            reversed = new ArrayList<>(engines);
        }
        Collections.reverse(reversed);
        reversed.forEach(ActivationEngine::rollback);
    }
}
