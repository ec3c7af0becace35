package dev.ota.core.validate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.ValidationOutcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Digest §2.2–2.4, rules 13–32: shared backends, the tasks bound to them, direct fulfillment. */
class SharedBackendRulesTest extends RuleTestSupport {

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
              shared_backends:
            """;

    static final String TASK = """
            tasks:
              build:
                run: echo build
            """;

    /** A shared backend declaration (indented under {@code shared_backends}) plus one plain task. */
    ValidationOutcome backend(String declaration) {
        return validate(CONTEXTS + declaration.indent(4) + TASK);
    }

    @Nested
    @DisplayName("rules 13–19: shared backend declarations")
    class Declarations {
        @Test
        @DisplayName("rule 13: a shared backend with an empty name is rejected")
        void emptyName() {
            rejects(backend("""
                    "":
                      scope: local
                      backend: native
                      lifecycle: persistent
                    """), "OTA_SHARED_BACKEND_NAME", "execution.shared_backends.", "empty name", "name");
        }

        @Test
        @DisplayName("rule 14: scope remote with a local backend is rejected")
        void scopeRemote() {
            rejects(backend("""
                    dev:
                      scope: remote
                      backend: container
                      lifecycle: persistent
                    """), "OTA_SHARED_BACKEND_SCOPE", "execution.shared_backends.dev.scope",
                    "with `scope: remote` currently requires `backend: remote`", "scope: local");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                    """), "OTA_SHARED_BACKEND_SCOPE");
        }

        @Test
        @DisplayName("rule 14: backend remote with scope local is rejected")
        void backendRemote() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: remote
                      lifecycle: persistent
                    """), "OTA_SHARED_BACKEND_SCOPE", "execution.shared_backends.dev.scope",
                    "with `backend: remote` currently requires `scope: remote`", "scope: remote");
            accepts(backend("""
                    dev:
                      scope: remote
                      backend: remote
                      lifecycle: persistent
                    """), "OTA_SHARED_BACKEND_SCOPE");
        }

        @Test
        @DisplayName("rule 15: native and remote shared backends accept lifecycle persistent only")
        void lifecycle() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: native
                      lifecycle: ephemeral
                    """), "OTA_SHARED_BACKEND_LIFECYCLE", "execution.shared_backends.dev.lifecycle",
                    "currently supports `lifecycle: persistent` only", "lifecycle: persistent");
            rejects(backend("""
                    dev:
                      scope: remote
                      backend: remote
                      lifecycle: ephemeral
                    """), "OTA_SHARED_BACKEND_LIFECYCLE", "execution.shared_backends.dev.lifecycle",
                    "(`backend: remote`)", "lifecycle: persistent");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: ephemeral
                    """), "OTA_SHARED_BACKEND_LIFECYCLE");
        }

        @Test
        @DisplayName("rule 16: context naming an unknown or empty context is rejected")
        void unknownContext() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: bx
                    """), "OTA_SHARED_BACKEND_CONTEXT", "execution.shared_backends.dev.context",
                    "references unknown context `bx`", "`box`");
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: ""
                    """), "OTA_SHARED_BACKEND_CONTEXT", "execution.shared_backends.dev.context",
                    "references unknown context ``", "`box`");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: box
                    """), "OTA_SHARED_BACKEND_CONTEXT");
        }

        @Test
        @DisplayName("rule 16: a pinned context of another backend family is rejected")
        void contextFamily() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: host
                    """), "OTA_SHARED_BACKEND_CONTEXT", "execution.shared_backends.dev.context",
                    "`host` resolves to `native` but shared backend requires `container`", "pin a `container` context");
        }

        @Test
        @DisplayName("rule 16: a pinned context whose lifecycle conflicts is rejected")
        void contextLifecycle() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: ephemeral
                      context: box
                    """), "OTA_SHARED_BACKEND_CONTEXT", "execution.shared_backends.dev.lifecycle",
                    "`ephemeral` conflicts with `execution.contexts.box.lifecycle` `persistent`",
                    "make both lifecycles the same");
        }

        @Test
        @DisplayName("rule 17: environment on a non-container shared backend is rejected")
        void environmentFamily() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: native
                      lifecycle: persistent
                      environment:
                        profile: jdk21
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT", "execution.shared_backends.dev.environment",
                    "is currently supported only for `backend: container`", "remove `environment`");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment:
                        profile: jdk21
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT");
        }

        @Test
        @DisplayName("rule 18: environment combining several intents is rejected")
        void environmentIntents() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment:
                        profile: jdk21
                        image: eclipse-temurin:21-jdk
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT", "execution.shared_backends.dev.environment",
                    "must not combine `profile`, `image_alias` and `image`; declare one intent only",
                    "keep exactly one of `profile`, `image_alias` or `image`");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment: {}
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT");
        }

        @Test
        @DisplayName("rule 18: empty profile, image_alias, image and source are rejected")
        void environmentEmpty() {
            for (String key : new String[] {"profile", "image_alias", "image"}) {
                rejects(backend("""
                        dev:
                          scope: local
                          backend: container
                          lifecycle: persistent
                          environment:
                            %s: ""
                        """.formatted(key)), "OTA_EMPTY", "execution.shared_backends.dev.environment." + key,
                        "`execution.shared_backends.dev.environment." + key + "` is empty", "give it a value");
            }
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment:
                        image: eclipse-temurin:21-jdk
                        source: ""
                    """), "OTA_EMPTY", "execution.shared_backends.dev.environment.source", "is empty", "give it a value");
        }

        @Test
        @DisplayName("rule 19: environment.source without a literal image is rejected")
        void source() {
            rejects(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment:
                        profile: jdk21
                        source: internal
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT", "execution.shared_backends.dev.environment.source",
                    "is only valid with a literal `image` intent", "remove `source`");
            accepts(backend("""
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      environment:
                        image: eclipse-temurin:21-jdk
                        source: internal
                    """), "OTA_SHARED_BACKEND_ENVIRONMENT");
        }
    }

    @Nested
    @DisplayName("rule 20: org policy backend_environment")
    class Rule20 {
        Diagnostic policyError(ValidationOutcome outcome, String code, String path, String message, String fix) {
            Diagnostic d = outcome.errors().stream().filter(e -> e.code().equals(code) && e.path().equals(path)).findFirst()
                    .orElseThrow(() -> new AssertionError("expected " + code + " at " + path + ":" + render(outcome.diagnostics())));
            assertThat(d.message()).contains(message);
            assertThat(d.fix()).isNotBlank().contains(fix);
            assertThat(d.location().file()).endsWith("org-policy.yaml");
            assertThat(d.location().line()).isPositive();
            assertThat(outcome.errors()).allSatisfy(e -> assertThat(e.code()).isEqualTo(code));
            return d;
        }

        @Test
        @DisplayName("rule 20: default_profile not declared under profiles is rejected")
        void defaultProfile() {
            policy("""
                    policies:
                      backend_environment:
                        profiles:
                          jdk21:
                            image: registry.example/jdk21:1
                        default_profile: jdk17
                    """);
            policyError(validate(TASK), "OTA_POLICY_DEFAULT_PROFILE", "policies.backend_environment.default_profile",
                    "`jdk17` is not declared under `profiles`", "profiles.jdk17.image");
            policy("""
                    policies:
                      backend_environment:
                        profiles:
                          jdk21:
                            image: registry.example/jdk21:1
                        default_profile: jdk21
                    """);
            accepts(validate(TASK), "OTA_POLICY_DEFAULT_PROFILE");
        }

        @Test
        @DisplayName("rule 20: a profile or alias with an empty image is rejected")
        void emptyImage() {
            policy("""
                    policies:
                      backend_environment:
                        profiles:
                          jdk21:
                            image: ""
                        image_aliases:
                          node:
                            source: vendor
                    """);
            var outcome = validate(TASK);
            policyError(outcome, "OTA_POLICY_IMAGE", "policies.backend_environment.profiles.jdk21.image",
                    "`policies.backend_environment.profiles.jdk21.image` is empty", "image: registry.example");
            policyError(outcome, "OTA_POLICY_IMAGE", "policies.backend_environment.image_aliases.node.image",
                    "is missing", "image: registry.example");
        }

        @Test
        @DisplayName("rule 20: an empty profile name is rejected")
        void emptyName() {
            policy("""
                    policies:
                      backend_environment:
                        profiles:
                          "":
                            image: registry.example/jdk21:1
                    """);
            policyError(validate(TASK), "OTA_POLICY_EMPTY_NAME", "policies.backend_environment.profiles.",
                    "has an empty name", "give the entry a name");
        }

        @Test
        @DisplayName("rule 20: a source or registry both allowed and denied is rejected")
        void allowDeny() {
            policy("""
                    policies:
                      backend_environment:
                        allowed_sources: [internal, vendor]
                        denied_sources: [vendor]
                        allowed_registries: [registry.example]
                        denied_registries: [registry.example]
                    """);
            var outcome = validate(TASK);
            policyError(outcome, "OTA_POLICY_ALLOW_DENY", "policies.backend_environment.denied_sources",
                    "`vendor` cannot be both allowed and denied (sources)", "remove `vendor` from one of the two lists");
            policyError(outcome, "OTA_POLICY_ALLOW_DENY", "policies.backend_environment.denied_registries",
                    "`registry.example` cannot be both allowed and denied (registries)", "remove");
            policy("""
                    policies:
                      backend_environment:
                        allowed_sources: [internal]
                        denied_sources: [vendor]
                    """);
            accepts(validate(TASK), "OTA_POLICY_ALLOW_DENY");
        }
    }

    @Nested
    @DisplayName("rules 21–25: tasks bound to shared backends")
    class Bindings {
        @Test
        @DisplayName("rule 21: an empty backend_binding is rejected")
        void empty() {
            rejects(validate(CONTEXTS + """
                        dev:
                          scope: local
                          backend: native
                          lifecycle: persistent
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          backend_binding: ""
                          listeners:
                            http: { http: 8080 }
                    """), "OTA_BINDING", "tasks.api.runtime.backend_binding", "`runtime.backend_binding` of task `api` is empty",
                    "name a declared shared backend");
        }

        @Test
        @DisplayName("rule 21: binding an undeclared shared backend is rejected")
        void unknown() {
            String yaml = CONTEXTS + """
                        dev:
                          scope: local
                          backend: native
                          lifecycle: persistent
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          backend_binding: %s
                          listeners:
                            http: { http: 8080 }
                    """;
            rejects(validate(yaml.formatted("deb")), "OTA_BINDING", "tasks.api.runtime.backend_binding",
                    "`backend_binding: deb` references unknown `execution.shared_backends.deb`", "`dev`");
            accepts(validate(yaml.formatted("dev")), "OTA_BINDING");
        }

        @Test
        @DisplayName("rule 21: binding without any execution section is rejected")
        void noExecution() {
            rejects(validate("""
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http: { http: 8080 }
                    """), "OTA_BINDING", "tasks.api.runtime.backend_binding",
                    "requires `execution.shared_backends.dev` to be declared", "execution.shared_backends.dev");
        }

        @Test
        @DisplayName("rule 22: the binding's family must match the task's resolved backend")
        void family() {
            String yaml = CONTEXTS + """
                        dev:
                          scope: local
                          backend: container
                          lifecycle: persistent
                    tasks:
                      api:
                        run: ./api
                        context: %s
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http:
                              protocol: http
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 8080 }
                    """;
            rejects(validate(yaml.formatted("host")), "OTA_BINDING_FAMILY", "tasks.api.runtime.backend_binding",
                    "`backend_binding: dev` requires `container` execution, but task runtime resolves to `native`",
                    "run task `api` in a `container` context");
            accepts(validate(yaml.formatted("box")), "OTA_BINDING_FAMILY");
        }

        @Test
        @DisplayName("rule 23: a bound task must resolve to the backend's pinned context")
        void pinnedContext() {
            String yaml = """
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: persistent
                          container:
                            image: eclipse-temurin:21-jdk
                        box2:
                          extends: box
                      shared_backends:
                        dev:
                          scope: local
                          backend: container
                          lifecycle: persistent
                          context: box
                    tasks:
                      api:
                        run: ./api
                        context: %s
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http:
                              protocol: http
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 8080 }
                    """;
            rejects(validate(yaml.formatted("box2")), "OTA_BINDING_CONTEXT", "tasks.api.runtime.backend_binding",
                    "task `api` binds to `dev` but resolves `context: box2`; expected `box`", "context: box");
            accepts(validate(yaml.formatted("box")), "OTA_BINDING_CONTEXT");
        }

        @Test
        @DisplayName("rule 24: bound tasks spanning several contexts without a pinned context are rejected")
        void spread() {
            String yaml = """
                    execution:
                      contexts:
                        host:
                          backend: native
                        host2:
                          backend: native
                      shared_backends:
                        dev:
                          scope: local
                          backend: native
                          lifecycle: persistent
                    tasks:
                      api:
                        run: ./api
                        context: host
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http: { http: 8080 }
                      web:
                        run: ./web
                        context: %s
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http: { http: 8081 }
                    """;
            rejects(validate(yaml.formatted("host2")), "OTA_BINDING_CONTEXTS", "execution.shared_backends.dev",
                    "is bound by tasks across multiple contexts (host, host2); set `execution.shared_backends.dev.context` explicitly",
                    "pin one context");
            accepts(validate(yaml.formatted("host")), "OTA_BINDING_CONTEXTS");
        }

        @Test
        @DisplayName("rule 25: the task's resolved lifecycle must equal the backend lifecycle")
        void lifecycle() {
            String yaml = """
                    execution:
                      contexts:
                        box:
                          backend: container
                          lifecycle: %s
                          container:
                            image: eclipse-temurin:21-jdk
                      shared_backends:
                        dev:
                          scope: local
                          backend: container
                          lifecycle: persistent
                    tasks:
                      api:
                        run: ./api
                        context: box
                        runtime:
                          kind: service
                          backend_binding: dev
                          listeners:
                            http:
                              protocol: http
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 8080 }
                    """;
            rejects(validate(yaml.formatted("ephemeral")), "OTA_BINDING_LIFECYCLE", "tasks.api.runtime.backend_binding",
                    "has lifecycle `persistent`, but resolved task lifecycle is `ephemeral`", "lifecycle: persistent");
            accepts(validate(yaml.formatted("persistent")), "OTA_BINDING_LIFECYCLE");
        }
    }

    @Nested
    @DisplayName("rules 26–30: container shape and port conflicts")
    class ContainerConflicts {
        static final String BOX = """
                execution:
                  contexts:
                    box:
                      backend: container
                      lifecycle: persistent
                      container:
                        image: eclipse-temurin:21-jdk
                    node:
                      backend: container
                      lifecycle: persistent
                      container:
                        image: %s
                  shared_backends:
                    dev:
                      scope: local
                      backend: container
                      lifecycle: persistent
                """;

        static String service(String name, String context, String binding, String listener) {
            return ("""
                      %s:
                        run: ./%s
                        context: %s
                        runtime:
                          kind: service
                    """.formatted(name, name, context)
                    + (binding == null ? "" : "      backend_binding: " + binding + "\n")
                    + "      listeners:\n" + listener.indent(8));
        }

        static String bind(String address, int port) {
            return """
                    http:
                      protocol: http
                      bind:
                        address: %s
                        port: { mode: fixed, value: %d }
                    """.formatted(address, port);
        }

        static String published(int bindPort, String hostPort) {
            return """
                    http:
                      protocol: http
                      bind:
                        address: 0.0.0.0
                        port: { mode: fixed, value: %d }
                      project:
                        host:
                          address: 127.0.0.1
                          port: %s
                    """.formatted(bindPort, hostPort);
        }

        @Test
        @DisplayName("rule 26: bound tasks resolving different container shapes are rejected")
        void shape() {
            var outcome = validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("0.0.0.0", 8080))
                    + service("web", "node", "dev", bind("0.0.0.0", 3000)));
            errorAt(outcome, "OTA_SHARED_BACKEND_SHAPE", "execution.shared_backends.dev",
                    "resolve different container shapes (image/engines/publications/isolation/memory); shared backends require one deterministic container shape",
                    "run every bound task in one context");
            assertThat(outcome.errors()).extracting(Diagnostic::code)
                    .containsOnly("OTA_SHARED_BACKEND_SHAPE", "OTA_BINDING_CONTEXTS");
            accepts(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("0.0.0.0", 8080))
                    + service("web", "box", "dev", bind("0.0.0.0", 3000))), "OTA_SHARED_BACKEND_SHAPE");
        }

        @Test
        @DisplayName("rule 27: conflicting in-backend bind endpoints are rejected (wildcard clashes with any address)")
        void bindConflict() {
            rejects(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("0.0.0.0", 8080))
                    + service("web", "box", "dev", bind("127.0.0.1", 8080))),
                    "OTA_SHARED_BACKEND_BIND_CONFLICT", "tasks.web.runtime.listeners.http.bind",
                    "declare conflicting in-backend listener endpoints: `api.http` and `web.http`", "bind one of them to another port");
            accepts(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("0.0.0.0", 8080))
                    + service("web", "box", "dev", bind("0.0.0.0", 8081))), "OTA_SHARED_BACKEND_BIND_CONFLICT");
        }

        @Test
        @DisplayName("rule 27: loopback spellings fold together; distinct specific addresses do not clash")
        void loopbackFolding() {
            rejects(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("127.0.0.1", 8080))
                    + service("web", "box", "dev", bind("localhost", 8080))),
                    "OTA_SHARED_BACKEND_BIND_CONFLICT", "tasks.web.runtime.listeners.http.bind", "port 8080",
                    "another port");
            accepts(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", bind("127.0.0.1", 8080))
                    + service("web", "box", "dev", bind("10.0.0.5", 8080))), "OTA_SHARED_BACKEND_BIND_CONFLICT");
        }

        @Test
        @DisplayName("rule 28: conflicting fixed host publications are rejected; auto publications are ignored")
        void publicationConflict() {
            rejects(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", published(8080, "{ mode: fixed, value: 9000 }"))
                    + service("web", "box", "dev", published(8081, "{ mode: fixed, value: 9000 }"))),
                    "OTA_SHARED_BACKEND_PUBLICATION_CONFLICT", "tasks.web.runtime.listeners.http.project.host",
                    "declare conflicting fixed host publications", "another host port");
            accepts(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", "dev", published(8080, "{ mode: fixed, value: 9000 }"))
                    + service("web", "box", "dev", published(8081, "{ mode: auto }"))),
                    "OTA_SHARED_BACKEND_PUBLICATION_CONFLICT");
        }

        @Test
        @DisplayName("rule 29: native shared backends are not checked for bind conflicts at validation time")
        void nativeNotChecked() {
            accepts(validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                      shared_backends:
                        dev:
                          scope: local
                          backend: native
                          lifecycle: persistent
                    tasks:
                    """ + service("api", "host", "dev", bind("127.0.0.1", 8080))
                    + service("web", "host", "dev", bind("127.0.0.1", 8080))), "OTA_SHARED_BACKEND_BIND_CONFLICT");
        }

        @Test
        @DisplayName("rule 30: one container context publishing an internal port two ways is rejected")
        void portPublication() {
            rejects(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", null, published(8080, "{ mode: fixed, value: 9000 }"))
                    + service("web", "box", null, published(8080, "{ mode: fixed, value: 9001 }"))),
                    "OTA_CONTAINER_PORT_PUBLICATION", "tasks.web.runtime.listeners.http.project.host",
                    "context `box` publishes internal port `8080` more than once with conflicting host projection settings",
                    "publish container port 8080 with one host address and port everywhere");
            accepts(validate(BOX.formatted("node:22") + "tasks:\n"
                    + service("api", "box", null, published(8080, "{ mode: fixed, value: 9000 }"))
                    + service("web", "box", null, published(8080, "{ mode: fixed, value: 9000 }"))),
                    "OTA_CONTAINER_PORT_PUBLICATION");
        }
    }

    @Nested
    @DisplayName("rules 31–32: direct context fulfillment")
    class Fulfillment {
        static final String EPHEMERAL = """
                execution:
                  contexts:
                    verify:
                      backend: container
                      lifecycle: %s
                      fulfillment: run
                      container:
                        image: node:22
                tasks:
                  ui:
                    run: npm start
                    context: verify
                """;

        @Test
        @DisplayName("rule 31: fulfillment on native and remote contexts is rejected")
        void nativeAndRemote() {
            var outcome = validate("""
                    execution:
                      contexts:
                        host:
                          backend: native
                          fulfillment: run
                        far:
                          backend: remote
                          fulfillment: none
                          remote:
                            provider: ssh
                            target: dev@build.example
                    """ + TASK);
            errorAt(outcome, "OTA_NATIVE_CONTEXT_FIELD",
                    "execution.contexts.host.fulfillment", "must not declare `fulfillment`", "shared_backends");
            errorAt(outcome, "OTA_REMOTE_CONTEXT_FIELD", "execution.contexts.far.fulfillment",
                    "must not declare `fulfillment`", "shared_backends");
        }

        @Test
        @DisplayName("rule 32: fulfillment run + ephemeral container context with a service runtime is rejected")
        void ephemeralService() {
            String runtime = """
                        runtime:
                          kind: service
                          listeners:
                            http:
                              protocol: http
                              bind:
                                address: 0.0.0.0
                                port: { mode: fixed, value: 5173 }
                    """;
            rejects(validate(EPHEMERAL.formatted("ephemeral") + runtime), "OTA_EPHEMERAL_SERVICE_FULFILLMENT",
                    "tasks.ui.runtime",
                    "cannot use `execution.contexts.verify.fulfillment: run` with an ephemeral container service runtime",
                    "persistent container context");
            accepts(validate(EPHEMERAL.formatted("persistent") + runtime), "OTA_EPHEMERAL_SERVICE_FULFILLMENT");
            accepts(validate(EPHEMERAL.formatted("ephemeral")), "OTA_EPHEMERAL_SERVICE_FULFILLMENT");
        }
    }
}
