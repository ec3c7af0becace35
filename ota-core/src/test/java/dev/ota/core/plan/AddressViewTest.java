package dev.ota.core.plan;

import static dev.ota.core.plan.PlanFixture.onlyError;
import static dev.ota.core.plan.PlanFixture.resolution;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.PlanOutcome;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address views × caller shapes (contract-surface §3, product decisions §2), target value
 * precedence, task narrowing, activation order and the env a task receives.
 */
class AddressViewTest {

    @TempDir
    Path dir;

    PlanFixture fx;

    @BeforeEach
    void setUp() {
        fx = new PlanFixture(dir);
    }

    // ---- native ---------------------------------------------------------------------------------

    static final String NATIVE = """
            version: 1
            project: { name: views }
            execution:
              default_context: host
              contexts:
                host: { backend: native }
              shared_backends:
                stack: { scope: local, backend: native, lifecycle: persistent, context: host }
            tasks:
              api:
                run: ./api
                runtime:
                  kind: service
                  backend_binding: stack
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 8081 } }
                      project:
                        host: { address: api.localtest.me, primary: true, port: { mode: fixed, value: 8081 }, path: /v1 }
                    raw:
                      protocol: tcp
                      bind: { address: 127.0.0.2, port: { mode: fixed, value: 7000 } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: fixed, value: 7000 } }
              worker:
                run: ./worker
                targets:
                  topo: { service: { task: api, listener: http, address_view: topology } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
                  raw: { service: { task: api, listener: raw, address_view: internal } }
                  raw-host: { service: { task: api, listener: raw, address_view: host } }
                runtime:
                  kind: service
                  backend_binding: stack
                  listeners:
                    metrics: { tcp: 9101 }
              outsider:
                run: ./outsider
                targets:
                  topo: { service: { task: api, listener: http } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
            """;

    @Nested
    class NativeCaller {

        PlanOutcome plan;

        @BeforeEach
        void plan() {
            plan = fx.planValid(NATIVE);
        }

        @Test
        void sharingNativeBindingTopologyIsBindEndpointWithWildcardAsLoopback() {
            Plan.TargetResolution r = resolution(plan, "worker", "topo");
            assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:8081");
            assertThat(r.source()).isEqualTo("target_binding");
            assertThat(r.serviceRef().addressView()).isEqualTo("topology");
        }

        @Test
        void sharingNativeBindingInternalIsBindEndpoint() {
            assertThat(resolution(plan, "worker", "inner").effectiveUrl()).isEqualTo("http://127.0.0.1:8081");
        }

        @Test
        void sharingNativeBindingHostIsProjectHostWithPath() {
            assertThat(resolution(plan, "worker", "pub").effectiveUrl()).isEqualTo("http://api.localtest.me:8081/v1");
        }

        @Test
        void tcpListenerUsesTcpSchemeAndNoPath() {
            assertThat(resolution(plan, "worker", "raw").effectiveUrl()).isEqualTo("tcp://127.0.0.2:7000");
            assertThat(resolution(plan, "worker", "raw-host").effectiveUrl()).isEqualTo("tcp://127.0.0.1:7000");
            Plan.ListenerPlan raw = plan.plan().tasks().get("api").listeners().get(1);
            assertThat(raw.bindEndpoint()).isEqualTo("tcp://127.0.0.2:7000");
            assertThat(raw.hostUrl()).isEqualTo("tcp://127.0.0.1:7000");
        }

        @Test
        void withoutSharedBindingTopologyFallsBackToFixedProjectHost() {
            Plan.TargetResolution r = resolution(plan, "outsider", "topo");
            assertThat(r.effectiveUrl()).isEqualTo("http://api.localtest.me:8081/v1");
            assertThat(r.serviceRef().addressView()).isEqualTo("topology");
        }

        @Test
        void withoutSharedBindingHostIsProjectHost() {
            assertThat(resolution(plan, "outsider", "pub").effectiveUrl()).isEqualTo("http://api.localtest.me:8081/v1");
        }

        @Test
        void withoutSharedBindingInternalIsUnresolvedAndNamesBackendBinding() {
            Plan.TargetResolution r = resolution(plan, "outsider", "inner");
            assertThat(r.resolved()).isFalse();
            assertThat(r.effectiveUrl()).isNull();
            assertThat(r.source()).isNull();
            assertThat(r.error()).contains("internal").contains("share one declared backend binding");
            assertThat(r.fix()).contains("backend_binding");
            assertThat(plan.plan().tasks().get("outsider").env()).doesNotContainKey("OTA_TARGET_INNER");
        }

        @Test
        void unresolvedTargetFailsOnlyWhenItsTaskIsRequested() {
            assertThat(plan.ok()).isTrue();
            PlanOutcome requested = fx.plan(NATIVE, "outsider");
            Diagnostic d = onlyError(requested, "OTA_TARGET_UNRESOLVED");
            assertThat(requested.ok()).isFalse();
            assertThat(requested.plan().ok()).isFalse();
            assertThat(d.message()).contains("`inner`").contains("`outsider`");
            assertThat(d.fix()).contains("backend_binding");
            assertThat(d.path()).isEqualTo("tasks.outsider.targets.inner");
        }
    }

    // ---- container ------------------------------------------------------------------------------

    static final String CONTAINER = """
            version: 1
            project: { name: boxes }
            execution:
              default_context: app
              contexts:
                app: { backend: container, lifecycle: persistent, container: { image: eclipse-temurin:21 } }
              shared_backends:
                box: { scope: local, backend: container, lifecycle: persistent, context: app }
            tasks:
              api:
                run: java -jar api.jar
                runtime:
                  kind: service
                  backend_binding: box
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                      project:
                        host: { address: 127.0.0.1, primary: true, port: { mode: fixed, value: 18080 }, path: / }
                    ui:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 3000 } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: auto }, path: / }
              helper:
                run: node helper.js
                targets:
                  topo: { service: { task: api, listener: http } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
                runtime:
                  kind: service
                  backend_binding: box
                  listeners:
                    web:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 4000 } }
              loner:
                run: ./check.sh
                targets:
                  topo: { service: { task: api, listener: http, address_view: topology } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
              probe:
                context: host
                run: ./probe.sh
                targets:
                  auto: { service: { task: api, listener: ui, address_view: host } }
            """;

    static String containerWithHost() {
        return CONTAINER.replace("    app: { backend: container", "    host: { backend: native }\n    app: { backend: container");
    }

    @Nested
    class ContainerCaller {

        PlanOutcome plan;

        @BeforeEach
        void plan() {
            plan = fx.planValid(containerWithHost());
        }

        @Test
        void sharingContainerBindingTopologyAndInternalAreBindEndpoint() {
            assertThat(resolution(plan, "helper", "topo").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
            assertThat(resolution(plan, "helper", "inner").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
        }

        @Test
        void hostViewOfALoopbackPublicationIsUnresolvedForContainerCallers() {
            for (String caller : java.util.List.of("helper", "loner")) {
                Plan.TargetResolution r = resolution(plan, caller, "pub");
                assertThat(r.resolved()).isFalse();
                assertThat(r.error()).contains("loopback address of the build host that the container cannot reach")
                        .contains("http://127.0.0.1:18080/");
                assertThat(r.fix()).contains("address_view: internal");
                assertThat(r.error() + r.fix()).doesNotContain("host.docker.internal");
            }
        }

        @Test
        void hostViewOfAReachablePublicationResolvesForContainerCallers() {
            PlanOutcome routable = fx.planValid(containerWithHost().replace("host: { address: 127.0.0.1, primary: true,",
                    "host: { address: 192.0.2.10, primary: true,"));
            assertThat(resolution(routable, "helper", "pub").effectiveUrl()).isEqualTo("http://192.0.2.10:18080/");
        }

        @Test
        void withoutSharedBindingTopologyIsUnresolvedWithoutGuessing() {
            Plan.TargetResolution r = resolution(plan, "loner", "topo");
            assertThat(r.resolved()).isFalse();
            assertThat(r.error()).contains("container caller").contains("does not guess");
            assertThat(r.fix()).contains("shared_backends");
            assertThat(r.error() + r.fix()).doesNotContain("host.docker.internal").doesNotContain("localhost");
        }

        @Test
        void withoutSharedBindingInternalIsUnresolved() {
            Plan.TargetResolution r = resolution(plan, "loner", "inner");
            assertThat(r.resolved()).isFalse();
            assertThat(r.fix()).contains("backend_binding");
        }

        @Test
        void hostViewWithAutoPortIsUnresolvedAndAsksForFixed() {
            Plan.TargetResolution r = resolution(plan, "probe", "auto");
            assertThat(r.resolved()).isFalse();
            assertThat(r.error()).contains("auto");
            assertThat(r.fix()).contains("mode: fixed");
            Plan.ListenerPlan ui = plan.plan().tasks().get("api").listeners().get(1);
            assertThat(ui.hostUrl()).isNull();
            assertThat(ui.bindEndpoint()).isEqualTo("http://127.0.0.1:3000");
        }
    }

    // ---- remote ---------------------------------------------------------------------------------

    static final String REMOTE = """
            version: 1
            project: { name: far }
            execution:
              default_context: devbox
              contexts:
                devbox:
                  backend: remote
                  lifecycle: persistent
                  remote: { provider: ssh, target: dev@devbox.example.com, cwd: /work }
              shared_backends:
                rstack: { scope: remote, backend: remote, lifecycle: persistent, context: devbox }
            tasks:
              api:
                run: ./api
                runtime:
                  kind: service
                  backend_binding: rstack
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 8080 } }
                      project:
                        host: { address: api.devbox.internal, primary: true, port: { mode: fixed, value: 8080 }, path: / }
              client:
                run: ./client
                targets:
                  topo: { service: { task: api, listener: http } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
                runtime:
                  kind: service
                  backend_binding: rstack
                  listeners:
                    admin:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 9010 } }
              stray:
                run: ./stray
                targets:
                  topo: { service: { task: api, listener: http } }
                  inner: { service: { task: api, listener: http, address_view: internal } }
                  pub: { service: { task: api, listener: http, address_view: host } }
            """;

    @Nested
    class RemoteCaller {

        PlanOutcome plan;

        @BeforeEach
        void plan() {
            plan = fx.planValid(REMOTE);
        }

        @Test
        void sharingRemoteBindingTopologyAndInternalAreBindEndpointOnRemotePlane() {
            assertThat(resolution(plan, "client", "topo").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
            assertThat(resolution(plan, "client", "inner").effectiveUrl()).isEqualTo("http://127.0.0.1:8080");
        }

        @Test
        void sharingRemoteBindingHostIsProjectHost() {
            assertThat(resolution(plan, "client", "pub").effectiveUrl()).isEqualTo("http://api.devbox.internal:8080/");
        }

        @Test
        void withoutBindingTopologyAndInternalAreUnresolved() {
            Plan.TargetResolution topo = resolution(plan, "stray", "topo");
            assertThat(topo.resolved()).isFalse();
            assertThat(topo.error()).contains("remote caller");
            Plan.TargetResolution inner = resolution(plan, "stray", "inner");
            assertThat(inner.resolved()).isFalse();
            assertThat(inner.fix()).contains("backend_binding");
        }

        @Test
        void remoteTasksCarryTheirBoundaryInThePlanWithoutConnecting() {
            assertThat(plan.plan().tasks().get("client").remote())
                    .isEqualTo(new Plan.RemotePlan("ssh", "dev@devbox.example.com", "/work"));
            assertThat(plan.plan().tasks().get("api").remote().provider()).isEqualTo("ssh");
        }

        @Test
        void aRemoteCallerIsNotHandedTheBuildHostsLoopback() {
            PlanOutcome mixed = fx.planValid("""
                    version: 1
                    project: { name: mixed }
                    execution:
                      default_context: host
                      contexts:
                        host: { backend: native }
                        devbox:
                          backend: remote
                          lifecycle: persistent
                          remote: { provider: ssh, target: dev@devbox.example.com }
                    tasks:
                      local_api:
                        run: ./api
                        runtime:
                          kind: service
                          listeners:
                            http: { protocol: http, bind: { address: 127.0.0.1, port: { mode: fixed, value: 8080 } },
                                    project: { host: { address: 127.0.0.1, port: { mode: fixed, value: 8080 } } } }
                      far:
                        context: devbox
                        run: ./far
                        targets:
                          api: { service: { task: local_api, address_view: host }, activation: { mode: manual } }
                    """);
            Plan.TargetResolution r = resolution(mixed, "far", "api");
            assertThat(r.resolved()).isFalse();
            assertThat(r.error()).contains("remote task `far`").contains("http://127.0.0.1:8080")
                    .contains("not the build host");
            assertThat(mixed.plan().tasks().get("local_api").remote()).isNull();
        }

        @Test
        void withoutBindingManualHostViewIsProjectHost() {
            Plan.TargetResolution r = resolution(plan, "stray", "pub");
            assertThat(r.effectiveUrl()).isEqualTo("http://api.devbox.internal:8080/");
            assertThat(r.activation().status()).isEqualTo("manual");
        }
    }

    // ---- precedence -----------------------------------------------------------------------------

    static final String PRECEDENCE = """
            version: 1
            project: { name: prec }
            execution:
              default_context: host
              contexts:
                host: { backend: native }
                app: { backend: container, lifecycle: persistent, container: { image: node:24 } }
            tasks:
              api:
                run: ./api
                runtime:
                  kind: service
                  listeners:
                    http: { http: 8080 }
              box-api:
                context: app
                run: node api.js
                runtime:
                  kind: service
                  listeners:
                    http:
                      protocol: http
                      bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                      project:
                        host: { address: 127.0.0.1, primary: true, port: { mode: fixed, value: 18080 }, path: / }
              consumer:
                run: ./consume
                inputs:
                  api_url: { description: explicit API URL }
                targets:
                  api:
                    service: { task: api }
                    override_input: api_url
                    activation: { mode: ensure_running }
              legacy:
                context: app
                run: ./legacy
                inputs:
                  api_url: { default: "http://fallback.example:9000" }
                targets:
                  api:
                    service: { task: box-api, listener: http }
                    override_input: api_url
              eager:
                context: app
                run: ./eager
                inputs:
                  api_url: { default: "http://fallback.example:9000" }
                targets:
                  api:
                    # valid, but unresolvable at plan time: repo targets need ota.workspace.yaml
                    service: { repo: backend, task: dev, listener: http, address_view: host }
                    override_input: api_url
                    activation: { mode: ensure_running }
            """;

    @Nested
    class Precedence {

        @Test
        void explicitOverrideWinsAndSkipsActivation() {
            PlanOutcome plan = fx.plan(PRECEDENCE, "consumer", Map.of("api_url", "https://staging.example/api"));
            assertThat(plan.errors()).isEmpty();
            Plan.TargetResolution r = resolution(plan, "consumer", "api");
            assertThat(r.source()).isEqualTo("explicit_override");
            assertThat(r.effectiveUrl()).isEqualTo("https://staging.example/api");
            assertThat(r.overrideInput()).isEqualTo("api_url");
            assertThat(r.activation().mode()).isEqualTo("ensure_running");
            assertThat(r.activation().status()).isEqualTo("skipped_explicit_override");
            Map<String, String> env = plan.plan().tasks().get("consumer").env();
            assertThat(env).containsEntry("OTA_INPUT_API_URL", "https://staging.example/api")
                    .containsEntry("OTA_TARGET_API", "https://staging.example/api");
            assertThat(plan.plan().activationSteps()).isEmpty();
            assertThat(plan.plan().tasks()).containsOnlyKeys("consumer");
        }

        @Test
        void resolvedBindingComesNextAndIsExportedBothWays() {
            PlanOutcome plan = fx.plan(PRECEDENCE, "consumer");
            assertThat(plan.errors()).isEmpty();
            Plan.TargetResolution r = resolution(plan, "consumer", "api");
            assertThat(r.source()).isEqualTo("target_binding");
            assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:8080/");
            assertThat(r.activation().status()).isEqualTo("planned");
            assertThat(r.env()).isEqualTo("OTA_INPUT_API_URL,OTA_TARGET_API");
            assertThat(plan.plan().tasks().get("consumer").env())
                    .containsEntry("OTA_INPUT_API_URL", "http://127.0.0.1:8080/")
                    .containsEntry("OTA_TARGET_API", "http://127.0.0.1:8080/");
            assertThat(plan.plan().activationSteps()).hasSize(1);
        }

        @Test
        void literalDefaultOnlyWhenBindingCannotResolveAndActivationIsManual() {
            PlanOutcome plan = fx.plan(PRECEDENCE, "legacy");
            assertThat(plan.errors()).isEmpty();
            assertThat(plan.ok()).isTrue();
            Plan.TargetResolution r = resolution(plan, "legacy", "api");
            assertThat(r.source()).isEqualTo("compatibility_literal_default");
            assertThat(r.effectiveUrl()).isEqualTo("http://fallback.example:9000");
            assertThat(r.activation().status()).isEqualTo("manual");
            assertThat(plan.plan().tasks().get("legacy").env())
                    .containsEntry("OTA_TARGET_API", "http://fallback.example:9000");
        }

        @Test
        void literalDefaultIsNotUsedWhenTheBindingResolves() {
            String yaml = PRECEDENCE.replace("""
                    consumer:
                        run: ./consume
                        inputs:
                          api_url: { description: explicit API URL }""".replace("\n    ", "\n  "),
                    "consumer:\n    run: ./consume\n    inputs:\n      api_url: { default: \"http://fallback.example:9000\" }");
            assertThat(yaml).contains("fallback.example:9000\" }\n    targets:");
            Plan.TargetResolution r = resolution(fx.plan(yaml, "consumer"), "consumer", "api");
            assertThat(r.source()).isEqualTo("target_binding");
            assertThat(r.effectiveUrl()).isEqualTo("http://127.0.0.1:8080/");
        }

        @Test
        void nonManualActivationWithOnlyALiteralDefaultIsAnError() {
            PlanOutcome all = fx.planValid(PRECEDENCE);
            Plan.TargetResolution blocked = resolution(all, "eager", "api");
            assertThat(blocked.resolved()).isFalse();
            assertThat(blocked.activation().status()).isEqualTo("blocked");
            assertThat(blocked.error()).contains("cannot fall back to the literal default");
            PlanOutcome plan = fx.plan(PRECEDENCE, "eager");
            Diagnostic d = onlyError(plan, "OTA_TARGET_UNRESOLVED");
            assertThat(d.message()).contains("ensure_running").contains("literal default");
            assertThat(d.fix()).contains("-Dota.input.api_url");
            assertThat(plan.ok()).isFalse();
        }

        @Test
        void explicitOverrideAlsoRescuesAnUnresolvableTarget() {
            PlanOutcome plan = fx.plan(PRECEDENCE, "eager", Map.of("api_url", "http://box.example:1"));
            assertThat(plan.errors()).isEmpty();
            assertThat(resolution(plan, "eager", "api").source()).isEqualTo("explicit_override");
        }
    }

    // ---- task narrowing, inputs and activation order ---------------------------------------------

    static final String NARROW = """
            version: 1
            project: { name: narrow }
            tasks:
              setup: { run: ./setup }
              build: { run: ./build, depends_on: [setup] }
              unrelated: { run: ./other }
              db:
                run: ./db
                runtime: { kind: service, listeners: { pg: { tcp: 5432 } } }
              c:
                run: ./c
                runtime: { kind: service, listeners: { http: { http: 8003 } } }
              b:
                run: ./b
                depends_on: [build]
                targets:
                  c: { service: { task: c }, activation: { mode: ensure_ready } }
                runtime: { kind: service, listeners: { http: { http: 8002 } } }
              a:
                run: ./a
                depends_on: [build]
                inputs:
                  profile: { required: true, allowed: [dev, ci] }
                  region: { default: eu }
                targets:
                  b: { service: { task: b }, activation: { mode: ensure_running } }
                  db: { service: { task: db } }
              broken:
                run: ./broken
                targets:
                  nowhere: { service: { task: c, address_view: internal } }
            """;

    @Nested
    class Narrowing {

        @Test
        void planContainsTaskDependenciesAndActivatedProducersOnly() {
            PlanOutcome plan = fx.plan(NARROW, "a", Map.of("profile", "dev"));
            assertThat(plan.errors()).isEmpty();
            assertThat(plan.plan().requestedTask()).isEqualTo("a");
            assertThat(plan.plan().tasks().keySet()).containsExactlyInAnyOrder("a", "build", "setup", "b", "c");
            assertThat(plan.plan().tasks()).doesNotContainKeys("unrelated", "db", "broken");
        }

        @Test
        void activationStepsOrderProducersFirst() {
            PlanOutcome plan = fx.plan(NARROW, "a", Map.of("profile", "dev"));
            assertThat(plan.plan().activationSteps()).extracting(Plan.ActivationStep::producer).containsExactly("c", "b");
            Plan.ActivationStep first = plan.plan().activationSteps().get(0);
            assertThat(first.order()).isEqualTo(1);
            assertThat(first.consumer()).isEqualTo("b");
            assertThat(first.mode()).isEqualTo("ensure_ready");
            assertThat(first.backend()).isEqualTo("native");
            Plan.ActivationStep second = plan.plan().activationSteps().get(1);
            assertThat(second.order()).isEqualTo(2);
            assertThat(second.consumer()).isEqualTo("a");
            assertThat(second.waitsFor()).contains("listener `http`");
            assertThat(resolution(plan, "a", "db").activation().status()).isEqualTo("manual");
        }

        @Test
        void untargetedPlanHasNoActivationSteps() {
            assertThat(fx.planValid(NARROW).plan().activationSteps()).isEmpty();
        }

        @Test
        void unresolvableTargetOfRequestedTaskFailsThePlan() {
            PlanOutcome all = fx.planValid(NARROW);
            assertThat(resolution(all, "broken", "nowhere").resolved()).isFalse();
            PlanOutcome plan = fx.plan(NARROW, "broken");
            onlyError(plan, "OTA_TARGET_UNRESOLVED");
            assertThat(plan.plan().ok()).isFalse();
        }

        @Test
        void unknownTaskHasDidYouMean() {
            PlanOutcome plan = fx.plan(NARROW, "biuld");
            Diagnostic d = onlyError(plan, "OTA_TASK_UNKNOWN");
            assertThat(d.message()).contains("`biuld`");
            assertThat(d.fix()).isEqualTo("did you mean `-Dota.task=build`?");
            assertThat(plan.plan().tasks()).isEmpty();
            assertThat(plan.ok()).isFalse();
        }

        @Test
        void unknownTaskWithoutNearMatchListsTasks() {
            Diagnostic d = onlyError(fx.plan(NARROW, "zzzzzzzzzzzz"), "OTA_TASK_UNKNOWN");
            assertThat(d.fix()).contains("setup").contains("unrelated");
        }

        @Test
        void unknownInputHasDidYouMean() {
            Diagnostic d = onlyError(fx.plan(NARROW, "a", Map.of("profile", "dev", "regoin", "us")), "OTA_INPUT_UNKNOWN");
            assertThat(d.message()).contains("`regoin`").contains("profile").contains("region");
            assertThat(d.fix()).contains("-Dota.input.region");
        }

        @Test
        void requiredInputMissing() {
            Diagnostic d = onlyError(fx.plan(NARROW, "a"), "OTA_INPUT_REQUIRED");
            assertThat(d.message()).contains("`profile`");
            assertThat(d.fix()).contains("-Dota.input.profile=");
        }

        @Test
        void inputValueNotAllowed() {
            Diagnostic d = onlyError(fx.plan(NARROW, "a", Map.of("profile", "prod")), "OTA_INPUT_NOT_ALLOWED");
            assertThat(d.message()).contains("`prod`").contains("dev, ci");
        }

        @Test
        void inputsReachTheEnvWithDefaults() {
            Map<String, String> env = fx.plan(NARROW, "a", Map.of("profile", "ci")).plan().tasks().get("a").env();
            assertThat(env).containsEntry("OTA_INPUT_PROFILE", "ci").containsEntry("OTA_INPUT_REGION", "eu");
        }
    }

    // ---- env ------------------------------------------------------------------------------------

    static final String ENV = """
            version: 1
            project: { name: envs }
            execution:
              default_context: host
              contexts:
                host:
                  backend: native
                  env: { SHARED: from-context, ONLY_CONTEXT: c }
            tasks:
              billing:
                run: ./billing
                env: { SHARED: from-task, ONLY_TASK: t }
                runtime:
                  kind: service
                  listeners:
                    admin:
                      protocol: http
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 9001 } }
                      project:
                        host: { address: 127.0.0.1, port: { mode: fixed, value: 9001 }, path: /admin }
                    public-api:
                      protocol: https
                      bind: { address: 127.0.0.1, port: { mode: fixed, value: 8443 } }
                      project:
                        host: { address: billing.localtest.me, primary: true, port: { mode: fixed, value: 8443 }, path: /api }
              invoices:
                run: ./invoices
                targets:
                  billing-v2: { service: { task: billing, listener: public-api, address_view: host } }
                  docs.site: { url: "https://docs.example.com" }
            """;

    @Nested
    class Env {

        @Test
        void targetEnvNamesAreNormalized() {
            PlanOutcome plan = fx.planValid(ENV);
            Map<String, String> env = plan.plan().tasks().get("invoices").env();
            assertThat(env).containsEntry("OTA_TARGET_BILLING_V2", "https://billing.localtest.me:8443/api")
                    .containsEntry("OTA_TARGET_DOCS_SITE", "https://docs.example.com");
            assertThat(resolution(plan, "invoices", "billing-v2").env()).isEqualTo("OTA_TARGET_BILLING_V2");
        }

        @Test
        void taskEnvOverridesContextEnv() {
            Map<String, String> env = fx.planValid(ENV).plan().tasks().get("billing").env();
            assertThat(env).containsEntry("SHARED", "from-task").containsEntry("ONLY_CONTEXT", "c")
                    .containsEntry("ONLY_TASK", "t");
        }

        @Test
        void publicUrlIsThePrimaryListener() {
            PlanOutcome plan = fx.planValid(ENV);
            Map<String, String> env = plan.plan().tasks().get("billing").env();
            assertThat(env).containsEntry("OTA_PUBLIC_URL", "https://billing.localtest.me:8443/api")
                    .containsEntry("OTA_PUBLIC_HOST", "billing.localtest.me")
                    .containsEntry("OTA_PUBLIC_PORT", "8443")
                    .containsEntry("OTA_PUBLIC_URL_PUBLIC_API", "https://billing.localtest.me:8443/api")
                    .containsEntry("OTA_PUBLIC_URL_ADMIN", "http://127.0.0.1:9001/admin")
                    .containsKey("OTA_WORKSPACE");
            assertThat(plan.plan().tasks().get("billing").listeners())
                    .filteredOn(Plan.ListenerPlan::primary).extracting(Plan.ListenerPlan::name).containsExactly("public-api");
        }

        @Test
        void singleShorthandListenerIsThePublicUrl() {
            Map<String, String> env = fx.planValid(NARROW).plan().tasks().get("c").env();
            assertThat(env).containsEntry("OTA_PUBLIC_URL", "http://127.0.0.1:8003/")
                    .containsEntry("OTA_PUBLIC_PORT", "8003");
        }

        @Test
        void nonServiceTaskHasNoPublicUrl() {
            assertThat(fx.planValid(ENV).plan().tasks().get("invoices").env()).doesNotContainKey("OTA_PUBLIC_URL");
        }
    }
}
