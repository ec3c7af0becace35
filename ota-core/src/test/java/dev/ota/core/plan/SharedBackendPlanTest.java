package dev.ota.core.plan;

import static dev.ota.core.plan.PlanFixture.onlyError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.PlanOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Effective image of shared container backends through org policy (contract-surface §6) and requirement unions. */
class SharedBackendPlanTest {

    @TempDir
    Path dir;

    PlanFixture fx;

    @BeforeEach
    void setUp() {
        fx = new PlanFixture(dir.resolve("repo"));
    }

    static final String POLICY = """
            policies:
              backend_environment:
                profiles:
                  jdk21: { image: ghcr.io/acme/jdk21:2026.05, source: internal_registry }
                  fallback: { image: ghcr.io/acme/base:1, source: internal_registry }
                image_aliases:
                  node-lts: { image: ghcr.io/acme/node:24, source: internal_registry }
                  hub-node: { image: ghcr.io/library/node:24, source: public_hub }
                default_profile: fallback
                allowed_sources: [internal_registry, vendor]
                denied_sources: [public_hub]
                allowed_registries: [ghcr.io, registry.acme.internal:5000]
                denied_registries: [docker.io]
            """;

    static final String POLICY_WITHOUT_DEFAULT = """
            policies:
              backend_environment:
                profiles:
                  jdk21: { image: ghcr.io/acme/jdk21:2026.05 }
            """;

    /** A contract with one container shared backend whose `environment` line is {@code environment}. */
    static String contract(String environment) {
        return """
                version: 1
                project: { name: stack }
                runtimes:
                  java: ">=21"
                tools:
                  git: "*"
                execution:
                  default_context: app
                  contexts:
                    app:
                      backend: container
                      lifecycle: persistent
                      container: { image: "ghcr.io/acme/context-image:7" }
                      requirements:
                        runtimes: { node: ">=24" }
                        tools: { maven: "*" }
                        toolchains: [java]
                  shared_backends:
                    box:
                      scope: local
                      backend: container
                      lifecycle: persistent
                      context: app
                %s
                tasks:
                  api:
                    run: java -jar api.jar
                    requirements:
                      tools: { curl: "*" }
                    runtime:
                      kind: service
                      backend_binding: box
                      listeners:
                        http:
                          protocol: http
                          bind: { address: 0.0.0.0, port: { mode: fixed, value: 8080 } }
                  lint:
                    run: ./lint
                """.formatted(environment.isEmpty() ? "" : "      " + environment);
    }

    private Plan.SharedBackendPlan backend(PlanOutcome outcome) {
        Plan.SharedBackendPlan b = outcome.plan().sharedBackends().get("box");
        assertThat(b).isNotNull();
        return b;
    }

    private Plan.EnvironmentEvidence ok(String environment) {
        PlanOutcome outcome = fx.plan(contract(environment), null);
        assertThat(outcome.errors()).isEmpty();
        return backend(outcome).environment();
    }

    @Test
    void profileResolvesThroughPolicy() {
        fx.policy(POLICY);
        Plan.EnvironmentEvidence env = ok("environment: { profile: jdk21 }");
        assertThat(env.declaredProfile()).isEqualTo("jdk21");
        assertThat(env.effectiveProfile()).isEqualTo("jdk21");
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/jdk21:2026.05");
        assertThat(env.effectiveSource()).isEqualTo("internal_registry");
        assertThat(env.effectiveRegistry()).isEqualTo("ghcr.io");
        assertThat(env.resolvedBy()).isEqualTo("policy profile");
        assertThat(env.policy()).endsWith("org-policy.yaml");
    }

    @Test
    void imageAliasResolvesThroughPolicy() {
        fx.policy(POLICY);
        Plan.EnvironmentEvidence env = ok("environment: { image_alias: node-lts }");
        assertThat(env.effectiveImageAlias()).isEqualTo("node-lts");
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/node:24");
        assertThat(env.resolvedBy()).isEqualTo("policy image alias");
    }

    @Test
    void literalImageWithSource() {
        fx.policy(POLICY);
        Plan.EnvironmentEvidence env = ok("environment: { image: \"registry.acme.internal:5000/tools/jdk:21\", source: vendor }");
        assertThat(env.declaredImage()).isEqualTo("registry.acme.internal:5000/tools/jdk:21");
        assertThat(env.effectiveImage()).isEqualTo("registry.acme.internal:5000/tools/jdk:21");
        assertThat(env.effectiveSource()).isEqualTo("vendor");
        assertThat(env.effectiveRegistry()).isEqualTo("registry.acme.internal:5000");
        assertThat(env.resolvedBy()).isEqualTo("literal image");
    }

    @Test
    void emptyEnvironmentUsesPolicyDefaultProfile() {
        fx.policy(POLICY);
        Plan.EnvironmentEvidence env = ok("environment: {}");
        assertThat(env.effectiveProfile()).isEqualTo("fallback");
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/base:1");
        assertThat(env.resolvedBy()).isEqualTo("policy default_profile");
    }

    @Test
    void emptyEnvironmentWithoutDefaultProfileUsesContextImage() {
        fx.policy(POLICY_WITHOUT_DEFAULT);
        Plan.EnvironmentEvidence env = ok("environment: {}");
        assertThat(env.effectiveProfile()).isNull();
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/context-image:7");
        assertThat(env.resolvedBy()).isEqualTo("context image (no policy default_profile)");
    }

    @Test
    void emptyEnvironmentWithoutAnyPolicyUsesContextImage() {
        Plan.EnvironmentEvidence env = ok("environment: {}");
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/context-image:7");
        assertThat(env.policy()).isNull();
    }

    @Test
    void noEnvironmentUsesContextImage() {
        fx.policy(POLICY_WITHOUT_DEFAULT);
        Plan.EnvironmentEvidence env = ok("");
        assertThat(env.declaredProfile()).isNull();
        assertThat(env.effectiveImage()).isEqualTo("ghcr.io/acme/context-image:7");
        assertThat(env.resolvedBy()).isEqualTo("context image");
    }

    @Test
    void contextImageIsStillSubjectToPolicySourceRules() {
        fx.policy(POLICY);
        Diagnostic d = onlyError(fx.plan(contract(""), null), "OTA_POLICY_REFUSED");
        assertThat(d.message()).contains("allows only source classes").contains("context-image:7").contains("no source class");
    }

    @Test
    void sameEffectiveImageGivesSameIdentityRegardlessOfTask() {
        fx.policy(POLICY);
        PlanOutcome all = fx.plan(contract("environment: { profile: jdk21 }"), null);
        PlanOutcome api = fx.plan(contract("environment: { profile: jdk21 }"), "api");
        assertThat(backend(api).effectiveIdentity()).isEqualTo(backend(all).effectiveIdentity()).startsWith("stack/box@");
        assertThat(backend(api).environment().effectiveImage()).isEqualTo(backend(all).environment().effectiveImage());
        PlanOutcome other = fx.plan(contract("environment: { image_alias: node-lts }"), null);
        assertThat(backend(other).effectiveIdentity()).isNotEqualTo(backend(all).effectiveIdentity());
    }

    @Test
    void backendIsOnlyPlannedWhenABoundTaskIsIncluded() {
        PlanOutcome lint = fx.plan(contract(""), "lint");
        assertThat(lint.errors()).isEmpty();
        assertThat(lint.plan().sharedBackends()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "node:24, docker.io",
        "library/node:24, docker.io",
        "acme/app:1, docker.io",
        "docker.io/library/node:24, docker.io",
        "ghcr.io/acme/jdk21:2026.05, ghcr.io",
        "localhost/app:dev, localhost",
        "localhost:5000/app:dev, localhost:5000",
        "registry.acme.internal:5000/tools/jdk:21, registry.acme.internal:5000",
        "node@sha256:0123abcd, docker.io"
    })
    void registryParsing(String image, String registry) {
        assertThat(BackendEnvironmentResolver.registryOf(image)).isEqualTo(registry);
    }

    @Test
    void deniedRegistryIsRefused() {
        fx.policy(POLICY);
        PlanOutcome outcome = fx.plan(contract("environment: { image: \"node:24\", source: internal_registry }"), null);
        Diagnostic d = onlyError(outcome, "OTA_POLICY_REFUSED");
        assertThat(d.message()).contains("denies registry `docker.io`").contains("node:24");
        assertThat(d.path()).isEqualTo("execution.shared_backends.box.environment");
        assertThat(outcome.ok()).isFalse();
    }

    @Test
    void registryOutsideAllowListIsRefused() {
        fx.policy(POLICY);
        Diagnostic d = onlyError(fx.plan(contract("environment: { image: \"quay.io/x/y:1\", source: vendor }"), null),
                "OTA_POLICY_REFUSED");
        assertThat(d.message()).contains("allows only registries").contains("`quay.io`");
    }

    @Test
    void deniedSourceIsRefused() {
        fx.policy(POLICY);
        Diagnostic d = onlyError(fx.plan(contract("environment: { image_alias: hub-node }"), null), "OTA_POLICY_REFUSED");
        assertThat(d.message()).contains("public_hub");
    }

    @Test
    void literalImageWithoutSourceUnderAllowedSourcesIsRefused() {
        fx.policy(POLICY);
        Diagnostic d = onlyError(fx.plan(contract("environment: { image: \"ghcr.io/acme/raw:1\" }"), null),
                "OTA_POLICY_REFUSED");
        assertThat(d.message()).contains("no source class");
        assertThat(d.fix()).contains("source");
    }

    @Test
    void profileWithoutPolicyRequiresPolicy() {
        PlanOutcome outcome = fx.plan(contract("environment: { profile: jdk21 }"), null);
        Diagnostic d = onlyError(outcome, "OTA_POLICY_REQUIRED");
        assertThat(d.message()).contains("profile: jdk21").contains("org policy");
        assertThat(d.fix()).contains(".ota/org-policy.yaml").contains("OTA_POLICY");
        assertThat(backend(outcome).environment().effectiveImage()).isNull();
        assertThat(outcome.plan().policy()).isNull();
    }

    @Test
    void imageAliasWithoutPolicyRequiresPolicy() {
        onlyError(fx.plan(contract("environment: { image_alias: node-lts }"), null), "OTA_POLICY_REQUIRED");
    }

    @Test
    void unknownProfileListsApprovedOnes() {
        fx.policy(POLICY);
        Diagnostic d = onlyError(fx.plan(contract("environment: { profile: jdk17 }"), null), "OTA_POLICY_PROFILE");
        assertThat(d.fix()).contains("`jdk21`").contains("`fallback`");
    }

    @Test
    void otaPolicyEnvironmentVariablePicksThePolicyFile() throws Exception {
        fx.policy(POLICY_WITHOUT_DEFAULT); // the repo policy, which OTA_POLICY must win over
        Path pack = dir.resolve("packs/team.yaml");
        Files.createDirectories(pack.getParent());
        Files.writeString(pack, POLICY);
        PlanOutcome outcome = fx.plan(contract("environment: {}"), null, Map.of(),
                Map.of("OTA_POLICY", pack.toAbsolutePath().toString()));
        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.plan().policy().source()).isEqualTo("OTA_POLICY");
        assertThat(outcome.plan().policy().path()).isEqualTo(pack.toAbsolutePath().toString());
        assertThat(backend(outcome).environment().effectiveImage()).isEqualTo("ghcr.io/acme/base:1");
        assertThat(backend(outcome).environment().policy()).isEqualTo(pack.toAbsolutePath().toString());
    }

    @Test
    void otaPolicyPointingAtMissingFileIsReported() {
        PlanOutcome outcome = fx.plan(contract(""), null, Map.of(),
                Map.of("OTA_POLICY", dir.resolve("nope.yaml").toAbsolutePath().toString()));
        Diagnostic d = onlyError(outcome, "OTA_FILE_MISSING");
        assertThat(d.location().file()).endsWith("nope.yaml");
    }

    @Test
    void requirementUnionListsRootContextAndTaskRequirements() {
        PlanOutcome outcome = fx.plan(contract(""), null);
        assertThat(outcome.errors()).isEmpty();
        Plan.Requirements reqs = backend(outcome).requirements();
        assertThat(reqs.runtimes()).containsExactly(Map.entry("java", ">=21"), Map.entry("node", ">=24"));
        // container paths do not inherit root tools (contract-surface §5)
        assertThat(reqs.tools()).containsOnlyKeys("maven", "curl");
        assertThat(reqs.toolchains()).containsExactly("java");
        assertThat(backend(outcome).boundTasks()).containsExactly("api");
    }

    @Test
    void nativeRequirementUnionIncludesRootTools() {
        String yaml = """
                version: 1
                project: { name: n }
                runtimes: { java: ">=21" }
                tools: { git: "*" }
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements: { tools: { gradle: "^8" } }
                  shared_backends:
                    local: { scope: local, backend: native, lifecycle: persistent, context: host }
                tasks:
                  api:
                    run: ./gradlew bootRun
                    requirements: { runtimes: { java: "21" } }
                    runtime: { kind: service, backend_binding: local, listeners: { http: { http: 8081 } } }
                """;
        PlanOutcome outcome = fx.plan(yaml, null);
        assertThat(outcome.errors()).isEmpty();
        Plan.SharedBackendPlan b = outcome.plan().sharedBackends().get("local");
        assertThat(b.environment()).isNull();
        assertThat(b.requirements().runtimes()).containsEntry("java", ">=21 21");
        assertThat(b.requirements().tools()).containsOnlyKeys("git", "gradle");
    }
}
