package dev.ota.core.validate;

import dev.ota.core.engine.ValidationOutcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Digest §2.5–2.6, rules 33–49 (42 surfaces skipped): service runtimes, listeners and readiness. */
class RuntimeRulesTest extends RuleTestSupport {

    static final String CONTEXTS = """
            execution:
              default_context: host
              contexts:
                host:
                  backend: native
                box:
                  backend: container
                  lifecycle: persistent
                  container:
                    image: eclipse-temurin:21-jdk
                far:
                  backend: remote
                  remote:
                    provider: ssh
                    target: dev@build.example
            """;

    /** One service task {@code api} in {@code context} whose {@code runtime} body is given (indented 4). */
    ValidationOutcome api(String context, String runtime) {
        return validate(CONTEXTS + """
                tasks:
                  api:
                    run: ./api
                    context: %s
                    runtime:
                """.formatted(context) + runtime.indent(6));
    }

    static String listener(String name, String body) {
        return "  " + name + ":\n" + body.indent(4);
    }

    static final String FIXED_8080 = """
            protocol: http
            bind:
              address: 127.0.0.1
              port: { mode: fixed, value: 8080 }
            """;

    @Nested
    @DisplayName("rule 33: runtime kind and listeners")
    class Rule33 {
        @Test
        @DisplayName("rule 33: runtime.kind other than service is rejected, listing the allowed value")
        void kind() {
            rejects(api("host", """
                    kind: job
                    listeners:
                      http: { http: 8080 }
                    """), "OTA_ENUM", "tasks.api.runtime.kind", "`job` is not an allowed value for `kind`; allowed: `service`",
                    "`service`");
            accepts(api("host", """
                    kind: service
                    listeners:
                      http: { http: 8080 }
                    """), "OTA_ENUM");
        }

        @Test
        @DisplayName("rule 33: a runtime with no listeners is rejected")
        void noListeners() {
            rejects(api("host", "kind: service\n"), "OTA_RUNTIME_LISTENERS", "tasks.api.runtime",
                    "must declare at least one listener", "listeners:");
            rejects(api("host", "kind: service\nlisteners: {}\n"), "OTA_RUNTIME_LISTENERS", "tasks.api.runtime.listeners",
                    "must declare at least one listener", "http: { http: 8080 }");
        }
    }

    @Nested
    @DisplayName("rules 34–37: listeners and bind")
    class Listeners {
        static final String DISCOVER = """
                protocol: http
                bind:
                  address: 127.0.0.1
                  port: { mode: discover }
                """;

        @Test
        @DisplayName("rule 34: more than one discover listener is rejected")
        void discover() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("a", DISCOVER) + listener("b", DISCOVER)),
                    "OTA_LISTENER_DISCOVER", "tasks.api.runtime.listeners.b.bind.port.mode",
                    "more than one `discover` listener; keep discovery deterministic", "fixed port");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("a", DISCOVER) + listener("b", FIXED_8080)),
                    "OTA_LISTENER_DISCOVER");
        }

        @Test
        @DisplayName("rule 35: several projected listeners without a primary are rejected")
        void noPrimary() {
            rejects(api("host", """
                    kind: service
                    listeners:
                      http: { http: 8080 }
                      admin: { http: 8081 }
                    """), "OTA_LISTENER_PRIMARY", "tasks.api.runtime.listeners",
                    "mark exactly one projected listener as primary", "primary: true");
            accepts(api("host", """
                    kind: service
                    listeners:
                      http: { http: 8080 }
                      admin:
                        protocol: http
                        bind:
                          address: 127.0.0.1
                          port: { mode: fixed, value: 8081 }
                        project:
                          host:
                            address: 127.0.0.1
                            port: { mode: fixed, value: 8081 }
                            primary: true
                    """), "OTA_LISTENER_PRIMARY");
        }

        @Test
        @DisplayName("rule 35: more than one primary is rejected")
        void twoPrimaries() {
            String projected = """
                    protocol: http
                    bind:
                      address: 127.0.0.1
                      port: { mode: fixed, value: %d }
                    project:
                      host:
                        address: 127.0.0.1
                        port: { mode: fixed, value: %d }
                        primary: %s
                    """;
            rejects(api("host", "kind: service\nlisteners:\n" + listener("a", projected.formatted(8080, 8080, "true"))
                    + listener("b", projected.formatted(8081, 8081, "true"))), "OTA_LISTENER_PRIMARY",
                    "tasks.api.runtime.listeners.b.project.host.primary", "marks several listeners primary",
                    "keep `primary: true` on one listener only");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("a", projected.formatted(8080, 8080, "true"))
                    + listener("b", projected.formatted(8081, 8081, "false"))), "OTA_LISTENER_PRIMARY");
        }

        @Test
        @DisplayName("rule 36: listener names whose OTA_PUBLIC_URL keys collide are rejected")
        void envCollision() {
            String second = FIXED_8080.replace("8080", "8081");
            rejects(api("host", "kind: service\nlisteners:\n" + listener("admin-http", FIXED_8080)
                    + listener("admin_http", second)), "OTA_LISTENER_ENV_COLLISION",
                    "tasks.api.runtime.listeners.admin_http", "both normalize to `OTA_PUBLIC_URL_ADMIN_HTTP`",
                    "rename one of the listeners");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("admin-http", FIXED_8080)
                    + listener("metrics", second)), "OTA_LISTENER_ENV_COLLISION");
        }

        @Test
        @DisplayName("rule 37: an empty listener name is rejected")
        void emptyName() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("\"\"", FIXED_8080)), "OTA_LISTENER_NAME",
                    "tasks.api.runtime.listeners.", "has an empty name", "name the listener");
        }

        @Test
        @DisplayName("rule 37: an empty bind.address is rejected")
        void emptyAddress() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", FIXED_8080.replace("127.0.0.1", "\"\""))),
                    "OTA_EMPTY", "tasks.api.runtime.listeners.http.bind.address", "`bind.address` of listener `http` of task `api` is empty",
                    "address: 127.0.0.1");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("http", FIXED_8080)), "OTA_EMPTY");
        }

        @Test
        @DisplayName("rule 37: fixed without a value and discover with a value are rejected")
        void portValue() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", """
                    protocol: http
                    bind:
                      address: 127.0.0.1
                      port: { mode: fixed }
                    """)), "OTA_BIND_PORT", "tasks.api.runtime.listeners.http.bind.port.mode",
                    "has `bind.port.mode: fixed` but no `bind.port.value`", "value: <port>");
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", """
                    protocol: http
                    bind:
                      address: 127.0.0.1
                      port: { mode: discover, value: 8080 }
                    """)), "OTA_BIND_PORT", "tasks.api.runtime.listeners.http.bind.port.value",
                    "has `bind.port.mode: discover` with a `value`", "remove `value`");
        }

        @Test
        @DisplayName("rule 37: bind.port.mode auto is rejected")
        void bindAuto() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", """
                    protocol: http
                    bind:
                      address: 127.0.0.1
                      port: { mode: auto }
                    """)), "OTA_BIND_AUTO", "tasks.api.runtime.listeners.http.bind.port.mode",
                    "`bind.port.mode: auto` is invalid", "`auto` applies to `project.host.port` only");
        }
    }

    @Nested
    @DisplayName("rules 38–41: host projection per execution family")
    class Projection {
        static String projected(String bindAddress, String bindPort, String hostAddress, String hostPort, String extra) {
            return """
                    protocol: http
                    bind:
                      address: %s
                      port: %s
                    project:
                      host:
                        address: %s
                        port: %s
                    """.formatted(bindAddress, bindPort, hostAddress, hostPort) + extra.indent(4);
        }

        static final String FIXED = "{ mode: fixed, value: 8080 }";

        @Test
        @DisplayName("rule 38: empty host address, fixed without value, auto with value, path without `/` are rejected")
        void hostFields() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "\"\"", FIXED, ""))),
                    "OTA_EMPTY", "tasks.api.runtime.listeners.http.project.host.address", "`project.host.address`", "127.0.0.1");
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", "{ mode: fixed }", ""))),
                    "OTA_HOST_PORT", "tasks.api.runtime.listeners.http.project.host.port.mode",
                    "has `project.host.port.mode: fixed` but no `value`", "value: <port>");
            rejects(api("box", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", FIXED, "127.0.0.1", "{ mode: auto, value: 9000 }", ""))),
                    "OTA_HOST_PORT", "tasks.api.runtime.listeners.http.project.host.port.value",
                    "has `project.host.port.mode: auto` with a `value`", "remove `value`");
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", FIXED, "path: health"))),
                    "OTA_HOST_PATH", "tasks.api.runtime.listeners.http.project.host.path", "must start with `/`",
                    "path: /health");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", FIXED, "path: /health"))),
                    "OTA_HOST_PATH");
        }

        @Test
        @DisplayName("rule 38: on a remote context, project.host.port.mode must be fixed")
        void remoteHostPort() {
            rejects(api("far", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", FIXED, "127.0.0.1", "{ mode: auto }", ""))),
                    "OTA_REMOTE_HOST_PORT", "tasks.api.runtime.listeners.http.project.host.port.mode",
                    "runs on a remote execution context, where `project.host.port.mode` must be `fixed`", "mode: fixed");
            accepts(api("far", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", FIXED, "127.0.0.1", "{ mode: fixed, value: 18080 }", ""))),
                    "OTA_REMOTE_HOST_PORT");
        }

        @Test
        @DisplayName("rule 39: a container listener projected to the host needs a fixed bind port")
        void containerBindFixed() {
            rejects(api("box", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", "{ mode: discover }", "127.0.0.1", "{ mode: auto }", ""))),
                    "OTA_CONTAINER_BIND", "tasks.api.runtime.listeners.http.bind.port.mode", "requires `bind.port.mode: fixed`",
                    "mode: fixed");
            accepts(api("box", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", FIXED, "127.0.0.1", "{ mode: auto }", ""))),
                    "OTA_CONTAINER_BIND");
        }

        @Test
        @DisplayName("rule 39: a container listener cannot project from a loopback-only bind address")
        void containerLoopback() {
            rejects(api("box", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", FIXED, ""))),
                    "OTA_CONTAINER_LOOPBACK", "tasks.api.runtime.listeners.http.bind.address",
                    "cannot project to the host from a loopback-only container bind address", "0.0.0.0");
            accepts(api("box", "kind: service\nlisteners:\n" + listener("http", projected("0.0.0.0", FIXED, "127.0.0.1", FIXED, ""))),
                    "OTA_CONTAINER_LOOPBACK");
        }

        @Test
        @DisplayName("rule 40: native fixed bind and fixed host port must be equal")
        void nativeEqualPorts() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", "{ mode: fixed, value: 9090 }", ""))),
                    "OTA_NATIVE_HOST_PORT", "tasks.api.runtime.listeners.http.project.host.port.value",
                    "must match the fixed bind port", "set both to the same port");
            accepts(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", FIXED, "127.0.0.1", FIXED, ""))),
                    "OTA_NATIVE_HOST_PORT");
        }

        @Test
        @DisplayName("rule 40: native discover with a fixed host port is rejected")
        void nativeDiscover() {
            rejects(api("host", "kind: service\nlisteners:\n" + listener("http", projected("127.0.0.1", "{ mode: discover }", "127.0.0.1", FIXED, ""))),
                    "OTA_NATIVE_HOST_PORT", "tasks.api.runtime.listeners.http.project.host.port.mode",
                    "combines `bind.port.mode: discover` with a fixed `project.host` port", "fixed bind port");
        }

        @Test
        @DisplayName("rule 41: a remote listener without project.host needs a fixed bind port")
        void remoteBind() {
            rejects(api("far", "kind: service\nlisteners:\n" + listener("http", """
                    protocol: http
                    bind:
                      address: 0.0.0.0
                      port: { mode: discover }
                    """)), "OTA_REMOTE_BIND", "tasks.api.runtime.listeners.http.bind.port.mode",
                    "on a remote execution context currently requires `bind.port.mode: fixed` with `bind.port.value`",
                    "mode: fixed, value: <port>");
            accepts(api("far", "kind: service\nlisteners:\n" + listener("http", FIXED_8080.replace("127.0.0.1", "0.0.0.0"))),
                    "OTA_REMOTE_BIND");
        }
    }

    @Nested
    @DisplayName("rule 43: launch.kind container")
    class Rule43 {
        static final String LAUNCH = CONTEXTS + """
                tasks:
                  db:
                    context: %s
                    launch:
                      kind: container
                      image: postgres:16
                    runtime:
                      kind: service
                      listeners:
                        pg:
                          protocol: tcp
                          bind:
                            address: 0.0.0.0
                            port: { mode: fixed, value: 5432 }
                          project:
                            host:
                              address: 127.0.0.1
                              port: { mode: fixed, value: 5432 }
                """;

        @Test
        @DisplayName("rule 43: launch.kind container on non-native execution is rejected")
        void nonNative() {
            rejects(validate(LAUNCH.formatted("box")), "OTA_LAUNCH_CONTAINER", "tasks.db.launch",
                    "uses `launch.kind: container` on `container` execution; container launches work on native execution only",
                    "native context");
            accepts(validate(LAUNCH.formatted("host")), "OTA_LAUNCH_CONTAINER");
        }

        @Test
        @DisplayName("rule 43: a container launch needs a service runtime")
        void needsRuntime() {
            rejects(validate("""
                    tasks:
                      db:
                        launch:
                          kind: container
                          image: postgres:16
                    """), "OTA_LAUNCH_CONTAINER", "tasks.db.launch", "without a service runtime",
                    "runtime: { kind: service");
        }

        @Test
        @DisplayName("rule 43: a container launch publishes to fixed host ports and never binds loopback-only")
        void fixedHostNoLoopback() {
            String yaml = """
                    tasks:
                      db:
                        launch:
                          kind: container
                          image: postgres:16
                        runtime:
                          kind: service
                          listeners:
                            pg:
                              protocol: tcp
                              bind:
                                address: %s
                                port: { mode: fixed, value: 5432 }
                              project:
                                host:
                                  address: 127.0.0.1
                                  port: %s
                    """;
            rejects(validate(yaml.formatted("127.0.0.1", "{ mode: fixed, value: 5432 }")), "OTA_LAUNCH_CONTAINER",
                    "tasks.db.runtime.listeners.pg.bind.address", "binds loopback-only (`127.0.0.1`)", "0.0.0.0");
            rejects(validate(yaml.formatted("0.0.0.0", "{ mode: auto }")), "OTA_LAUNCH_CONTAINER",
                    "tasks.db.runtime.listeners.pg.project.host.port.mode", "must be projected to a fixed host port",
                    "mode: fixed");
            accepts(validate(yaml.formatted("0.0.0.0", "{ mode: fixed, value: 5432 }")), "OTA_LAUNCH_CONTAINER");
        }

        @Test
        @DisplayName("rule 43: a container launch must not use remove: true")
        void noRemove() {
            String yaml = """
                    tasks:
                      db:
                        launch:
                          kind: container
                          image: postgres:16
                          remove: %s
                        runtime:
                          kind: service
                          listeners:
                            pg:
                              protocol: tcp
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 5432 }
                              project:
                                host: { address: 127.0.0.1, port: { mode: fixed, value: 5432 } }
                    """;
            rejects(validate(yaml.formatted("true")), "OTA_LAUNCH_CONTAINER", "tasks.db.launch.remove",
                    "must not use `remove: true`", "drop `remove: true`");
            accepts(validate(yaml.formatted("false")), "OTA_LAUNCH_CONTAINER");
        }
    }

    @Nested
    @DisplayName("rules 44–49: runtime readiness")
    class Readiness {
        static final String PROJECTED = """
                kind: service
                listeners:
                  http: { http: 8080 }
                  db:
                    protocol: tcp
                    bind:
                      address: 127.0.0.1
                      port: { mode: fixed, value: 5432 }
                readiness:
                """;

        ValidationOutcome readiness(String readiness) {
            return api("host", PROJECTED + readiness.indent(2));
        }

        @Test
        @DisplayName("rule 44: a named probe must not also declare inline fields")
        void probeInline() {
            var outcome = readiness("""
                    probe: api_health
                    kind: http
                    path: /health
                    """);
            errorAt(outcome, "OTA_READINESS_PROBE_INLINE", "tasks.api.runtime.readiness.kind",
                    "`probe` must not also declare `readiness.kind`", "keep either the named `probe` or the inline fields");
            errorAt(outcome, "OTA_READINESS_PROBE_INLINE", "tasks.api.runtime.readiness.path",
                    "`probe` must not also declare `readiness.path`", "named `probe`");
            noError(readiness("probe: api_health\n"), "OTA_READINESS_PROBE_INLINE");
        }

        @Test
        @DisplayName("rule 44: a named probe must exist under the root readiness.probes")
        void probeUnknown() {
            String runtime = PROJECTED + "probe: %s\n".indent(2);
            String contract = CONTEXTS + """
                    readiness:
                      probes:
                        api_health: { kind: tcp, target: { kind: task, name: api, listener: http }, timeout: 1000 }
                    tasks:
                      api:
                        run: ./api
                        context: host
                        runtime:
                    """;
            rejects(validate(contract + runtime.formatted("api_helth").indent(6)), "OTA_READINESS_PROBE_UNKNOWN",
                    "tasks.api.runtime.readiness.probe", "names unknown probe `api_helth`", "`api_health`");
            accepts(validate(contract + runtime.formatted("api_health").indent(6)), "OTA_READINESS_PROBE_UNKNOWN");
        }

        @Test
        @DisplayName("rule 45: without a probe, kind is required")
        void kindRequired() {
            rejects(readiness("listener: http\npath: /health\n"), "OTA_REQUIRED", "tasks.api.runtime.readiness.kind",
                    "needs `kind` (`http` or `tcp`) when no `probe` is named", "kind: tcp");
            accepts(readiness("kind: http\nlistener: http\npath: /health\n"), "OTA_REQUIRED");
        }

        @Test
        @DisplayName("rule 46: http readiness needs a listener that exists")
        void httpListener() {
            rejects(readiness("kind: http\npath: /health\n"), "OTA_READINESS_LISTENER", "tasks.api.runtime.readiness.listener",
                    "needs `listener` for `kind: http`", "`http`, `db`");
            rejects(readiness("kind: http\nlistener: htp\npath: /health\n"), "OTA_READINESS_LISTENER",
                    "tasks.api.runtime.readiness.listener", "probes unknown listener `htp`", "`http`");
        }

        @Test
        @DisplayName("rule 46: http readiness on a tcp listener is rejected")
        void httpProtocol() {
            var outcome = readiness("kind: http\nlistener: db\npath: /health\n");
            errorAt(outcome, "OTA_READINESS_PROTOCOL", "tasks.api.runtime.readiness.listener",
                    "is `http` but listener `db` is `tcp`", "kind: tcp");
        }

        @Test
        @DisplayName("rule 46: http readiness needs a path starting with `/`")
        void httpPath() {
            rejects(readiness("kind: http\nlistener: http\n"), "OTA_READINESS_PATH", "tasks.api.runtime.readiness.path",
                    "(`kind: http`) needs a `path`", "path: /health");
            rejects(readiness("kind: http\nlistener: http\npath: health\n"), "OTA_READINESS_PATH",
                    "tasks.api.runtime.readiness.path", "must start with `/`", "path: /health");
        }

        @Test
        @DisplayName("rule 46: empty header names, empty or out-of-range statuses and empty body.contains are rejected")
        void httpDetails() {
            rejects(readiness("kind: http\nlistener: http\npath: /health\nheaders:\n  \"\": x\n"), "OTA_READINESS_HEADER",
                    "tasks.api.runtime.readiness.headers", "has a header with an empty name", "name the header");
            rejects(readiness("kind: http\nlistener: http\npath: /health\nsuccess:\n  status: []\n"), "OTA_READINESS_STATUS",
                    "tasks.api.runtime.readiness.success", "`success.status` of", "[200]");
            rejects(readiness("kind: http\nlistener: http\npath: /health\nsuccess:\n  status: [200, 700]\n"),
                    "OTA_READINESS_STATUS", "tasks.api.runtime.readiness.success", "status 700", "between 100 and 599");
            rejects(readiness("kind: http\nlistener: http\npath: /health\nbody:\n  contains: \"\"\n"), "OTA_READINESS_BODY",
                    "tasks.api.runtime.readiness.body", "`body.contains` of", "remove `body`");
            accepts(readiness("""
                    kind: http
                    listener: http
                    path: /health
                    method: GET
                    headers:
                      Accept: application/json
                    success:
                      status: [200, 204]
                    body:
                      contains: UP
                    """), "OTA_READINESS_STATUS");
        }

        @Test
        @DisplayName("rule 46: HEAD combined with body is rejected")
        void headBody() {
            rejects(readiness("kind: http\nlistener: http\npath: /health\nmethod: HEAD\nbody:\n  contains: UP\n"),
                    "OTA_READINESS_BODY", "tasks.api.runtime.readiness.body", "combines `method: HEAD` with `body`",
                    "method: GET");
            accepts(readiness("kind: http\nlistener: http\npath: /health\nmethod: HEAD\n"), "OTA_READINESS_BODY");
        }

        @Test
        @DisplayName("rule 47: tcp readiness forbids path, method, headers, success and body")
        void tcpFields() {
            var outcome = readiness("""
                    kind: tcp
                    listener: http
                    path: /health
                    method: GET
                    headers:
                      A: b
                    success:
                      status: [200]
                    body:
                      contains: UP
                    """);
            for (String field : new String[] {"path", "method", "headers", "success", "body"}) {
                rejects(outcome, "OTA_READINESS_TCP_FIELD", "tasks.api.runtime.readiness." + field,
                        "is `tcp`; `" + field + "` only applies to `kind: http`", "remove `" + field + "`");
            }
            accepts(readiness("kind: tcp\nlistener: http\n"), "OTA_READINESS_TCP_FIELD");
            rejects(readiness("kind: tcp\n"), "OTA_READINESS_LISTENER", "tasks.api.runtime.readiness.listener",
                    "needs `listener` for `kind: tcp`", "`http`");
        }

        @Test
        @DisplayName("rule 48: durations must be positive and parse; retries must be greater than zero")
        void timing() {
            rejects(readiness("kind: tcp\nlistener: http\ninterval: 0s\n"), "OTA_DURATION",
                    "tasks.api.runtime.readiness.interval", "`interval` must be greater than zero", "`200ms`, `3s`, or `1m`");
            rejects(readiness("kind: tcp\nlistener: http\ntimeout: soon\n"), "OTA_DURATION",
                    "tasks.api.runtime.readiness.timeout", "`soon` is not a duration", "`200ms`, `3s`, or `1m`");
            rejects(readiness("kind: tcp\nlistener: http\nstart_period: 0ms\n"), "OTA_DURATION",
                    "tasks.api.runtime.readiness.start_period", "must be greater than zero", "3s");
            rejects(readiness("kind: tcp\nlistener: http\nretries: 0\n"), "OTA_READINESS_RETRIES",
                    "tasks.api.runtime.readiness.retries", "must be greater than zero", "retries: 1");
            accepts(readiness("kind: tcp\nlistener: http\ninterval: 200ms\ntimeout: 3s\nstart_period: 1m\nretries: 1\n"),
                    "OTA_DURATION");
        }

        @Test
        @DisplayName("rule 49: the probed listener must declare project.host")
        void probedHost() {
            rejects(readiness("kind: tcp\nlistener: db\n"), "OTA_READINESS_HOST", "tasks.api.runtime.readiness.listener",
                    "does not declare `project.host`; runtime readiness currently probes projected host endpoints",
                    "project.host: { address: 127.0.0.1");
            accepts(readiness("kind: tcp\nlistener: http\n"), "OTA_READINESS_HOST");
        }

        @Test
        @DisplayName("rule 49: exception for a remote task bound to a shared remote backend with a fixed bind port")
        void remoteException() {
            String yaml = """
                    execution:
                      contexts:
                        far:
                          backend: remote
                          remote:
                            provider: ssh
                            target: dev@build.example
                      shared_backends:
                        lab:
                          scope: remote
                          backend: remote
                          lifecycle: persistent
                          context: far
                    tasks:
                      api:
                        run: ./api
                        context: far
                        runtime:
                          kind: service
                    %s
                          listeners:
                            http:
                              protocol: http
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 8080 }
                          readiness:
                            kind: tcp
                            listener: http
                    """;
            accepts(validate(yaml.formatted("      backend_binding: lab")), "OTA_READINESS_HOST");
            rejects(validate(yaml.formatted("")), "OTA_READINESS_HOST", "tasks.api.runtime.readiness.listener",
                    "does not declare `project.host`", "project.host");
        }
    }
}
