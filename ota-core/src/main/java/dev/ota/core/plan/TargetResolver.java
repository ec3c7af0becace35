package dev.ota.core.plan;

import dev.ota.core.model.Listener;
import dev.ota.core.model.ServiceRef;
import dev.ota.core.model.Target;
import dev.ota.core.model.Task;
import dev.ota.core.model.TaskInput;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.resolve.EnvNames;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.util.Map;

/**
 * Resolves one task target to the value the consumer receives (digest §3, product decisions §2):
 * explicit override input, else the resolved binding, else a literal input default.
 */
final class TargetResolver {

    static final String EXPLICIT_OVERRIDE = "explicit_override";
    static final String TARGET_BINDING = "target_binding";
    static final String LITERAL_DEFAULT = "compatibility_literal_default";

    private final Topology topology;
    /** The workspace's view of other repos; null when no workspace is known. */
    private final RepoProducers repos;

    TargetResolver(Topology topology, RepoProducers repos) {
        this.topology = topology;
        this.repos = repos;
    }

    /** Where a view leads: a URL, or why not and what would fix it. */
    record Address(String url, String error, String fix) {
        static Address of(String url) {
            return new Address(url, null, null);
        }

        static Address fail(String error, String fix) {
            return new Address(null, error, fix);
        }
    }

    Plan.TargetResolution resolve(Task caller, Target target, Map<String, String> operatorInputs) {
        ServiceRef ref = target.service();
        String mode = target.effectiveActivation();
        Plan.ServiceRefView refView = ref == null ? null
                : new Plan.ServiceRefView(ref.task(), ref.listener() != null ? ref.listener() : listenerOf(ref),
                        ref.effectiveView(), ref.repo(), ref.member());
        Address bound = ref != null ? address(caller, ref) : Address.of(target.url());
        String override = target.overrideInput() == null ? null : operatorInputs.get(target.overrideInput());
        String env = target.overrideInput() == null ? EnvNames.target(target.name())
                : EnvNames.input(target.overrideInput()) + "," + EnvNames.target(target.name());
        if (override != null && !override.isEmpty()) {
            String status = ref != null && !Target.MANUAL.equals(mode) ? "skipped_explicit_override" : "manual";
            return new Plan.TargetResolution(target.name(), target.overrideInput(), EXPLICIT_OVERRIDE, refView,
                    target.url(), override, new Plan.Activation(mode, status), env, null, null);
        }
        if (bound.url() != null) {
            String status = Target.MANUAL.equals(mode) ? "manual" : "planned";
            return new Plan.TargetResolution(target.name(), target.overrideInput(), TARGET_BINDING, refView, target.url(),
                    bound.url(), new Plan.Activation(mode, status), env, null, null);
        }
        TaskInput input = target.overrideInput() == null ? null : caller.inputs().get(target.overrideInput());
        if (input != null && input.defaultValue() != null && !input.defaultValue().isEmpty()) {
            if (Target.MANUAL.equals(mode)) {
                return new Plan.TargetResolution(target.name(), target.overrideInput(), LITERAL_DEFAULT, refView,
                        target.url(), input.defaultValue(), new Plan.Activation(mode, "manual"), env, null, null);
            }
            return new Plan.TargetResolution(target.name(), target.overrideInput(), null, refView, target.url(), null,
                    new Plan.Activation(mode, "blocked"), env,
                    bound.error() + " Activation `" + mode + "` cannot fall back to the literal default `"
                            + input.defaultValue() + "` of input `" + input.name() + "`.",
                    bound.fix() + " Or pass -Dota.input." + input.name() + "=<url> to override explicitly.");
        }
        return new Plan.TargetResolution(target.name(), target.overrideInput(), null, refView, target.url(), null,
                new Plan.Activation(mode, Target.MANUAL.equals(mode) ? "manual" : "blocked"), env, bound.error(),
                bound.fix());
    }

    /** The producer's sole listener, also across repos; null when it cannot be told. */
    private String listenerOf(ServiceRef ref) {
        if (ref.crossRepo()) {
            if (repos == null) {
                return null;
            }
            RepoProducers.Producer producer = repos.producer(topology.contract(), ref);
            return producer.ok() ? producer.listener().name() : null;
        }
        return ref.crossMember() ? null : soleListener(ref);
    }

    private String soleListener(ServiceRef ref) {
        Task producer = topology.contract().task(ref.task());
        if (producer == null || !producer.isService() || producer.runtime().listeners().size() != 1) {
            return null;
        }
        return producer.runtime().listeners().keySet().iterator().next();
    }

    /** The URL a view gives this caller, or why it cannot resolve. */
    Address address(Task caller, ServiceRef ref) {
        if (ref.crossRepo()) {
            return crossRepo(caller, ref);
        }
        if (ref.crossMember()) {
            return Address.fail("`service.member` targets are not supported by ota-maven yet.",
                    "pass the producer URL explicitly through the target's `override_input`.");
        }
        Task producer = topology.contract().task(ref.task());
        if (producer == null || !producer.isService()) {
            return Address.fail("producer `" + ref.task() + "` is not a service task of this contract.",
                    "point `service.task` at a task with `runtime: { kind: service }`.");
        }
        String listenerName = ref.listener() != null ? ref.listener() : soleListener(ref);
        Listener listener = listenerName == null ? null : producer.runtime().listener(listenerName);
        if (listener == null) {
            return Address.fail("listener of `" + producer.name() + "` is not determined.",
                    "declare `service.listener`.");
        }
        TaskShape callerShape = topology.shape(caller.name());
        TaskShape producerShape = topology.shape(producer.name());
        boolean shared = callerShape != null && producerShape != null && callerShape.sharesBindingWith(producerShape);
        String who = "listener `" + listener.name() + "` of task `" + producer.name() + "`";
        String callerBackend = callerShape == null || callerShape.backend() == null ? "native" : callerShape.backend();
        return switch (ref.effectiveView()) {
            case "host" -> {
                Address unreachable = loopbackFromContainer(caller, callerBackend, listener, who,
                        "bind both tasks to one `execution.shared_backends.<name>` and use `address_view: internal`, or"
                                + " publish " + who + " on an address the container can reach.");
                yield unreachable != null ? unreachable : host(listener, who, false);
            }
            case "internal" -> {
                if (!shared) {
                    yield Address.fail("`address_view: internal` needs `" + caller.name() + "` and `" + producer.name()
                            + "` to share one declared backend binding, and they do not.",
                            "bind both tasks to the same `execution.shared_backends.<name>` (`runtime.backend_binding`), or use `address_view: host`.");
                }
                yield bind(listener, who, "`address_view: internal`");
            }
            default -> {
                if (shared) {
                    yield bind(listener, who, "`address_view: topology` inside a shared backend");
                }
                if ("native".equals(callerBackend)) {
                    yield host(listener, who, true);
                }
                yield Address.fail("`address_view: topology` from a " + callerBackend + " caller resolves only when `"
                        + caller.name() + "` and `" + producer.name()
                        + "` share one declared backend binding; ota does not guess a host bridge.",
                        "bind both tasks to one `execution.shared_backends.<name>`, or use `address_view: host` with a fixed `project.host` on "
                                + who + ".");
            }
        };
    }

    /**
     * A {@code service.repo} target (digest §E.3): the producer lives in another repo of the
     * workspace, and only its fixed {@code project.host} is an address both sides agree on.
     */
    private Address crossRepo(Task caller, ServiceRef ref) {
        if (repos == null) {
            return Address.fail("`service.repo: " + ref.repo() + "` targets resolve through `ota.workspace.yaml`, and no workspace is known"
                            + " for this contract.",
                    "put the repo in a workspace (an `ota.workspace.yaml` in a parent directory that lists it), or pass the"
                            + " producer URL explicitly through the target's `override_input`.");
        }
        RepoProducers.Producer producer = repos.producer(topology.contract(), ref);
        if (!producer.ok()) {
            return Address.fail(producer.error(), producer.fix());
        }
        if (!"host".equals(ref.effectiveView())) {
            return Address.fail("`service.repo` targets resolve only through `address_view: host`, but this one uses `"
                            + ref.effectiveView() + "`" + (ref.addressView() == null ? " (the default)" : "") + ".",
                    "set `address_view: host`.");
        }
        TaskShape callerShape = topology.shape(caller.name());
        String callerBackend = callerShape == null || callerShape.backend() == null ? "native" : callerShape.backend();
        Address unreachable = loopbackFromContainer(caller, callerBackend, producer.listener(), producer.description(),
                "publish " + producer.description() + " on an address the container can reach, or pass the URL through the"
                        + " target's `override_input`.");
        return unreachable != null ? unreachable : host(producer.listener(), producer.description(), false);
    }

    /**
     * Inside the caller's container, 127.0.0.1 is the container itself, and on a remote caller's
     * host it is that host: neither reaches the build host's loopback.
     */
    private Address loopbackFromContainer(Task caller, String callerBackend, Listener listener, String who, String fix) {
        if (listener.host() == null || !loopback(listener.host().address())) {
            return null;
        }
        if ("container".equals(callerBackend)) {
            return Address.fail("`address_view: host` from the container task `" + caller.name() + "` would hand it "
                    + Endpoints.hostUrl(listener) + ", a loopback address of the build host that the container"
                    + " cannot reach; ota does not guess a host bridge.", fix);
        }
        TaskShape callerShape = topology.shape(caller.name());
        if ("remote".equals(callerBackend) && !(callerShape != null && producerOn(callerShape, listener))) {
            return Address.fail("`address_view: host` from the remote task `" + caller.name() + "` would hand it "
                    + Endpoints.hostUrl(listener) + ", a loopback address that means the remote host itself there,"
                    + " not the build host; ota does not guess a tunnel.", fix);
        }
        return null;
    }

    /** Whether the listener belongs to a producer in the caller's own shared backend (same plane). */
    private boolean producerOn(TaskShape caller, Listener listener) {
        for (Task t : topology.contract().tasks().values()) {
            if (t.isService() && t.runtime().listeners().containsValue(listener)) {
                TaskShape shape = topology.shape(t.name());
                return shape != null && caller.sharesBindingWith(shape);
            }
        }
        return false;
    }

    private static boolean loopback(String address) {
        if (address == null) {
            return false;
        }
        String a = address.trim().toLowerCase(java.util.Locale.ROOT);
        // a wildcard publication is dialled as the caller's own address too
        return a.equals("localhost") || a.startsWith("127.") || a.equals("::1") || a.equals("[::1]") || a.equals("0.0.0.0")
                || a.equals("::") || a.equals("[::]");
    }

    private static Address host(Listener listener, String who, boolean topologyFallback) {
        String view = topologyFallback ? "`address_view: topology` (no shared binding, so the published host endpoint)"
                : "`address_view: host`";
        if (listener.host() == null) {
            return Address.fail(who + " does not declare `project.host`, which " + view + " needs.",
                    "give " + who + " `project.host` with `port.mode: fixed` — or bind both tasks to one shared backend and use `address_view: internal`.");
        }
        if (!listener.host().fixed()) {
            return Address.fail(who + " publishes `project.host.port.mode: auto`; the port is only known once the producer runs.",
                    "set `project.host.port: { mode: fixed, value: <port> }` on " + who + ".");
        }
        return Address.of(Endpoints.hostUrl(listener));
    }

    private static Address bind(Listener listener, String who, String why) {
        String url = Endpoints.bindUrl(listener);
        if (url == null) {
            return Address.fail(who + " has no fixed `bind.port.value`, which " + why + " needs.",
                    "set `bind.port: { mode: fixed, value: <port> }` on " + who + ".");
        }
        return Address.of(url);
    }
}
