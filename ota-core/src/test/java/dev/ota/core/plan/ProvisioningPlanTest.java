package dev.ota.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.engine.PlanOutcome;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plan says how `fulfillment: run` would provide each requirement, before anything runs. */
class ProvisioningPlanTest {

    @TempDir
    Path dir;

    @Test
    void approvedSourcesAreInstallableOtherSourcesReadOnlyAndMissingEntriesSaySo() {
        PlanFixture fx = new PlanFixture(dir);
        fx.policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.6"] }
                    java: { source: mise, approved_versions: ["21"] }
                """);
        PlanOutcome outcome = fx.planValid("""
                version: 1
                project: { name: prov }
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements:
                        runtimes: { java: ">=21" }
                        tools: { jq: "^1.6", yq: "*" }
                  shared_backends:
                    stack: { scope: local, backend: native, lifecycle: persistent, context: host, fulfillment: run }
                tasks:
                  api:
                    run: ./api
                    runtime:
                      kind: service
                      backend_binding: stack
                      listeners:
                        http: { protocol: http, bind: { address: 127.0.0.1, port: { mode: fixed, value: 8080 } } }
                """);
        List<Plan.ProvisioningPlan> p = outcome.plan().sharedBackends().get("stack").provisioning();
        assertThat(p).extracting(Plan.ProvisioningPlan::name).containsExactly("java", "jq", "yq");
        assertThat(p.get(0).installable()).isFalse();
        assertThat(p.get(0).note()).isEqualTo("policy names source `mise`; ota-maven cannot install from it");
        assertThat(p.get(1)).isEqualTo(new Plan.ProvisioningPlan("jq", "apt", "jq", List.of("1.6"), true, null));
        assertThat(p.get(2).note()).contains("no `provisioning.yq` entry").contains("not a policy bypass");
        assertThat(String.join("\n", PlanText.render(outcome.plan())))
                .contains("java: read-only — policy names source `mise`; ota-maven cannot install from it")
                .contains("jq: apt package jq, approved 1.6");
    }

    @Test
    void aConstraintNoApprovedVersionSatisfiesIsAPolicyErrorNamingBoth() {
        PlanFixture fx = new PlanFixture(dir);
        fx.policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.5"] }
                """);
        PlanOutcome outcome = fx.plan("""
                version: 1
                project: { name: prov }
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements:
                        tools: { jq: "^1.6" }
                  shared_backends:
                    stack: { scope: local, backend: native, lifecycle: persistent, context: host, fulfillment: run }
                tasks:
                  api:
                    run: ./api
                    runtime:
                      kind: service
                      backend_binding: stack
                      listeners:
                        http: { protocol: http, bind: { address: 127.0.0.1, port: { mode: fixed, value: 8080 } } }
                """, null);
        assertThat(outcome.ok()).isFalse();
        assertThat(PlanFixture.onlyError(outcome, "OTA_POLICY_VERSION").message())
                .contains("no version of `jq` approved by org policy").contains("(1.5)").contains("`^1.6`")
                .contains("execution.shared_backends.stack");
    }
}
