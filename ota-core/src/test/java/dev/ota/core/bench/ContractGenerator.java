package dev.ota.core.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a large, valid {@code ota.yaml} (plus the org policy its shared container backends
 * resolve through) for the planning benchmark and its sanity test.
 *
 * <p>The default shape: 1,000 tasks, 300 task targets and 20 shared backends. Half the backends
 * are native (pinned to one of two native contexts), half are container (each pinned to its own
 * persistent container context, which extends a common base), with every kind of
 * {@code environment} intent: none, {@code {}}, policy profile, policy image alias and literal
 * image + source. 64% of the tasks are services with one or two listeners on unique fixed ports
 * (so no bind or publication conflict can arise inside a shared container backend); readiness, when
 * declared, always probes the projected primary listener. The other tasks are plain jobs with
 * {@code depends_on} chains across native, persistent-container and ephemeral-container contexts.
 *
 * <p>Targets mix every address view: {@code internal} and {@code topology} between services that
 * share a backend, {@code host} from any caller, {@code topology} from native callers without a
 * shared binding (published host fallback), plus a few literal {@code url} targets. Activation modes
 * cycle through all five; a quarter of the targets declare an {@code override_input}. Every
 * non-manual activation edge between services points from a higher to a lower service index, so
 * activation is acyclic. The output is deterministic for given sizes and seed.
 */
public final class ContractGenerator {

    public static final int DEFAULT_TASKS = 1000;
    public static final int DEFAULT_TARGETS = 300;
    public static final int DEFAULT_SHARED_BACKENDS = 20;

    static final List<String> MODES = List.of("manual", "ensure_started", "ensure_running", "ensure_ready",
            "restart_ready");
    private static final String WORKBENCH_IMAGE = "ghcr.io/acme/workbench-java21-node24:2026.05";
    private static final int FIRST_PORT = 10000;
    /** Container listeners publish on {@code bind port + HOST_OFFSET}, away from every bind port. */
    private static final int HOST_OFFSET = 30000;
    private static final int SETUP_JOBS = 20;

    private final int taskCount;
    private final int targetCount;
    private final int backendCount;
    private final long seed;

    /** The same contract is produced every time for the same arguments. */
    public ContractGenerator(int tasks, int targets, int sharedBackends, long seed) {
        if (sharedBackends < 2 || sharedBackends % 2 != 0) {
            throw new IllegalArgumentException("sharedBackends must be even and >= 2 (half native, half container)");
        }
        int services = services(tasks);
        if (services < sharedBackends * 4 || tasks - services < SETUP_JOBS + 4) {
            throw new IllegalArgumentException("too few tasks for " + sharedBackends + " shared backends");
        }
        if (targets < 20) {
            throw new IllegalArgumentException("at least 20 targets");
        }
        this.taskCount = tasks;
        this.targetCount = targets;
        this.backendCount = sharedBackends;
        this.seed = seed;
    }

    public ContractGenerator() {
        this(DEFAULT_TASKS, DEFAULT_TARGETS, DEFAULT_SHARED_BACKENDS, 42L);
    }

    static int services(int tasks) {
        return tasks * 16 / 25;
    }

    public int taskCount() {
        return taskCount;
    }

    public int targetCount() {
        return targetCount;
    }

    public int sharedBackendCount() {
        return backendCount;
    }

    /**
     * Writes {@code ota.yaml} and {@code .ota/org-policy.yaml} into {@code dir}.
     *
     * @return the contract file
     */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir.resolve(".ota"));
            Files.writeString(dir.resolve(".ota").resolve("org-policy.yaml"), policyYaml(), StandardCharsets.UTF_8);
            Path contract = dir.resolve("ota.yaml");
            Files.writeString(contract, contractYaml(), StandardCharsets.UTF_8);
            return contract;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The org policy the container backends' {@code profile}, {@code image_alias} and {@code {}} resolve through. */
    public String policyYaml() {
        return """
                policies:
                  strict_versions: false
                  backend_environment:
                    profiles:
                      java-node-workbench:
                        image: %s
                        source: internal_registry
                      jdk-slim:
                        image: ghcr.io/acme/jdk21-slim:2026.05
                        source: internal_registry
                    image_aliases:
                      jdk-lts:
                        image: ghcr.io/acme/temurin:21-jdk
                        source: internal_registry
                    default_profile: java-node-workbench
                    denied_sources: [public_hub]
                    allowed_registries: [ghcr.io, registry.acme.internal]
                    denied_registries: [docker.io]
                """.formatted(WORKBENCH_IMAGE);
    }

    // ---- model ----------------------------------------------------------------------------------

    private record Backend(int index, String name, boolean container, String context) {}

    private record Listener(String name, String protocol, int bindPort, boolean shorthand, boolean projected,
            boolean hostFixed, int hostPort, boolean primary) {}

    private static final class Task {
        final String name;
        final String context; // null = default context (host)
        final boolean nativeExec;
        final Backend backend; // services only; null when unbound
        final int serviceIndex; // -1 for jobs
        final List<Listener> listeners = new ArrayList<>();
        String readinessListener;
        final Map<String, String> targets = new LinkedHashMap<>(); // name -> YAML body
        final Map<String, String> inputs = new LinkedHashMap<>(); // name -> YAML body
        final Set<String> envKeys = new HashSet<>();

        Task(String name, String context, boolean nativeExec, Backend backend, int serviceIndex) {
            this.name = name;
            this.context = context;
            this.nativeExec = nativeExec;
            this.backend = backend;
            this.serviceIndex = serviceIndex;
        }

        boolean service() {
            return serviceIndex >= 0;
        }

        Listener listener(String name) {
            return listeners.stream().filter(l -> l.name().equals(name)).findFirst().orElseThrow();
        }
    }

    // ---- generation -----------------------------------------------------------------------------

    public String contractYaml() {
        Random rnd = new Random(seed);
        List<Backend> backends = new ArrayList<>();
        for (int b = 0; b < backendCount; b++) {
            boolean container = b % 2 == 1;
            String name = String.format(Locale.ROOT, container ? "box-stack-%02d" : "native-stack-%02d", b);
            String context = container ? String.format(Locale.ROOT, "box-%02d", b)
                    : ((b / 2) % 2 == 0 ? "host" : "host-tools");
            backends.add(new Backend(b, name, container, context));
        }
        List<String> boxContexts = backends.stream().filter(Backend::container).map(Backend::context).toList();

        int serviceCount = services(taskCount);
        List<Task> services = new ArrayList<>();
        List<List<Task>> byBackend = new ArrayList<>();
        backends.forEach(b -> byBackend.add(new ArrayList<>()));
        int port = FIRST_PORT;
        int bound = 0;
        for (int s = 0; s < serviceCount; s++) {
            String name = String.format(Locale.ROOT, "svc-%03d", s);
            Task t;
            if (s % 32 == 15) { // unbound native service
                t = new Task(name, s % 64 == 15 ? null : "host-tools", true, null, s);
            } else if (s % 32 == 31) { // unbound service in a persistent container context
                t = new Task(name, boxContexts.get((s / 32) % boxContexts.size()), false, null, s);
            } else {
                Backend b = backends.get(bound++ % backendCount);
                t = new Task(name, "host".equals(b.context()) && s % 3 != 0 ? null : b.context(), !b.container(), b, s);
                byBackend.get(b.index()).add(t);
            }
            port = listeners(t, s, port);
            if (s % 3 != 2) {
                t.readinessListener = "http";
            }
            services.add(t);
        }

        List<Task> jobs = new ArrayList<>();
        for (int j = 0; j < taskCount - serviceCount; j++) {
            String name = String.format(Locale.ROOT, "job-%03d", j);
            String context = switch (j % 4) {
                case 0 -> null;
                case 1 -> "host-tools";
                case 2 -> "verify";
                default -> boxContexts.get((j / 4) % boxContexts.size());
            };
            jobs.add(new Task(name, context, j % 4 < 2, null, -1));
        }

        // -- targets --
        int internal = targetCount * 30 / 100;
        int topologyShared = targetCount * 20 / 100;
        int host = targetCount * 25 / 100;
        int url = targetCount * 5 / 100;
        int topologyNative = targetCount - internal - topologyShared - host - url;
        int counter = 0;

        // internal + topology between services that share one backend: consumer above producer.
        int sharedTargets = internal + topologyShared;
        int internalLeft = internal;
        for (int k = 0; k < sharedTargets; k++) {
            List<Task> pool = byBackend.get(k % backendCount);
            int round = k / backendCount;
            int ci = pool.size() - 1 - (round % (pool.size() - 1));
            Task consumer = pool.get(ci);
            Task producer = pool.get(rnd.nextInt(ci));
            boolean isInternal = internalLeft > 0 && (k % 5 < 3 || sharedTargets - k <= internalLeft);
            if (isInternal) {
                internalLeft--;
            }
            String listener = producer.listeners.size() == 1
                    ? (k % 3 == 0 ? null : "http")
                    : producer.listeners.get(k % 2).name();
            addServiceTarget(consumer, producer, listener, isInternal ? "internal" : "topology",
                    MODES.get(rnd.nextInt(MODES.size())), counter++);
        }

        // host view from native callers (a container caller cannot reach the host's loopback publications).
        for (int k = 0; k < host; k++) {
            Task consumer;
            Task producer;
            int tries = 0;
            do {
                if (k % 3 == 0) {
                    consumer = services.get(1 + rnd.nextInt(services.size() - 1));
                    producer = services.get(rnd.nextInt(consumer.serviceIndex));
                } else {
                    consumer = jobs.get(SETUP_JOBS + rnd.nextInt(jobs.size() - SETUP_JOBS));
                    producer = services.get(rnd.nextInt(services.size()));
                }
            } while (!consumer.nativeExec && ++tries < 100);
            String listener = producer.listeners.size() == 1 && k % 2 == 0 ? null : "http";
            addServiceTarget(consumer, producer, listener, "host", MODES.get(rnd.nextInt(MODES.size())), counter++);
        }

        // topology from native callers that share no backend with the producer: published host fallback.
        List<Task> nativeCallers = new ArrayList<>();
        jobs.stream().filter(j -> j.nativeExec && jobs.indexOf(j) >= SETUP_JOBS).forEach(nativeCallers::add);
        services.stream().filter(s -> s.nativeExec && s.backend == null).forEach(nativeCallers::add);
        for (int k = 0; k < topologyNative; k++) {
            Task consumer = nativeCallers.get(rnd.nextInt(nativeCallers.size()));
            Task producer;
            do {
                producer = services.get(rnd.nextInt(consumer.service() ? consumer.serviceIndex : services.size()));
            } while (consumer.service() && producer == consumer);
            addServiceTarget(consumer, producer, producer.listeners.size() == 1 ? null : "http", "topology",
                    MODES.get(rnd.nextInt(MODES.size())), counter++);
        }

        // literal url targets (manual only).
        for (int k = 0; k < url; k++) {
            Task consumer = jobs.get(SETUP_JOBS + rnd.nextInt(jobs.size() - SETUP_JOBS));
            String name = uniqueTarget(consumer, String.format(Locale.ROOT, "docs-%02d", k));
            StringBuilder body = new StringBuilder();
            body.append("        url: https://docs.example.com/pages/").append(k).append('\n');
            if (k % 2 == 0) {
                body.append("        activation: { mode: manual }\n");
            }
            overrideInput(consumer, name, body, counter++);
            consumer.targets.put(name, body.toString());
        }

        // -- emit --
        StringBuilder y = new StringBuilder(taskCount * 400);
        header(y, backends);
        y.append("tasks:\n");
        for (Task t : services) {
            emit(y, t, jobs);
        }
        for (Task t : jobs) {
            emit(y, t, jobs);
        }
        return y.toString();
    }

    /** Declares the listeners of service {@code t}; returns the next free bind port. */
    private static int listeners(Task t, int s, int port) {
        boolean two = s % 2 == 0;
        if (t.nativeExec) {
            boolean shorthand = s % 3 == 0 && !two;
            t.listeners.add(new Listener("http", "http", port, shorthand, true, true, port, !shorthand));
            port++;
            if (two) {
                boolean projected = s % 4 == 0; // tcp shorthand: projected, fixed, not primary
                t.listeners.add(new Listener("metrics", "tcp", port, projected, projected, projected, port, false));
                port++;
            }
        } else {
            t.listeners.add(new Listener("http", s % 5 == 0 ? "https" : "http", port, false, true, true,
                    port + HOST_OFFSET, true));
            port++;
            if (two) {
                boolean projected = s % 4 == 0; // debug port published on an auto host port
                t.listeners.add(new Listener(projected ? "debug" : "grpc", "tcp", port, false, projected, false, 0, false));
                port++;
            }
        }
        return port;
    }

    private static String uniqueTarget(Task consumer, String base) {
        String name = base;
        for (int n = 2; consumer.targets.containsKey(name) || consumer.envKeys.contains(env(name)); n++) {
            name = base + "-" + n;
        }
        consumer.envKeys.add(env(name));
        return name;
    }

    private static String env(String name) {
        return name.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }

    private static void addServiceTarget(Task consumer, Task producer, String listener, String view, String mode,
            int counter) {
        String name = uniqueTarget(consumer, producer.name);
        StringBuilder body = new StringBuilder();
        body.append("        service: { task: ").append(producer.name);
        if (listener != null) {
            body.append(", listener: ").append(listener);
        }
        if (!"topology".equals(view) || counter % 2 == 0) { // topology is the default view
            body.append(", address_view: ").append(view);
        }
        body.append(" }\n");
        if (!"manual".equals(mode) || counter % 3 == 0) {
            body.append("        activation: { mode: ").append(mode).append(" }\n");
        }
        overrideInput(consumer, name, body, counter);
        consumer.targets.put(name, body.toString());
    }

    private static void overrideInput(Task consumer, String target, StringBuilder body, int counter) {
        if (counter % 4 != 0) {
            return;
        }
        String input = target.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_") + "_url";
        body.append("        override_input: ").append(input).append('\n');
        StringBuilder def = new StringBuilder();
        def.append("      ").append(input).append(":\n");
        def.append("        description: Point `").append(target).append("` somewhere else explicitly\n");
        if (counter % 8 == 0) {
            def.append("        default: http://127.0.0.1:65000/\n");
        }
        consumer.inputs.put(input, def.toString());
    }

    private void header(StringBuilder y, List<Backend> backends) {
        y.append("""
                version: 1
                project:
                  name: bench-platform
                  description: Generated contract for the ota-core planning benchmark
                  type: application

                runtimes:
                  java: ">=17"

                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      only_on: [linux, macos]
                      env:
                        GRADLE_OPTS: -Dorg.gradle.daemon=false
                      requirements:
                        runtimes:
                          java: { version: ">=21", distribution: temurin }
                        tools:
                          gradle: "^8"
                    host-tools:
                      backend: native
                      only_arch: [x64, arm64]
                      requirements:
                        tools:
                          curl: "*"
                          jq: ">=1.6"
                    verify:
                      backend: container
                      lifecycle: ephemeral
                      fulfillment: run
                      container: { image: ghcr.io/acme/node:24-bookworm }
                      requirements:
                        runtimes: { node: ">=24" }
                        tools:
                          pnpm:
                            version: "10"
                            acquisition: { provider: corepack, package: pnpm, version: "10.11.0" }
                    box-base:
                      backend: container
                      lifecycle: persistent
                      container:
                        image: %s
                        engines: [docker, podman]
                        resources:
                          memory: { minimum: 2GiB, default: 3GiB }
                      attachments:
                        isolated_paths: [.m2, web/node_modules]
                """.formatted(WORKBENCH_IMAGE));
        for (Backend b : backends) {
            if (!b.container()) {
                continue;
            }
            y.append("    ").append(b.context()).append(":\n");
            y.append("      extends: box-base\n");
            if (b.index() % 3 == 0) {
                y.append("      fulfillment: run\n");
            }
            y.append("      env:\n        BOX_NAME: ").append(b.context()).append('\n');
            y.append("      requirements:\n");
            y.append("        runtimes:\n          java: \">=21\"\n          node: \">=24.14.1\"\n");
            y.append("        tools:\n          maven: \"*\"\n          curl: \"*\"\n");
        }
        y.append("  shared_backends:\n");
        for (Backend b : backends) {
            y.append("    ").append(b.name()).append(":\n");
            y.append("      scope: local\n");
            y.append("      backend: ").append(b.container() ? "container" : "native").append('\n');
            y.append("      lifecycle: persistent\n");
            y.append("      context: ").append(b.context()).append('\n');
            switch (b.index() % 3) {
                case 0 -> y.append("      fulfillment: run\n");
                case 1 -> y.append("      fulfillment: none\n");
                default -> { }
            }
            if (b.container()) {
                switch ((b.index() / 2) % 5) {
                    case 0 -> { } // context image
                    case 1 -> y.append("      environment: {}\n");
                    case 2 -> y.append("      environment: { profile: ")
                            .append(b.index() % 4 == 1 ? "java-node-workbench" : "jdk-slim").append(" }\n");
                    case 3 -> y.append("      environment: { image_alias: jdk-lts }\n");
                    default -> y.append("      environment:\n        image: registry.acme.internal/tools/jdk-toolbox:21\n")
                            .append("        source: internal_registry\n");
                }
            }
        }
        y.append('\n');
    }

    private static void emit(StringBuilder y, Task t, List<Task> jobs) {
        int n = Integer.parseInt(t.name.substring(4));
        y.append("  ").append(t.name).append(":\n");
        if (t.service()) {
            y.append("    description: Service ").append(t.name).append('\n');
        } else if (n % 3 == 0) {
            y.append("    description: Job ").append(t.name).append('\n');
        }
        if (t.context != null) {
            y.append("    context: ").append(t.context).append('\n');
        }
        if (t.service()) {
            if (n % 2 == 0) {
                y.append("    launch: { kind: command, exe: ./gradlew, args: [\":").append(t.name).append(":bootRun\"] }\n");
            } else {
                y.append("    run: ./gradlew :").append(t.name).append(":run --args='--port=")
                        .append(t.listeners.get(0).bindPort()).append("'\n");
            }
            y.append("    depends_on: [").append(String.format(Locale.ROOT, "job-%03d", n % SETUP_JOBS)).append("]\n");
            y.append("    env:\n      SERVICE_NAME: ").append(t.name).append('\n');
        } else {
            y.append("    run: ./gradlew :").append(t.name).append(":check\n");
            if (n >= SETUP_JOBS) {
                y.append("    depends_on: [").append(String.format(Locale.ROOT, "job-%03d", n % SETUP_JOBS));
                if (n % 5 == 0) {
                    y.append(", ").append(jobs.get(n - 1).name);
                }
                y.append("]\n");
            }
            if (n % 7 == 0) {
                y.append("    requirements:\n      tools:\n        curl: \"*\"\n");
            }
        }
        if (!t.inputs.isEmpty()) {
            y.append("    inputs:\n");
            t.inputs.values().forEach(y::append);
        }
        if (!t.targets.isEmpty()) {
            y.append("    targets:\n");
            t.targets.forEach((name, body) -> y.append("      ").append(name).append(":\n").append(body));
        }
        if (t.service()) {
            y.append("    runtime:\n      kind: service\n");
            if (t.backend != null) {
                y.append("      backend_binding: ").append(t.backend.name()).append('\n');
            }
            if (t.readinessListener != null) {
                Listener l = t.listener(t.readinessListener);
                if (n % 2 == 0) {
                    y.append("      readiness:\n        kind: http\n        listener: ").append(l.name()).append('\n');
                    y.append("        method: GET\n        path: /health\n");
                    y.append("        success: { status: [200, 204] }\n");
                    y.append("        interval: 2s\n        timeout: 3s\n        retries: 60\n        start_period: 5s\n");
                } else {
                    y.append("      readiness: { kind: tcp, listener: ").append(l.name())
                            .append(", timeout: 1s, retries: 40 }\n");
                }
            }
            y.append("      listeners:\n");
            for (Listener l : t.listeners) {
                y.append("        ").append(l.name()).append(':');
                if (l.shorthand()) {
                    y.append(" { ").append(l.protocol()).append(": ").append(l.bindPort()).append(" }\n");
                    continue;
                }
                y.append('\n');
                y.append("          protocol: ").append(l.protocol()).append('\n');
                y.append("          bind: { address: ").append(t.nativeExec ? "127.0.0.1" : "0.0.0.0")
                        .append(", port: { mode: fixed, value: ").append(l.bindPort()).append(" } }\n");
                if (l.projected()) {
                    y.append("          project:\n            host: { address: 127.0.0.1");
                    if (l.primary()) {
                        y.append(", primary: true");
                    }
                    if (l.hostFixed()) {
                        y.append(", port: { mode: fixed, value: ").append(l.hostPort()).append(" }");
                    } else {
                        y.append(", port: { mode: auto }");
                    }
                    if (!"tcp".equals(l.protocol())) {
                        y.append(", path: /");
                    }
                    y.append(" }\n");
                }
            }
        }
    }
}
