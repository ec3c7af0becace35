package dev.ota.core.activate;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Readiness;
import dev.ota.core.model.Task;
import dev.ota.core.plan.Plan;
import dev.ota.core.probe.Liveness;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.probe.ProbeSpecs;
import dev.ota.core.probe.Probes;
import dev.ota.core.probe.ReadinessWaiter;
import dev.ota.core.probe.WaitOutcome;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import dev.ota.core.state.Fingerprints;
import dev.ota.core.state.ServiceRecord;
import dev.ota.core.state.StateStore;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Makes the producers of a consumer's targets available before the consumer runs (digest §4):
 * starts, reuses or restarts each one per its activation mode, waits for what the mode waits for,
 * and records the evidence word. Producers whose own targets need activation go first; producers
 * of one level start in parallel. On failure or interrupt it stops exactly the producers this run
 * started; reused ones keep running.
 */
public final class ActivationEngine {

    /** Grace between SIGTERM and SIGKILL when ota stops a producer. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** How long an interrupted activation waits for its workers to return before it rolls back. */
    private static final Duration WORKER_EXIT = Duration.ofSeconds(30);

    private final Contract contract;
    private final Topology topology;
    private final Plan plan;
    private final StateStore state;
    private final Function<TaskShape, Backend> backends;
    private final String owner;
    private final Consumer<String> log;
    private final ReadinessWaiter waiter;
    private final List<TargetActivation> startedByThisRun = Collections.synchronizedList(new ArrayList<>());

    public ActivationEngine(Contract contract, Topology topology, Plan plan, StateStore state,
            Function<TaskShape, Backend> backends, String owner, Consumer<String> log, ReadinessWaiter waiter) {
        this.contract = contract;
        this.topology = topology;
        this.plan = plan;
        this.state = state;
        this.backends = backends;
        this.owner = owner;
        this.log = log;
        this.waiter = waiter;
    }

    /** Producers this run started (and must stop on failure), in start order. */
    public List<TargetActivation> startedByThisRun() {
        synchronized (startedByThisRun) {
            return List.copyOf(startedByThisRun);
        }
    }

    /**
     * Runs the plan's activation steps. On failure everything this run started is stopped before
     * the exception is thrown; on interrupt too, and the interrupt is rethrown.
     */
    public List<TargetActivation> activate() throws ActivationException, InterruptedException {
        List<Plan.ActivationStep> steps = plan.activationSteps();
        if (steps.isEmpty()) {
            return List.of();
        }
        Map<String, Integer> levels = levels(steps);
        int maxLevel = levels.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<TargetActivation> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, steps.size()), r -> {
            Thread t = new Thread(r, "ota-activation");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int level = 0; level <= maxLevel; level++) {
                Map<Plan.ActivationStep, Future<TargetActivation>> running = new LinkedHashMap<>();
                for (Plan.ActivationStep step : steps) {
                    if (levels.get(step.producer()) == level) {
                        running.put(step, pool.submit(() -> activateOne(step)));
                    }
                }
                ActivationException failure = null;
                for (Map.Entry<Plan.ActivationStep, Future<TargetActivation>> f : running.entrySet()) {
                    try {
                        results.add(f.getValue().get());
                    } catch (ExecutionException e) {
                        Throwable cause = e.getCause();
                        if (failure == null) {
                            failure = cause instanceof ActivationException ae ? ae
                                    : new ActivationException("activating `" + f.getKey().producer() + "` failed: " + cause,
                                            results);
                        }
                    }
                }
                if (failure != null) {
                    rollback();
                    List<TargetActivation> report = new ArrayList<>(results);
                    report.addAll(failure.report());
                    throw new ActivationException(failure.getMessage(), report);
                }
            }
            return List.copyOf(results);
        } catch (InterruptedException e) {
            // Let the workers see the interrupt and finish first: one may be between starting a
            // process and registering it, and rollback must see everything this run started.
            pool.shutdownNow();
            awaitWorkers(pool);
            rollback();
            throw e;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Waits (bounded) until interrupted workers have returned. A second interrupt ends the wait
     * early; the flag is then restored so that the caller still sees it.
     */
    private static void awaitWorkers(ExecutorService pool) {
        try {
            if (!pool.awaitTermination(WORKER_EXIT.toMillis(), TimeUnit.MILLISECONDS)) {
                return; // rollback still stops what they registered so far
            }
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops, in reverse order, every producer this run started. Errors are logged, not thrown. */
    public List<String> rollback() {
        List<String> problems = new ArrayList<>();
        List<TargetActivation> started = new ArrayList<>(startedByThisRun());
        Collections.reverse(started);
        for (TargetActivation a : started) {
            try {
                Backend backend = backends.apply(topology.shape(a.producer()));
                log.accept("stopping `" + a.producer() + "` (started by this run, pid " + a.handle().pid() + ")");
                if (!backend.stop(a.handle(), STOP_GRACE)) {
                    problems.add("`" + a.producer() + "` (pid " + a.handle().pid() + ") did not stop");
                }
                state.delete(a.producer());
            } catch (BackendException | RuntimeException e) {
                problems.add("`" + a.producer() + "`: " + e.getMessage());
            }
            startedByThisRun.remove(a);
        }
        problems.forEach(p -> log.accept("cleanup problem: " + p));
        return problems;
    }

    /** Level 0: producers with no activated producers of their own; level n: after their producers. */
    private static Map<String, Integer> levels(List<Plan.ActivationStep> steps) {
        Map<String, List<String>> deps = new HashMap<>();
        for (Plan.ActivationStep s : steps) {
            deps.computeIfAbsent(s.producer(), k -> new ArrayList<>());
            deps.computeIfAbsent(s.consumer(), k -> new ArrayList<>()).add(s.producer());
        }
        Map<String, Integer> levels = new HashMap<>();
        for (Plan.ActivationStep s : steps) {
            level(s.producer(), deps, levels, 0);
        }
        return levels;
    }

    private static int level(String task, Map<String, List<String>> deps, Map<String, Integer> levels, int depth) {
        Integer known = levels.get(task);
        if (known != null) {
            return known;
        }
        int level = 0;
        if (depth < 64) {
            for (String dep : deps.getOrDefault(task, List.of())) {
                level = Math.max(level, level(dep, deps, levels, depth + 1) + 1);
            }
        }
        levels.put(task, level);
        return level;
    }

    private TargetActivation activateOne(Plan.ActivationStep step) throws ActivationException, InterruptedException {
        Instant begin = Instant.now();
        Task producer = contract.task(step.producer());
        TaskShape shape = topology.shape(producer.name());
        if ("container".equals(shape.backend()) && !"persistent".equals(shape.lifecycle())) {
            throw failure(step, "producer `" + producer.name() + "` runs in the ephemeral container context `"
                    + shape.contextName() + "`; ota cannot own an ephemeral container producer honestly (it would be"
                    + " removed when its invocation ends).",
                    "make the context `lifecycle: persistent`, bind the producer to a persistent shared container backend,"
                    + " or use manual activation.");
        }
        if ("remote".equals(shape.backend()) && (shape.binding() == null || !"remote".equals(shape.binding().backend()))) {
            throw failure(step, "producer `" + producer.name() + "` runs on a remote backend (context `" + shape.contextName()
                    + "`) without a shared remote backend binding; ota-maven owns a remote producer only inside one declared"
                    + " shared remote boundary.",
                    "bind the producer (and co-located consumers) to an `execution.shared_backends.<name>` with `scope: remote`"
                    + " and `backend: remote`, or use manual activation with the target's override input.");
        }
        if (ProducerLauncher.argv(producer) == null) {
            throw failure(step, "producer `" + producer.name() + "` has a `" + producer.body().kind()
                    + "` body, which ota-maven cannot start.", "give it a `run:` or `command:` body.");
        }
        Backend backend = backends.apply(shape);
        Listener listener = producer.runtime().listener(step.listener());
        Plan.TaskPlan producerPlan = plan.tasks().get(producer.name());
        Map<String, String> env = producerPlan == null ? Map.of() : producerPlan.env();
        WorkloadSpec spec = ProducerLauncher.spec(contract, producer, env, state.logFile(producer.name()));
        String fingerprint = Fingerprints.of(spec, listenerShapes(producer));
        String identity = (contract.project() == null ? "" : contract.project().name()) + "/" + producer.name();
        // Probe where the consumer will connect: inside the producer's backend when the consumer
        // shares it (bind endpoints), otherwise through the publication the consumer's URL names.
        boolean viaHost = !"native".equals(backend.family()) && !sharesBackend(step, shape) && listener.projected()
                && listener.host().fixed();
        String host = viaHost ? hostAddress(listener) : backend.probeHost(listener.bind().address());
        int port = viaHost ? listener.host().port() : listener.bind().port();
        Function<ProbeSpec, dev.ota.core.probe.Probe> prober = viaHost ? Probes::of : backend::probe;
        ProbeSpec reach = ProbeSpecs.reachability(producer.name(), listener, host, port);
        ProbeSpec ready = readinessSpec(producer, backend, reach, viaHost);
        String url = targetUrl(step);
        try (AutoCloseable ignored = state.lock(identity)) {
            backend.prepare();
            Optional<ServiceRecord> record = state.read(producer.name());
            WorkloadHandle owned = null;
            StringBuilder found = new StringBuilder();
            if (record.isPresent()) {
                WorkloadHandle h = record.get().handle();
                if (record.get().pid() > 0 && backend.isAlive(h)) {
                    owned = h;
                    found.append("ota-owned process pid ").append(h.pid());
                } else {
                    state.delete(producer.name());
                    found.append(record.get().pid() > 0
                            ? "stale record (pid " + record.get().pid() + " no longer runs the recorded process) removed"
                            : "stale record (written before a start that never completed) removed");
                }
            }
            boolean replaced = false;
            if (owned != null && !fingerprint.equals(record.get().fingerprint())) {
                log.accept("`" + producer.name() + "` changed since it was started (pid " + owned.pid() + "); restarting it");
                stopOwned(step, backend, owned);
                owned = null;
                replaced = true;
                found.append("; definition changed, stopped");
            }
            String mode = step.mode();
            // For ensure_ready with a deeper readiness, a passing readiness check proves reachability
            // too, and spares the tcp check's read window (the common reuse case stays fast).
            WaitOutcome readyFirst = "ensure_ready".equals(mode) && ready != reach ? check(ready, prober) : null;
            WaitOutcome reachCheck = readyFirst != null && readyFirst.ready() ? readyFirst : check(reach, prober);
            boolean reachable = reachCheck.ready();
            if (found.length() == 0) {
                found.append("no record");
            }
            found.append(reachable ? "; listener " + host + ":" + port + " reachable" : "; listener " + host + ":" + port
                    + " not reachable");
            if (owned == null && reachable) {
                found.append(" (held by a process ota did not start)");
            }
            switch (mode) {
                case "ensure_started" -> {
                    if (owned != null || reachable) {
                        return result(step, "reused_started", owned != null, false, found, owned, null, url, begin);
                    }
                    WorkloadHandle h = start(step, backend, spec, fingerprint, identity, url, producer.name());
                    return result(step, "started_started", true, true, found, h, null, url, begin);
                }
                case "ensure_running" -> {
                    if (reachable) {
                        return result(step, "reused_running", owned != null, false, found, owned, reachCheck, url, begin);
                    }
                    if (owned != null) {
                        WaitOutcome w = await(step, reach, prober, backend, owned, false);
                        return result(step, "reused_running", true, false, found, owned, w, url, begin);
                    }
                    WorkloadHandle h = start(step, backend, spec, fingerprint, identity, url, producer.name());
                    WaitOutcome w = await(step, reach, prober, backend, h, true);
                    return result(step, "started_running", true, true, found, h, w, url, begin);
                }
                case "restart_ready" -> {
                    if (owned != null) {
                        log.accept("restarting `" + producer.name() + "` (pid " + owned.pid() + ")");
                        stopOwned(step, backend, owned);
                        WorkloadHandle h = start(step, backend, spec, fingerprint, identity, url, producer.name());
                        WaitOutcome w = await(step, ready, prober, backend, h, true);
                        return result(step, "restarted_ready", true, true, found, h, w, url, begin);
                    }
                    if (reachable) {
                        throw failure(step, "`restart_ready` would restart `" + producer.name() + "`, but its listener "
                                + host + ":" + port + " is held by a process ota did not start; ota never stops processes it does not own.",
                                "stop that process yourself, or use `ensure_ready` to reuse it.");
                    }
                    WorkloadHandle h = start(step, backend, spec, fingerprint, identity, url, producer.name());
                    WaitOutcome w = await(step, ready, prober, backend, h, true);
                    // an owned producer stopped above because its definition changed was restarted too
                    return result(step, replaced ? "restarted_ready" : "started_ready", true, true, found, h, w, url, begin);
                }
                default -> { // ensure_ready
                    WaitOutcome readyCheck = !reachable ? null
                            : ready == reach || (readyFirst != null && readyFirst.ready()) ? reachCheck : check(ready, prober);
                    if (readyCheck != null && readyCheck.ready()) {
                        return result(step, "reused_ready", owned != null, false, found, owned, readyCheck, url, begin);
                    }
                    if (owned != null || reachable) {
                        WaitOutcome w = await(step, ready, prober, backend, owned, false);
                        return result(step, "reused_ready", owned != null, false, found, owned, w, url, begin);
                    }
                    WorkloadHandle h = start(step, backend, spec, fingerprint, identity, url, producer.name());
                    WaitOutcome w = await(step, ready, prober, backend, h, true);
                    return result(step, "started_ready", true, true, found, h, w, url, begin);
                }
            }
        } catch (ActivationException | InterruptedException e) {
            throw e;
        } catch (BackendException e) {
            throw failure(step, e.getMessage(), "change what the message above names; the producer's log, if it started,"
                    + " is under .ota/state/logs/.");
        } catch (Exception e) {
            throw failure(step, "activating `" + producer.name() + "` failed: " + e, "re-run with -e and report it.");
        }
    }

    /** Stops a producer ota owns (to restart it) and forgets its record; fails when it does not go away. */
    private void stopOwned(Plan.ActivationStep step, Backend backend, WorkloadHandle owned)
            throws BackendException, ActivationException {
        if (!backend.stop(owned, STOP_GRACE)) {
            throw failure(step, "could not stop `" + step.producer() + "` (pid " + owned.pid() + ") to restart it.",
                    "stop pid " + owned.pid() + " yourself and retry.");
        }
        state.delete(step.producer());
    }

    private WorkloadHandle start(Plan.ActivationStep step, Backend backend, WorkloadSpec spec, String fingerprint,
            String identity, String url, String name) throws BackendException, InterruptedException {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException("interrupted before `" + name + "` was started");
        }
        // The record exists before the process does: a crash in between leaves a trace to clean.
        ServiceRecord pending = new ServiceRecord(name, identity, backend.family(), 0, 0, fingerprint, owner, Instant.now(),
                spec.logFile().toString(), url == null ? List.of() : List.of(url));
        writeRecord(pending);
        log.accept("starting `" + name + "`: " + String.join(" ", spec.argv()) + " (log: " + spec.logFile() + ")");
        if (Thread.currentThread().isInterrupted()) {
            state.delete(name);
            throw new InterruptedException("interrupted before `" + name + "` was started");
        }
        WorkloadHandle handle;
        try {
            handle = backend.startService(spec);
        } catch (BackendException | RuntimeException e) {
            state.delete(name);
            throw e;
        }
        // Registered before anything else can fail: whatever happens next, rollback stops it.
        TargetActivation marker = new TargetActivation(step.consumer(), step.target(), name, step.listener(), step.mode(),
                "starting", true, true, "", handle, null, url, Duration.ZERO, contract.directory());
        startedByThisRun.add(marker);
        // the workload's own log path: on a remote plane it is the remote file
        String logFile = handle.logFile() != null ? handle.logFile().toString() : spec.logFile().toString();
        writeRecord(new ServiceRecord(name, identity, handle.backend(), handle.pid(), handle.startTime(), fingerprint, owner,
                pending.startedAt(), logFile, pending.urls()));
        return handle;
    }

    /**
     * Writes a record even when this thread has been interrupted: the store writes through an
     * interruptible file channel, and a record lost to an interrupt would leave a started process
     * that no later build can find. The interrupt is kept for the caller to act on.
     */
    private void writeRecord(ServiceRecord record) {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                try {
                    state.write(record);
                    return;
                } catch (UncheckedIOException e) {
                    if (!(e.getCause() instanceof ClosedByInterruptException) || attempt == 3) {
                        throw e;
                    }
                    interrupted |= Thread.interrupted();
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private WaitOutcome await(Plan.ActivationStep step, ProbeSpec spec, Function<ProbeSpec, dev.ota.core.probe.Probe> prober,
            Backend backend, WorkloadHandle handle, boolean startedNow) throws ActivationException, InterruptedException {
        Liveness liveness = handle == null ? Liveness.ALWAYS_ALIVE : backend.liveness(handle);
        dev.ota.core.probe.Probe probe;
        try {
            probe = prober.apply(spec);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            throw failure(step, "its readiness cannot be probed: " + e.getMessage(), "fix `runtime.readiness` of `"
                    + step.producer() + "`.");
        }
        WaitOutcome outcome = waiter.await(spec, probe, liveness, log);
        if (outcome.ready()) {
            log.accept(spec.label() + " ready after " + outcome.attempts() + " attempt(s), " + outcome.elapsed().toMillis()
                    + " ms");
            return outcome;
        }
        if ("interrupted".equals(outcome.result())) {
            throw new InterruptedException("interrupted while waiting for " + spec.label());
        }
        StringBuilder why = new StringBuilder();
        String unreachable = backend.unreachable();
        if (unreachable != null) {
            throw failure(step, "lost the " + backend.family() + " backend while waiting for `" + step.producer() + "` ("
                    + spec.label() + "): " + unreachable, "restore the connection and run the build again; ota-maven stops"
                    + " what it started there on the next run or with `mvn ota:clean`.");
        }
        if ("exited".equals(outcome.result())) {
            why.append("producer `").append(step.producer()).append("` exited")
                    .append(outcome.exitCode() != null && outcome.exitCode() >= 0 ? " with code " + outcome.exitCode() : "")
                    .append(" before it was ready (").append(spec.label()).append(").");
        } else {
            why.append("producer `").append(step.producer()).append("` did not become ready: ")
                    .append(ReadinessWaiter.summary(spec, outcome)).append('.');
        }
        if (handle != null) {
            List<String> tail = backend.logTail(handle, 20);
            if (!tail.isEmpty()) {
                why.append(System.lineSeparator()).append("last ").append(tail.size()).append(" log lines (")
                        .append(handle.logFile()).append("):");
                tail.forEach(line -> why.append(System.lineSeparator()).append("  | ").append(line));
            }
        }
        throw failure(step, why.toString(), startedNow
                ? "fix the producer (see its log), or raise `runtime.readiness.retries`/`interval` if it needs longer."
                : "the running producer is not ready; restart it (`restart_ready`) or stop it and retry.");
    }

    private ActivationException failure(Plan.ActivationStep step, String message, String fix) {
        return new ActivationException("activation of `" + step.producer() + "` for `" + step.consumer() + "." + step.target()
                + "` (" + step.mode() + ") failed: " + message + System.lineSeparator() + "Fix: " + fix, List.of());
    }

    private TargetActivation result(Plan.ActivationStep step, String status, boolean owned, boolean startedNow,
            StringBuilder found, WorkloadHandle handle, WaitOutcome wait, String url, Instant begin) {
        TargetActivation a = new TargetActivation(step.consumer(), step.target(), step.producer(), step.listener(),
                step.mode(), status, owned, startedNow, found.toString(), handle, wait, url,
                Duration.between(begin, Instant.now()), contract.directory());
        if (startedNow) {
            synchronized (startedByThisRun) {
                startedByThisRun.removeIf(m -> m.producer().equals(step.producer()));
                startedByThisRun.add(a);
            }
        }
        log.accept(step.consumer() + "." + step.target() + " → `" + step.producer() + "`: " + status
                + (url != null ? " (" + url + ")" : ""));
        return a;
    }

    /** One probe attempt, kept as evidence (a reused producer is "ready" because this said so). */
    private static WaitOutcome check(ProbeSpec spec, Function<ProbeSpec, dev.ota.core.probe.Probe> prober) {
        dev.ota.core.probe.ProbeAttempt attempt = prober.apply(spec).attempt(1);
        return new WaitOutcome(spec, attempt.ready() ? WaitOutcome.READY : WaitOutcome.EXHAUSTED, 1, attempt.elapsed(),
                attempt.detail(), List.of(attempt), null);
    }

    private ProbeSpec readinessSpec(Task producer, Backend backend, ProbeSpec reach, boolean viaHost) {
        Readiness r = producer.runtime().readiness();
        if (r == null || r.kind() == null || r.listener() == null) {
            return reach;
        }
        Listener probed = producer.runtime().listener(r.listener());
        if (probed == null || probed.bind() == null || !probed.bind().fixed()) {
            return reach;
        }
        if (viaHost) {
            if (!probed.projected() || !probed.host().fixed()) {
                return reach;
            }
            return ProbeSpecs.fromReadiness(producer.name(), r, probed, hostAddress(probed), probed.host().port());
        }
        return ProbeSpecs.fromReadiness(producer.name(), r, probed, backend.probeHost(probed.bind().address()),
                probed.bind().port());
    }

    /** The host-visible address of a publication ({@code 0.0.0.0} is dialled through loopback). */
    private static String hostAddress(Listener listener) {
        String a = listener.host().address();
        return a == null || a.isBlank() || a.equals("0.0.0.0") || a.equals("::") || a.equals("[::]") ? "127.0.0.1" : a;
    }

    /** Whether the consumer of the step runs in the producer's shared backend (so it dials bind endpoints). */
    private boolean sharesBackend(Plan.ActivationStep step, TaskShape producer) {
        TaskShape consumer = topology.shape(step.consumer());
        return consumer != null && consumer.sharesBindingWith(producer)
                && !"host".equals(addressView(step));
    }

    /** The address view the consumer's target uses ({@code topology}, {@code internal} or {@code host}). */
    private String addressView(Plan.ActivationStep step) {
        Plan.TaskPlan consumer = plan.tasks().get(step.consumer());
        if (consumer == null) {
            return null;
        }
        return consumer.targetResolutions().stream().filter(r -> r.target().equals(step.target()) && r.serviceRef() != null)
                .map(r -> r.serviceRef().addressView()).findFirst().orElse(null);
    }

    private String targetUrl(Plan.ActivationStep step) {
        Plan.TaskPlan consumer = plan.tasks().get(step.consumer());
        if (consumer == null) {
            return null;
        }
        return consumer.targetResolutions().stream().filter(r -> r.target().equals(step.target()))
                .map(Plan.TargetResolution::effectiveUrl).findFirst().orElse(null);
    }

    private static List<String> listenerShapes(Task producer) {
        List<String> out = new ArrayList<>();
        for (Listener l : producer.runtime().listeners().values()) {
            out.add(l.name() + "=" + l.protocol() + "@" + (l.bind() == null ? "" : l.bind().address() + ":" + l.bind().port()));
        }
        return out;
    }
}
