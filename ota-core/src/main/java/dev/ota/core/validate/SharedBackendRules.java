package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.SharedBackend;
import dev.ota.core.model.Task;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.resolve.ResolvedContext;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** Rules 13–30 and 32: shared backend declarations, the tasks bound to them, direct fulfillment. */
final class SharedBackendRules extends RuleSupport {

    SharedBackendRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        for (SharedBackend backend : contract.execution().sharedBackends().values()) {
            declaration(backend);
        }
        for (TaskShape shape : topology.shapes().values()) {
            binding(shape);
            directFulfillment(shape);
        }
        for (SharedBackend backend : contract.execution().sharedBackends().values()) {
            List<TaskShape> bound = topology.boundTo(backend.name());
            contextSpread(backend, bound);
            if ("container".equals(backend.backend())) {
                containerShape(backend, bound);
                conflicts(backend, bound, false);
                conflicts(backend, bound, true);
            }
        }
        containerPortPublications();
    }

    /** Rules 13–19. */
    private void declaration(SharedBackend b) {
        String path = "execution.shared_backends." + b.name();
        if (b.name().isBlank()) {
            error("OTA_SHARED_BACKEND_NAME", b.site().location(), "a shared backend has an empty name.",
                    "give the shared backend a name.");
        }
        if ("remote".equals(b.scope()) && b.backend() != null && !"remote".equals(b.backend())) {
            error("OTA_SHARED_BACKEND_SCOPE", b.site().at("scope"),
                    "`" + path + "` with `scope: remote` currently requires `backend: remote`.",
                    "use `scope: local` for a `" + b.backend() + "` backend, or set `backend: remote`.");
        }
        if ("remote".equals(b.backend()) && b.scope() != null && !"remote".equals(b.scope())) {
            error("OTA_SHARED_BACKEND_SCOPE", b.site().at("scope"),
                    "`" + path + "` with `backend: remote` currently requires `scope: remote`.",
                    "set `scope: remote`.");
        }
        if (("native".equals(b.backend()) || "remote".equals(b.backend())) && b.lifecycle() != null
                && !"persistent".equals(b.lifecycle())) {
            error("OTA_SHARED_BACKEND_LIFECYCLE", b.site().at("lifecycle"),
                    "`" + path + "` (`backend: " + b.backend() + "`) currently supports `lifecycle: persistent` only.",
                    "set `lifecycle: persistent`.");
        }
        if (b.context() != null) {
            ResolvedContext ctx = topology.context(b.context());
            if (b.context().isBlank() || !contract.execution().contexts().containsKey(b.context())) {
                error("OTA_SHARED_BACKEND_CONTEXT", b.site().at("context"),
                        "`" + path + ".context` references unknown context `" + b.context() + "`.",
                        "name one of " + list(contract.execution().contexts().keySet()) + ".");
            } else if (ctx != null && ctx.backend() != null && b.backend() != null && !ctx.backend().equals(b.backend())) {
                error("OTA_SHARED_BACKEND_CONTEXT", b.site().at("context"),
                        "`" + path + ".context` `" + b.context() + "` resolves to `" + ctx.backend()
                                + "` but shared backend requires `" + b.backend() + "`.",
                        "pin a `" + b.backend() + "` context, or change the backend's `backend`.");
            } else if (ctx != null && ctx.lifecycle() != null && b.lifecycle() != null
                    && "container".equals(ctx.backend()) && !ctx.lifecycle().equals(b.lifecycle())) {
                error("OTA_SHARED_BACKEND_CONTEXT", b.site().at("lifecycle"),
                        "`" + path + ".lifecycle` `" + b.lifecycle() + "` conflicts with `execution.contexts."
                                + b.context() + ".lifecycle` `" + ctx.lifecycle() + "`.",
                        "make both lifecycles the same (a shared container is normally `persistent`).");
            }
        }
        SharedBackend.BackendEnvironment env = b.environment();
        if (env != null) {
            if (b.backend() != null && !"container".equals(b.backend())) {
                error("OTA_SHARED_BACKEND_ENVIRONMENT", b.site().at("environment"),
                        "`" + path + ".environment` is currently supported only for `backend: container`.",
                        "remove `environment`; native and remote backends carry no image.");
            }
            int intents = (env.profile() != null ? 1 : 0) + (env.imageAlias() != null ? 1 : 0) + (env.image() != null ? 1 : 0);
            if (intents > 1) {
                error("OTA_SHARED_BACKEND_ENVIRONMENT", env.site().location(),
                        "`" + path + ".environment` must not combine `profile`, `image_alias` and `image`; declare one intent only.",
                        "keep exactly one of `profile`, `image_alias` or `image`.");
            }
            for (String[] field : new String[][] {{"profile", env.profile()}, {"image_alias", env.imageAlias()},
                    {"image", env.image()}, {"source", env.source()}}) {
                if (blank(field[1])) {
                    error("OTA_EMPTY", env.site().at(field[0]), "`" + path + ".environment." + field[0] + "` is empty.",
                            "give it a value or remove it.");
                }
            }
            if (env.source() != null && env.image() == null) {
                error("OTA_SHARED_BACKEND_ENVIRONMENT", env.site().at("source"),
                        "`" + path + ".environment.source` is only valid with a literal `image` intent.",
                        "remove `source` (profiles and aliases carry their source in the org policy), or declare `image`.");
            }
        }
    }

    /** Rules 21–23 and 25 for one task. */
    private void binding(TaskShape shape) {
        Task task = shape.task();
        if (!task.isService() || task.runtime().backendBinding() == null) {
            return;
        }
        String name = task.runtime().backendBinding();
        var at = task.runtime().site().at("backend_binding");
        String where = "task `" + task.name() + "`";
        if (name.isBlank()) {
            error("OTA_BINDING", at, "`runtime.backend_binding` of " + where + " is empty.",
                    "name a declared shared backend, or remove `backend_binding`.");
            return;
        }
        if (!contract.execution().declared()) {
            error("OTA_BINDING", at, "`backend_binding: " + name + "` requires `execution.shared_backends." + name
                    + "` to be declared.", "add an `execution.shared_backends." + name + "` block.");
            return;
        }
        SharedBackend b = shape.binding();
        if (b == null) {
            var known = contract.execution().sharedBackends().keySet();
            error("OTA_BINDING", at, "`backend_binding: " + name + "` references unknown `execution.shared_backends."
                    + name + "`.", known.isEmpty() ? "declare `execution.shared_backends." + name + "`."
                    : "name one of " + list(known) + ", or declare `execution.shared_backends." + name + "`.");
            return;
        }
        if (shape.backend() != null && b.backend() != null && !shape.backend().equals(b.backend())) {
            error("OTA_BINDING_FAMILY", at, "`backend_binding: " + name + "` requires `" + b.backend()
                    + "` execution, but task runtime resolves to `" + shape.backend() + "`.",
                    "run " + where + " in a `" + b.backend() + "` context (`context:`), or bind it to a `"
                            + shape.backend() + "` shared backend.");
            return;
        }
        if (b.context() != null && shape.contextName() != null && !b.context().equals(shape.contextName())) {
            error("OTA_BINDING_CONTEXT", at, where + " binds to `" + name + "` but resolves `context: "
                    + shape.contextName() + "`; expected `" + b.context() + "`.",
                    "set `context: " + b.context() + "` on the task (every bound task must run in the pinned context).");
        }
        if (b.lifecycle() != null && "container".equals(b.backend()) && shape.lifecycle() != null
                && !b.lifecycle().equals(shape.lifecycle())) {
            error("OTA_BINDING_LIFECYCLE", at, "`execution.shared_backends." + name + "` has lifecycle `" + b.lifecycle()
                    + "`, but resolved task lifecycle is `" + shape.lifecycle() + "`.",
                    "give context `" + shape.contextName() + "` `lifecycle: " + b.lifecycle() + "`.");
        }
    }

    /** Rule 24. */
    private void contextSpread(SharedBackend b, List<TaskShape> bound) {
        if (b.context() != null) {
            return;
        }
        Set<String> contexts = new TreeSet<>();
        for (TaskShape shape : bound) {
            if (shape.contextName() != null) {
                contexts.add(shape.contextName());
            }
        }
        if (contexts.size() > 1) {
            error("OTA_BINDING_CONTEXTS", b.site().location(), "`execution.shared_backends." + b.name()
                    + "` is bound by tasks across multiple contexts (" + String.join(", ", contexts)
                    + "); set `execution.shared_backends." + b.name() + ".context` explicitly.",
                    "pin one context with `context:` and run every bound task in it.");
        }
    }

    /** Rule 26: one deterministic container shape per shared container backend. */
    private void containerShape(SharedBackend b, List<TaskShape> bound) {
        Map<String, List<String>> byShape = new LinkedHashMap<>();
        for (TaskShape shape : bound) {
            if (shape.context() == null || !"container".equals(shape.backend())) {
                continue;
            }
            byShape.computeIfAbsent(shapeKey(b, shape.context()), k -> new ArrayList<>()).add(shape.task().name());
        }
        if (byShape.size() > 1) {
            StringBuilder detail = new StringBuilder();
            byShape.forEach((key, tasks) -> detail.append(detail.length() == 0 ? "" : "; ")
                    .append(String.join(", ", tasks)).append(" → ").append(key));
            error("OTA_SHARED_BACKEND_SHAPE", b.site().location(), "tasks bound to `execution.shared_backends." + b.name()
                    + "` resolve different container shapes (image/engines/publications/isolation/memory); shared backends require one deterministic container shape: "
                    + detail + ".", "run every bound task in one context (set `context:` on the backend).");
        }
    }

    /** Shape key (digest §6): environment intent or context image, engines, isolation, memory. */
    static String shapeKey(SharedBackend b, ResolvedContext context) {
        String image;
        SharedBackend.BackendEnvironment env = b.environment();
        if (env != null && env.profile() != null) {
            image = "profile:" + env.profile();
        } else if (env != null && env.imageAlias() != null) {
            image = "image_alias:" + env.imageAlias();
        } else if (env != null && env.image() != null) {
            image = env.image();
        } else {
            image = context.container().image();
        }
        Set<String> isolation = new TreeSet<>();
        for (String p : context.isolatedPaths()) {
            isolation.add(Path.of(p).normalize().toString());
        }
        String memory = context.container().memoryDefault() != null ? context.container().memoryDefault()
                : context.container().memoryMinimum();
        return "image=" + image + " engines=" + context.container().effectiveEngines() + " isolation=" + isolation
                + " memory=" + Objects.toString(memory, "-");
    }

    /** Rules 27 (bind endpoints) and 28 (fixed host publications) for one container backend. */
    private void conflicts(SharedBackend b, List<TaskShape> bound, boolean host) {
        record Endpoint(String task, String listener, String address, int port, Listener l) {}
        List<Endpoint> endpoints = new ArrayList<>();
        for (TaskShape shape : bound) {
            for (Listener l : shape.task().runtime().listeners().values()) {
                if (host) {
                    if (l.host() != null && l.host().fixed() && l.host().address() != null) {
                        endpoints.add(new Endpoint(shape.task().name(), l.name(), l.host().address(), l.host().port(), l));
                    }
                } else if (l.bind() != null && l.bind().fixed() && l.bind().address() != null) {
                    endpoints.add(new Endpoint(shape.task().name(), l.name(), l.bind().address(), l.bind().port(), l));
                }
            }
        }
        Set<String> reported = new LinkedHashSet<>();
        for (int i = 0; i < endpoints.size(); i++) {
            for (int j = i + 1; j < endpoints.size(); j++) {
                Endpoint a = endpoints.get(i);
                Endpoint c = endpoints.get(j);
                if (a.port() != c.port() || !clash(a.address(), c.address())) {
                    continue;
                }
                if (!reported.add(c.task() + "." + c.listener())) {
                    continue;
                }
                var at = host ? c.l().host().site().location() : c.l().bind().site().location();
                String what = host ? "conflicting fixed host publications" : "conflicting in-backend listener endpoints";
                error(host ? "OTA_SHARED_BACKEND_PUBLICATION_CONFLICT" : "OTA_SHARED_BACKEND_BIND_CONFLICT", at,
                        "tasks bound to `execution.shared_backends." + b.name() + "` declare " + what + ": `"
                                + a.task() + "." + a.listener() + "` and `" + c.task() + "." + c.listener() + "` both use "
                                + a.address() + "/" + c.address() + " port " + a.port() + ".",
                        host ? "publish one of them on another host port (or `port: { mode: auto }`)."
                                : "bind one of them to another port; workloads in one shared container share its network.");
            }
        }
    }

    /** Addresses clash when equal after folding loopback, or when either is a wildcard. */
    static boolean clash(String a, String b) {
        if (Endpoints.isWildcard(a) || Endpoints.isWildcard(b)) {
            return true;
        }
        String fa = Endpoints.isLoopback(a) ? "loopback" : a.trim().toLowerCase();
        String fb = Endpoints.isLoopback(b) ? "loopback" : b.trim().toLowerCase();
        return fa.equals(fb);
    }

    /** Rule 30: within one container context, a container port is published one way only. */
    private void containerPortPublications() {
        Map<String, Map<Integer, Listener>> byContext = new LinkedHashMap<>();
        for (TaskShape shape : topology.shapes().values()) {
            if (!shape.task().isService() || !"container".equals(shape.backend()) || shape.contextName() == null) {
                continue;
            }
            Map<Integer, Listener> published = byContext.computeIfAbsent(shape.contextName(), k -> new LinkedHashMap<>());
            for (Listener l : shape.task().runtime().listeners().values()) {
                if (l.host() == null || l.bind() == null || !l.bind().fixed()) {
                    continue;
                }
                Listener previous = published.putIfAbsent(l.bind().port(), l);
                if (previous != null && previous != l && !sameProjection(previous, l)) {
                    error("OTA_CONTAINER_PORT_PUBLICATION", l.host().site().location(),
                            "context `" + shape.contextName() + "` publishes internal port `" + l.bind().port()
                                    + "` more than once with conflicting host projection settings.",
                            "publish container port " + l.bind().port() + " with one host address and port everywhere.");
                }
            }
        }
    }

    private static boolean sameProjection(Listener a, Listener b) {
        return Objects.equals(a.host().address(), b.host().address())
                && Objects.equals(a.host().portMode(), b.host().portMode())
                && Objects.equals(a.host().port(), b.host().port());
    }

    /** Rule 32. */
    private void directFulfillment(TaskShape shape) {
        ResolvedContext ctx = shape.context();
        if (!shape.task().isService() || ctx == null || !ctx.isContainer()) {
            return;
        }
        if ("run".equals(ctx.fulfillment()) && "ephemeral".equals(ctx.lifecycle())) {
            error("OTA_EPHEMERAL_SERVICE_FULFILLMENT", shape.task().runtime().site().location(),
                    "task `" + shape.task().name() + "` cannot use `execution.contexts." + ctx.name()
                            + ".fulfillment: run` with an ephemeral container service runtime.",
                    "run the service in a persistent container context (or a shared backend with `fulfillment: run`).");
        }
    }
}
