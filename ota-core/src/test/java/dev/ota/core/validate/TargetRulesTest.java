package dev.ota.core.validate;

import dev.ota.core.engine.ValidationOutcome;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Digest §2.7–2.9, rules 51–66 and 70 (50, 67–69, 71 and hook/aggregate cycles out of scope). */
class TargetRulesTest extends RuleTestSupport {

    /** A native service {@code api} with one shorthand listener and a plain task {@code lint}. */
    static final String PRODUCERS = """
            tasks:
              api:
                run: ./api
                runtime:
                  kind: service
                  listeners:
                    http: { http: 8080 }
              lint:
                run: echo lint
            """;

    /** {@code PRODUCERS} plus a consumer task {@code it} whose extra fields are given (indented 4). */
    ValidationOutcome consumer(String fields) {
        return validate(PRODUCERS + "  it:\n    run: ./it\n" + fields.indent(4));
    }

    @Nested
    @DisplayName("rule 51: task inputs")
    class Rule51 {
        @Test
        @DisplayName("rule 51: input names must be lowercase snake_case")
        void snakeCase() {
            rejects(consumer("inputs:\n  BaseUrl:\n    description: x\n"), "OTA_INPUT_NAME", "tasks.it.inputs.BaseUrl",
                    "input name `BaseUrl` must be lowercase snake_case", "rename it to `base_url`");
            accepts(consumer("inputs:\n  base_url:\n    description: x\n"), "OTA_INPUT_NAME");
        }

        @Test
        @DisplayName("rule 51: input names must not collide with reserved run flags")
        void reserved() {
            rejects(consumer("inputs:\n  mode:\n    description: x\n"), "OTA_INPUT_RESERVED", "tasks.it.inputs.mode",
                    "collides with a reserved run flag (`--mode`)", "mode_value");
        }

        @Test
        @DisplayName("rule 51: empty default, empty allowed entries and a default outside allowed are rejected")
        void defaults() {
            rejects(consumer("inputs:\n  env_name:\n    default: \"\"\n"), "OTA_INPUT_DEFAULT", "tasks.it.inputs.env_name.default",
                    "`tasks.it.inputs.env_name.default` must not be empty", "non-empty default");
            rejects(consumer("inputs:\n  env_name:\n    allowed: [dev, \"\"]\n"), "OTA_INPUT_ALLOWED",
                    "tasks.it.inputs.env_name.allowed", "has an empty entry", "remove the empty entry");
            rejects(consumer("inputs:\n  env_name:\n    default: prod\n    allowed: [dev, staging]\n"), "OTA_INPUT_DEFAULT",
                    "tasks.it.inputs.env_name.default", "default `prod` of `tasks.it.inputs.env_name` is not one of `allowed` `dev`, `staging`",
                    "pick a default from `allowed`");
            accepts(consumer("inputs:\n  env_name:\n    default: dev\n    allowed: [dev, staging]\n"), "OTA_INPUT_DEFAULT");
        }
    }

    @Nested
    @DisplayName("rules 52–58: target shape, producer and override inputs")
    class Shape {
        @Test
        @DisplayName("rule 52: a target must declare exactly one of service and url")
        void exactlyOne() {
            rejects(consumer("""
                    targets:
                      api:
                        url: http://localhost:8080
                        service:
                          task: api
                    """), "OTA_TARGET_SHAPE", "tasks.it.targets.api", "must declare exactly one of `service` or `url`",
                    "not both");
            rejects(consumer("""
                    targets:
                      api:
                        override_input: base_url
                    inputs:
                      base_url:
                        description: x
                    """), "OTA_TARGET_SHAPE", "tasks.it.targets.api", "must declare exactly one of `service` or `url`",
                    "url: <address>");
            accepts(consumer("""
                    targets:
                      api:
                        url: http://localhost:8080
                    """), "OTA_TARGET_SHAPE");
        }

        @Test
        @DisplayName("rule 52: an empty target name is rejected")
        void emptyName() {
            rejects(consumer("targets:\n  \"\":\n    url: http://localhost:8080\n"), "OTA_TARGET_NAME", "tasks.it.targets.",
                    "has an empty name", "name the target");
        }

        @Test
        @DisplayName("rule 53: empty member/repo, both member and repo, and empty task are rejected")
        void memberRepo() {
            errorAt(consumer("targets:\n  api:\n    service:\n      task: api\n      member: \"\"\n"), "OTA_EMPTY",
                    "tasks.it.targets.api.service.member", "`tasks.it.targets.api.service.member` is empty", "name the member");
            rejects(consumer("targets:\n  api:\n    service:\n      task: api\n      repo: \"\"\n      address_view: host\n"),
                    "OTA_EMPTY", "tasks.it.targets.api.service.repo", "`tasks.it.targets.api.service.repo` is empty",
                    "name the workspace repo");
            rejects(consumer("targets:\n  api:\n    service:\n      task: api\n      member: web\n      repo: shop\n      address_view: host\n"),
                    "OTA_TARGET_MEMBER_REPO", "tasks.it.targets.api.service.repo", "declares both `member` and `repo`",
                    "keep `member` (monorepo member) or `repo` (workspace repo)");
            rejects(consumer("targets:\n  api:\n    service:\n      task: \"\"\n"), "OTA_EMPTY",
                    "tasks.it.targets.api.service.task", "`tasks.it.targets.api.service.task` is empty", "producer task");
        }

        @Test
        @DisplayName("rule 54: an unknown producer task is rejected")
        void unknownProducer() {
            rejects(consumer("targets:\n  api:\n    service:\n      task: apy\n"), "OTA_TARGET_UNKNOWN_TASK",
                    "tasks.it.targets.api.service.task", "references unknown `service.task: apy`", "`api`");
            accepts(consumer("targets:\n  api:\n    service:\n      task: api\n"), "OTA_TARGET_UNKNOWN_TASK");
        }

        @Test
        @DisplayName("rule 55: the producer must be a service task")
        void notService() {
            rejects(consumer("targets:\n  api:\n    service:\n      task: lint\n"), "OTA_TARGET_NOT_SERVICE",
                    "tasks.it.targets.api.service.task", "task `lint` is not a service task", "runtime: { kind: service");
        }

        @Test
        @DisplayName("rule 55: an unknown or empty service.listener is rejected")
        void listener() {
            rejects(consumer("targets:\n  api:\n    service:\n      task: api\n      listener: admin\n"),
                    "OTA_TARGET_UNKNOWN_LISTENER", "tasks.it.targets.api.service.listener",
                    "references unknown listener `admin` of task `api`", "`http`");
            rejects(consumer("targets:\n  api:\n    service:\n      task: api\n      listener: \"\"\n"), "OTA_EMPTY",
                    "tasks.it.targets.api.service.listener", "`tasks.it.targets.api.service.listener` is empty",
                    "omit it when the producer has exactly one");
            accepts(consumer("targets:\n  api:\n    service:\n      task: api\n      listener: http\n"),
                    "OTA_TARGET_UNKNOWN_LISTENER");
        }

        @Test
        @DisplayName("rule 55: omitting service.listener for a producer with several listeners is rejected")
        void ambiguous() {
            String yaml = """
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                            admin:
                              protocol: http
                              bind:
                                address: 127.0.0.1
                                port: { mode: fixed, value: 9090 }
                      it:
                        run: ./it
                        targets:
                          api:
                            service:
                              task: api
                    %s""";
            rejects(validate(yaml.formatted("")), "OTA_TARGET_LISTENER_AMBIGUOUS", "tasks.it.targets.api.service",
                    "task `api` exposes multiple listeners; declare `service.listener` explicitly", "`http`, `admin`");
            accepts(validate(yaml.formatted("          listener: admin\n")), "OTA_TARGET_LISTENER_AMBIGUOUS");
        }

        @Test
        @DisplayName("rule 56: an empty url and a url with non-manual activation are rejected")
        void url() {
            rejects(consumer("targets:\n  api:\n    url: \"\"\n"), "OTA_EMPTY", "tasks.it.targets.api.url",
                    "`tasks.it.targets.api.url` is empty", "give the URL");
            rejects(consumer("targets:\n  api:\n    url: http://localhost:8080\n    activation:\n      mode: ensure_started\n"),
                    "OTA_TARGET_URL_ACTIVATION", "tasks.it.targets.api.activation.mode",
                    "`url` targets only support `manual` activation (got `ensure_started`)", "point the target at the producer with `service`");
            accepts(consumer("targets:\n  api:\n    url: http://localhost:8080\n    activation:\n      mode: manual\n"),
                    "OTA_TARGET_URL_ACTIVATION");
        }

        @Test
        @DisplayName("rule 57: override_input must be non-empty, declared on this task, and not shared")
        void overrideInput() {
            rejects(consumer("targets:\n  api:\n    url: http://localhost:8080\n    override_input: \"\"\n"), "OTA_EMPTY",
                    "tasks.it.targets.api.override_input", "`tasks.it.targets.api.override_input` is empty",
                    "name a task input");
            rejects(consumer("targets:\n  api:\n    url: http://localhost:8080\n    override_input: base_url\n"),
                    "OTA_OVERRIDE_INPUT", "tasks.it.targets.api.override_input",
                    "task input `base_url` is not declared under `tasks.it.inputs`", "inputs: { base_url:");
            rejects(consumer("""
                    inputs:
                      base_url:
                        description: x
                    targets:
                      api:
                        url: http://localhost:8080
                        override_input: base_url
                      admin:
                        url: http://localhost:9090
                        override_input: base_url
                    """), "OTA_OVERRIDE_INPUT_SHARED", "tasks.it.targets.admin.override_input",
                    "targets `api` and `admin` of task `it` share override input `base_url`", "its own override input");
            accepts(consumer("""
                    inputs:
                      base_url:
                        description: x
                    targets:
                      api:
                        url: http://localhost:8080
                        override_input: base_url
                    """), "OTA_OVERRIDE_INPUT");
        }

        @Test
        @DisplayName("rule 58: targets without override_input whose OTA_TARGET_* keys collide are rejected")
        void envCollision() {
            rejects(consumer("""
                    targets:
                      api-url:
                        url: http://localhost:8080
                      api_url:
                        url: http://localhost:8081
                    """), "OTA_TARGET_ENV_COLLISION", "tasks.it.targets.api_url",
                    "targets `api-url` and `api_url` of task `it` both normalize to `OTA_TARGET_API_URL`",
                    "give it an `override_input`");
            accepts(consumer("""
                    inputs:
                      api_url_override:
                        description: x
                    targets:
                      api-url:
                        url: http://localhost:8080
                      api_url:
                        url: http://localhost:8081
                        override_input: api_url_override
                    """), "OTA_TARGET_ENV_COLLISION");
        }
    }

    @Nested
    @DisplayName("rules 59–60: self activation and cycles")
    class Cycles {
        @Test
        @DisplayName("rule 59: non-manual activation of the task itself is rejected")
        void self() {
            String yaml = """
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                        targets:
                          me:
                            service:
                              task: api
                            activation:
                              mode: %s
                    """;
            rejects(validate(yaml.formatted("ensure_started")), "OTA_TARGET_SELF_ACTIVATION", "tasks.api.targets.me.activation.mode",
                    "cannot declare `activation.mode: ensure_started` for `service.task: api`", "mode: manual");
            accepts(validate(yaml.formatted("manual")), "OTA_TARGET_SELF_ACTIVATION");
        }

        @Test
        @DisplayName("rule 60: a cycle of activation edges between tasks is rejected")
        void activationCycle() {
            String yaml = """
                    tasks:
                      a:
                        run: ./a
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                        targets:
                          b:
                            service:
                              task: b
                            activation:
                              mode: ensure_started
                      b:
                        run: ./b
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8081 }
                        targets:
                          a:
                            service:
                              task: a
                            activation:
                              mode: %s
                    """;
            rejects(validate(yaml.formatted("ensure_running")), "OTA_ACTIVATION_CYCLE", "tasks.a.targets",
                    "target activation forms a cycle: a → b → a", "activation: { mode: manual }");
            accepts(validate(yaml.formatted("manual")), "OTA_ACTIVATION_CYCLE");
        }

        @Test
        @DisplayName("rule 60: depends_on cycles, self edges and unknown tasks are rejected")
        void dependsOn() {
            rejects(validate("""
                    tasks:
                      a:
                        run: ./a
                        depends_on: [b]
                      b:
                        run: ./b
                        depends_on: [c]
                      c:
                        run: ./c
                        depends_on: [a]
                    """), "OTA_DEPENDS_ON_CYCLE", "tasks.a.depends_on", "`depends_on` forms a cycle: a → b → c → a",
                    "remove one of these `depends_on` edges");
            rejects(validate("tasks:\n  a:\n    run: ./a\n    depends_on: [a]\n"), "OTA_DEPENDS_ON_CYCLE", "tasks.a.depends_on",
                    "task `a` depends on itself", "remove it from its own `depends_on`");
            rejects(validate("tasks:\n  a:\n    run: ./a\n    depends_on: [bild]\n  build:\n    run: ./b\n"), "OTA_DEPENDS_ON",
                    "tasks.a.depends_on", "depends on unknown task `bild`", "remove `bild` from `depends_on`");
            accepts(validate("tasks:\n  a:\n    run: ./a\n    depends_on: [b]\n  b:\n    run: ./b\n"), "OTA_DEPENDS_ON_CYCLE");
        }
    }

    @Nested
    @DisplayName("rules 61–66: activation feasibility (same repo)")
    class Activation {
        static final String REMOTE = """
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                    far:
                      backend: remote
                      remote:
                        provider: %s
                        target: ws-1
                  shared_backends:
                    lab:
                      scope: remote
                      backend: remote
                      lifecycle: persistent
                      context: far
                extensions:
                  acme:
                    kind: backend_provider
                    command: acme-ota
                    api_version: 1
                %s
                tasks:
                  api:
                    run: ./api
                    context: far
                    runtime:
                      kind: service
                      backend_binding: lab
                      listeners:
                        http:
                          protocol: http
                          bind:
                            address: 0.0.0.0
                            port: { mode: fixed, value: 8080 }
                  it:
                    run: ./it
                    context: %s
                    runtime:
                      kind: service
                %s
                      listeners:
                        http:
                          protocol: http
                          bind:
                            address: 0.0.0.0
                            port: { mode: fixed, value: 9090 }
                    targets:
                      api:
                        service:
                          task: api
                          address_view: %s
                        activation:
                          mode: ensure_started
                """;

        @Test
        @DisplayName("rule 61: a remote producer without a shared remote binding cannot be activated")
        void remoteProducer() {
            rejects(validate(REMOTE.formatted("ssh", "", "host", "", "host")), "OTA_ACTIVATION_REMOTE",
                    "tasks.it.targets.api.service.address_view",
                    "remote producer activation currently requires `it` and `api` to share one declared remote backend binding",
                    "backend: remote");
            accepts(validate(REMOTE.formatted("ssh", "", "far", "      backend_binding: lab", "internal")),
                    "OTA_ACTIVATION_REMOTE");
        }

        @Test
        @DisplayName("rule 62: an extension provider must declare provider_managed_cleanup for activation")
        void providerCleanup() {
            rejects(validate(REMOTE.formatted("acme", "", "far", "      backend_binding: lab", "internal")),
                    "OTA_ACTIVATION_PROVIDER_CLEANUP", "tasks.it.targets.api.service.address_view",
                    "backend provider `acme` must declare `activation.provider_managed_cleanup: true`",
                    "activation: { provider_managed_cleanup: true }");
            accepts(validate(REMOTE.formatted("acme", "    activation:\n      provider_managed_cleanup: true", "far",
                    "      backend_binding: lab", "internal")), "OTA_ACTIVATION_PROVIDER_CLEANUP");
        }

        static final String NATIVE = """
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                  shared_backends:
                    dev:
                      scope: local
                      backend: native
                      lifecycle: persistent
                tasks:
                  api:
                    run: ./api
                    runtime:
                      kind: service
                %s
                      listeners:
                        http:
                %s
                  it:
                    run: ./it
                    runtime:
                      kind: service
                %s
                      listeners:
                        http: { http: 9090 }
                    targets:
                      api:
                        service:
                          task: api
                %s
                        activation:
                          mode: %s
                """;

        static String listener(String bindPort, String host) {
            return ("""
                    protocol: http
                    bind:
                      address: 127.0.0.1
                      port: %s
                    """.formatted(bindPort) + host).indent(10).stripTrailing();
        }

        static final String BOUND = "      backend_binding: dev";
        static final String HOST_FIXED = "project:\n  host:\n    address: 127.0.0.1\n    port: { mode: fixed, value: 8080 }\n";
        static final String HOST_AUTO = "project:\n  host:\n    address: 127.0.0.1\n    port: { mode: auto }\n";

        static String view(String view) {
            return view == null ? "" : "          address_view: " + view;
        }

        @Test
        @DisplayName("rule 63: host view needs project.host on the producer listener")
        void hostViewNeedsHost() {
            rejects(validate(NATIVE.formatted("", listener("{ mode: fixed, value: 8080 }", ""), "", view("host"), "ensure_started")),
                    "OTA_ACTIVATION_HOST", "tasks.it.targets.api.service.address_view",
                    "listener `http` of task `api` does not declare `project.host`", "project.host");
            accepts(validate(NATIVE.formatted("", listener("{ mode: fixed, value: 8080 }", HOST_FIXED), "", view("host"), "ensure_started")),
                    "OTA_ACTIVATION_HOST");
        }

        @Test
        @DisplayName("rule 63: host view needs a fixed project.host port")
        void hostViewNeedsFixedPort() {
            rejects(validate(NATIVE.formatted("", listener("{ mode: discover }", HOST_AUTO), "", view("host"), "ensure_started")),
                    "OTA_ACTIVATION_HOST", "tasks.it.targets.api.service.address_view",
                    "does not declare a fixed `project.host.port.value`", "mode: fixed, value: <port>");
        }

        @Test
        @DisplayName("rule 63/64: with address_view defaulted (topology, unshared) the error points at activation.mode")
        void defaultViewAndReadinessListener() {
            rejects(validate(NATIVE.formatted("", listener("{ mode: fixed, value: 8080 }", ""), "", view(null), "ensure_started")),
                    "OTA_ACTIVATION_HOST", "tasks.it.targets.api.activation.mode", "does not declare `project.host`",
                    "address_view: internal");
        }

        @Test
        @DisplayName("rule 64 (product decision): topology from a container caller without a shared binding is rejected")
        void containerCallerTopologyNeedsSharedBinding() {
            String yaml = """
                    execution:
                      default_context: host
                      contexts:
                        host:
                          backend: native
                        box:
                          backend: container
                          lifecycle: persistent
                          container: { image: eclipse-temurin:21-jdk }
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                      it:
                        context: %s
                        run: ./it
                        targets:
                          api:
                            service: { task: api, address_view: topology }
                            activation: { mode: ensure_running }
                    """;
            rejects(validate(yaml.formatted("box")), "OTA_ACTIVATION_TOPOLOGY", "tasks.it.targets.api.service.address_view",
                    "`address_view: topology` from the container task `it`", "address_view: host");
            accepts(validate(yaml.formatted("host")), "OTA_ACTIVATION_TOPOLOGY");
        }

        @Test
        @DisplayName("rule 63: ensure_ready checks the producer's readiness listener, other modes the target listener")
        void readinessListener() {
            String yaml = """
                    tasks:
                      api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { http: 8080 }
                            admin:
                              protocol: http
                              bind:
                                address: 127.0.0.1
                                port: { mode: fixed, value: 9090 }
                          readiness:
                            kind: http
                            listener: http
                            path: /health
                      it:
                        run: ./it
                        targets:
                          admin:
                            service:
                              task: api
                              listener: admin
                              address_view: host
                            activation:
                              mode: %s
                    """;
            rejects(validate(yaml.formatted("ensure_started")), "OTA_ACTIVATION_HOST",
                    "tasks.it.targets.admin.service.address_view", "listener `admin` of task `api` does not declare `project.host`",
                    "project.host");
            accepts(validate(yaml.formatted("ensure_ready")), "OTA_ACTIVATION_HOST");
        }

        @Test
        @DisplayName("rule 64: topology view with a shared binding needs a fixed bind port")
        void topologyShared() {
            rejects(validate(NATIVE.formatted(BOUND, listener("{ mode: discover }", ""), BOUND, view("topology"), "ensure_started")),
                    "OTA_ACTIVATION_BIND", "tasks.it.targets.api.service.address_view",
                    "needs a fixed `bind.port.value` for shared-backend `address_view: topology`", "mode: fixed, value: <port>");
            accepts(validate(NATIVE.formatted(BOUND, listener("{ mode: fixed, value: 8080 }", ""), BOUND, view("topology"), "ensure_started")),
                    "OTA_ACTIVATION_BIND");
        }

        @Test
        @DisplayName("rule 64: topology view without a shared binding follows the host rule")
        void topologyUnshared() {
            rejects(validate(NATIVE.formatted("", listener("{ mode: fixed, value: 8080 }", ""), "", view("topology"), "ensure_running")),
                    "OTA_ACTIVATION_HOST", "tasks.it.targets.api.service.address_view", "does not declare `project.host`",
                    "project.host");
        }

        @Test
        @DisplayName("rule 65: internal view needs a shared binding and a fixed bind port")
        void internal() {
            rejects(validate(NATIVE.formatted("", listener("{ mode: fixed, value: 8080 }", ""), "", view("internal"), "ensure_started")),
                    "OTA_ACTIVATION_INTERNAL", "tasks.it.targets.api.service.address_view",
                    "do not share one declared backend binding on a supported execution plane", "runtime.backend_binding");
            rejects(validate(NATIVE.formatted(BOUND, listener("{ mode: discover }", ""), BOUND, view("internal"), "ensure_started")),
                    "OTA_ACTIVATION_BIND", "tasks.it.targets.api.service.address_view",
                    "needs a fixed `bind.port.value` for `address_view: internal`", "mode: fixed");
            accepts(validate(NATIVE.formatted(BOUND, listener("{ mode: fixed, value: 8080 }", ""), BOUND, view("internal"), "ensure_started")),
                    "OTA_ACTIVATION_INTERNAL");
        }

        @Test
        @DisplayName("rule 66: manual activation does not check address-view feasibility")
        void manual() {
            accepts(validate(NATIVE.formatted("", listener("{ mode: discover }", ""), "", view("internal"), "manual")),
                    "OTA_ACTIVATION_INTERNAL");
        }
    }

    @Nested
    @DisplayName("rule 70: cross-repo targets")
    class Rule70 {
        @Test
        @DisplayName("rule 70: service.repo with any view other than host is rejected (the default is topology)")
        void repoView() {
            rejects(consumer("targets:\n  api:\n    service:\n      repo: shop\n      task: api\n      listener: http\n"),
                    "OTA_TARGET_REPO_VIEW", "tasks.it.targets.api.service",
                    "uses `service.repo`, but only `address_view: host` is currently supported (the default view is `topology`)",
                    "address_view: host");
            rejects(consumer("targets:\n  api:\n    service:\n      repo: shop\n      task: api\n      address_view: internal\n"),
                    "OTA_TARGET_REPO_VIEW", "tasks.it.targets.api.service.address_view",
                    "only `address_view: host` is currently supported", "address_view: host");
            accepts(consumer("targets:\n  api:\n    service:\n      repo: shop\n      task: api\n      address_view: host\n"),
                    "OTA_TARGET_REPO_VIEW");
        }
    }
}
