package dev.ota.core.validate;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Readiness;
import dev.ota.core.model.ServiceRuntime;
import dev.ota.core.model.Task;
import dev.ota.core.resolve.EnvNames;
import dev.ota.core.resolve.Endpoints;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rules 33–49: service runtimes, listeners and readiness. */
final class RuntimeRules extends RuleSupport {

    RuntimeRules(Contract contract, Topology topology, Diagnostics diags) {
        super(contract, topology, diags);
    }

    @Override
    void check() {
        for (Task task : contract.tasks().values()) {
            if (task.isService()) {
                runtime(task, topology.shape(task.name()));
            }
        }
    }

    private void runtime(Task task, TaskShape shape) {
        ServiceRuntime rt = task.runtime();
        String where = "task `" + task.name() + "`";
        if (rt.listeners().isEmpty() && !rt.site().declares("surfaces") && !rt.site().declares("listeners")) {
            error("OTA_RUNTIME_LISTENERS", rt.site().location(), "service runtime of " + where
                    + " must declare at least one listener.",
                    "add `listeners: { http: { http: <port> } }` (or the full `protocol`/`bind` form).");
        } else if (rt.listeners().isEmpty() && rt.site().declares("listeners") && !rt.site().declares("surfaces")) {
            error("OTA_RUNTIME_LISTENERS", rt.site().at("listeners"), "service runtime of " + where
                    + " must declare at least one listener.", "add a listener such as `http: { http: 8080 }`.");
        }
        String backend = shape == null ? null : shape.backend();
        int discover = 0;
        List<Listener> projected = new ArrayList<>();
        List<Listener> primaries = new ArrayList<>();
        Map<String, String> publicKeys = new LinkedHashMap<>();
        for (Listener l : rt.listeners().values()) {
            if (l.name().isBlank()) {
                error("OTA_LISTENER_NAME", l.site().location(), "a listener of " + where + " has an empty name.",
                        "name the listener, e.g. `http`.");
            }
            String key = EnvNames.publicUrl(l.name());
            String previous = publicKeys.putIfAbsent(key, l.name());
            if (previous != null) {
                error("OTA_LISTENER_ENV_COLLISION", l.site().location(), "listeners `" + previous + "` and `" + l.name()
                        + "` of " + where + " both normalize to `" + key + "`.", "rename one of the listeners.");
            }
            bind(task, l, backend);
            if (l.projected()) {
                projected.add(l);
                if (l.host().primary()) {
                    primaries.add(l);
                }
                host(task, l, backend);
            } else if ("remote".equals(backend) && l.bind() != null && !l.bind().fixed()) {
                error("OTA_REMOTE_BIND", l.bind().site().at("port.mode"), "listener `" + l.name() + "` of " + where
                        + " on a remote execution context currently requires `bind.port.mode: fixed` with `bind.port.value`.",
                        "set `bind: { port: { mode: fixed, value: <port> } }`.");
            }
            if (l.bind() != null && "discover".equals(l.bind().portMode())) {
                discover++;
                if (discover == 2) {
                    error("OTA_LISTENER_DISCOVER", l.bind().site().at("port.mode"), where
                            + " declares more than one `discover` listener; keep discovery deterministic.",
                            "give all but one listener a fixed port.");
                }
            }
        }
        if (projected.size() > 1 && primaries.isEmpty()) {
            error("OTA_LISTENER_PRIMARY", rt.site().at("listeners"), where + " projects " + projected.size()
                    + " listeners to the host but marks none primary; mark exactly one projected listener as primary.",
                    "add `primary: true` to the `project.host` of the listener that drives `OTA_PUBLIC_URL`.");
        }
        if (primaries.size() > 1) {
            error("OTA_LISTENER_PRIMARY", primaries.get(1).host().site().at("primary"), where
                    + " marks several listeners primary; mark exactly one projected listener as primary.",
                    "keep `primary: true` on one listener only.");
        }
        if (rt.readiness() != null) {
            readiness(task, shape, rt.readiness());
        }
    }

    private void bind(Task task, Listener l, String backend) {
        Listener.Bind bind = l.bind();
        if (bind == null) {
            return;
        }
        String where = "listener `" + l.name() + "` of task `" + task.name() + "`";
        if (blank(bind.address())) {
            error("OTA_EMPTY", bind.site().at("address"), "`bind.address` of " + where + " is empty.",
                    "set `address: 127.0.0.1` (host) or `0.0.0.0` (container).");
        }
        if ("auto".equals(bind.portMode())) {
            error("OTA_BIND_AUTO", bind.site().at("port.mode"), "`bind.port.mode: auto` is invalid (" + where + ").",
                    "use `mode: fixed` with `value: <port>`, or `mode: discover`; `auto` applies to `project.host.port` only.");
        } else if ("fixed".equals(bind.portMode()) && bind.port() == null) {
            error("OTA_BIND_PORT", bind.site().at("port.mode"), where + " has `bind.port.mode: fixed` but no `bind.port.value`.",
                    "add `value: <port>`.");
        } else if ("discover".equals(bind.portMode()) && bind.port() != null) {
            error("OTA_BIND_PORT", bind.site().at("port.value"), where + " has `bind.port.mode: discover` with a `value`.",
                    "remove `value`, or use `mode: fixed`.");
        }
    }

    private void host(Task task, Listener l, String backend) {
        Listener.HostProjection host = l.host();
        String where = "listener `" + l.name() + "` of task `" + task.name() + "`";
        if (blank(host.address())) {
            error("OTA_EMPTY", host.site().at("address"), "`project.host.address` of " + where + " is empty.",
                    "set the host-visible address, e.g. `127.0.0.1`.");
        }
        if ("fixed".equals(host.portMode()) && host.port() == null) {
            error("OTA_HOST_PORT", host.site().at("port.mode"), where + " has `project.host.port.mode: fixed` but no `value`.",
                    "add `value: <port>`.");
        } else if ("auto".equals(host.portMode()) && host.port() != null) {
            error("OTA_HOST_PORT", host.site().at("port.value"), where + " has `project.host.port.mode: auto` with a `value`.",
                    "remove `value` (ota picks the port), or use `mode: fixed`.");
        }
        if (host.path() != null && !host.path().startsWith("/")) {
            error("OTA_HOST_PATH", host.site().at("path"), "`project.host.path` of " + where + " must start with `/`.",
                    "write `path: /" + host.path() + "`.");
        }
        Listener.Bind bind = l.bind();
        if ("remote".equals(backend) && host.portMode() != null && !"fixed".equals(host.portMode())) {
            error("OTA_REMOTE_HOST_PORT", host.site().at("port.mode"), where
                    + " runs on a remote execution context, where `project.host.port.mode` must be `fixed`.",
                    "set `project.host.port: { mode: fixed, value: <port> }`.");
        }
        if ("container".equals(backend) && bind != null) {
            if (bind.portMode() != null && !"fixed".equals(bind.portMode())) {
                error("OTA_CONTAINER_BIND", bind.site().at("port.mode"), where
                        + " projects to the host from a container, which requires `bind.port.mode: fixed`.",
                        "set `bind.port: { mode: fixed, value: <port> }`.");
            }
            if (Endpoints.isLoopback(bind.address())) {
                error("OTA_CONTAINER_LOOPBACK", bind.site().at("address"), where
                        + " cannot project to the host from a loopback-only container bind address (`" + bind.address() + "`).",
                        "bind to `0.0.0.0` inside the container.");
            }
        }
        if ("native".equals(backend) && bind != null && !l.shorthand()) {
            if (bind.fixed() && host.fixed() && !bind.port().equals(host.port())) {
                error("OTA_NATIVE_HOST_PORT", host.site().at("port.value"), where + ": `project.host.port.value` ("
                        + host.port() + ") must match the fixed bind port (" + bind.port() + ") on native execution.",
                        "set both to the same port; a native process publishes the port it binds.");
            }
            if ("discover".equals(bind.portMode()) && host.fixed()) {
                error("OTA_NATIVE_HOST_PORT", host.site().at("port.mode"), where
                        + " combines `bind.port.mode: discover` with a fixed `project.host` port on native execution.",
                        "use a fixed bind port equal to the host port, or drop the host projection.");
            }
        }
    }

    private void readiness(Task task, TaskShape shape, Readiness r) {
        String where = "`runtime.readiness` of task `" + task.name() + "`";
        if (r.probe() != null) {
            if (r.probe().isBlank()) {
                error("OTA_EMPTY", r.site().at("probe"), where + " has an empty `probe`.", "name a probe or remove `probe`.");
            } else if (!contract.readinessProbes().contains(r.probe())) {
                error("OTA_READINESS_PROBE_UNKNOWN", r.site().at("probe"), where + " names unknown probe `" + r.probe() + "`.",
                        contract.readinessProbes().isEmpty() ? "declare it under the root `readiness.probes`, or use an inline `kind`."
                                : "name one of " + list(contract.readinessProbes()) + ".");
            }
            for (String inline : List.of("kind", "method", "path", "headers", "success", "body", "timeout")) {
                if (r.site().declares(inline)) {
                    error("OTA_READINESS_PROBE_INLINE", r.site().at(inline), "`probe` must not also declare `readiness."
                            + inline + "`.", "keep either the named `probe` or the inline fields.");
                }
            }
        } else if (r.kind() == null && !r.site().declares("kind")) {
            error("OTA_REQUIRED", r.site().at("kind"), where + " needs `kind` (`http` or `tcp`) when no `probe` is named.",
                    "add `kind: tcp` (connect) or `kind: http` with `path`.");
        }
        if (r.retries() != null && r.retries() <= 0) {
            error("OTA_READINESS_RETRIES", r.site().at("retries"), "`retries` of " + where + " must be greater than zero.",
                    "set `retries: 1` or more (or omit it for the default of 120 attempts).");
        }
        if (r.kind() == null || r.probe() != null) {
            return; // a named probe owns kind and target; inline fields were reported above
        }
        Listener listener = null;
        if (r.listener() == null) {
            error("OTA_READINESS_LISTENER", r.site().at("listener"), where + " needs `listener` for `kind: " + r.kind() + "`.",
                    "name the listener to probe: " + list(task.runtime().listeners().keySet()) + ".");
        } else {
            listener = task.runtime().listener(r.listener());
            if (listener == null) {
                error("OTA_READINESS_LISTENER", r.site().at("listener"), where + " probes unknown listener `" + r.listener()
                        + "`.", "name one of " + list(task.runtime().listeners().keySet()) + ".");
            }
        }
        if (r.kind().equals("http")) {
            if (listener != null && "tcp".equals(listener.protocol())) {
                error("OTA_READINESS_PROTOCOL", r.site().at("listener"), where + " is `http` but listener `" + listener.name()
                        + "` is `tcp`.", "probe an http/https listener, or use `kind: tcp`.");
            }
            if (r.path() == null || r.path().isBlank()) {
                error("OTA_READINESS_PATH", r.site().at("path"), where + " (`kind: http`) needs a `path`.",
                        "add `path: /health` (the endpoint that answers when ready).");
            } else if (!r.path().startsWith("/")) {
                error("OTA_READINESS_PATH", r.site().at("path"), "`path` of " + where + " must start with `/`.",
                        "write `path: /" + r.path() + "`.");
            }
            if (r.headers() != null) {
                for (String name : r.headers().keySet()) {
                    if (name.isBlank()) {
                        error("OTA_READINESS_HEADER", r.site().at("headers"), where + " has a header with an empty name.",
                                "name the header or remove it.");
                    }
                }
            }
            if (r.successStatus() != null) {
                if (r.successStatus().isEmpty()) {
                    error("OTA_READINESS_STATUS", r.site().at("success"), "`success.status` of " + where + " is empty.",
                            "list at least one status, e.g. `[200]`.");
                }
                for (int status : r.successStatus()) {
                    if (status < 100 || status > 599) {
                        error("OTA_READINESS_STATUS", r.site().at("success"), "status " + status + " in " + where
                                + " is outside 100–599.", "use HTTP status codes between 100 and 599.");
                    }
                }
            }
            if (r.bodyContains() != null && r.bodyContains().isEmpty()) {
                error("OTA_READINESS_BODY", r.site().at("body"), "`body.contains` of " + where + " must not be empty.",
                        "give the text the body must contain, or remove `body`.");
            }
            if ("HEAD".equals(r.method()) && r.site().declares("body")) {
                error("OTA_READINESS_BODY", r.site().at("body"), where + " combines `method: HEAD` with `body`; HEAD responses have no body.",
                        "use `method: GET`, or remove `body`.");
            }
        } else {
            for (String forbidden : List.of("path", "method", "headers", "success", "body")) {
                if (r.site().declares(forbidden)) {
                    error("OTA_READINESS_TCP_FIELD", r.site().at(forbidden), where + " is `tcp`; `" + forbidden
                            + "` only applies to `kind: http`.", "remove `" + forbidden + "`, or use `kind: http`.");
                }
            }
        }
        if (listener != null && !listener.projected()) {
            boolean sharedRemote = shape != null && "remote".equals(shape.backend()) && shape.binding() != null
                    && "remote".equals(shape.binding().backend());
            if (!sharedRemote) {
                error("OTA_READINESS_HOST", r.site().at("listener"), where + " probes listener `" + listener.name()
                        + "`, which does not declare `project.host`; runtime readiness currently probes projected host endpoints.",
                        "add `project.host: { address: 127.0.0.1, port: { mode: fixed, value: <port> } }` to listener `"
                                + listener.name() + "`.");
            } else if (listener.bind() == null || !listener.bind().fixed()) {
                error("OTA_READINESS_HOST", r.site().at("listener"), where + " probes listener `" + listener.name()
                        + "` on the remote plane, which needs a fixed `bind.port.value`.",
                        "set `bind.port: { mode: fixed, value: <port> }`.");
            }
        }
    }
}
