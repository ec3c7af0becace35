package dev.ota.core.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import dev.ota.core.plan.Plan;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract {@code PlanBenchmark} plans must be valid and have the advertised size and mix. */
class ContractGeneratorTest {

    @TempDir
    Path dir;

    @Test
    void generatedContractPlansWithoutErrors() {
        ContractGenerator generator = new ContractGenerator();
        Path contract = generator.writeTo(dir);

        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(contract, "ota.yaml", null, Map.of(), Map.of()));

        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.warnings()).isEmpty();
        assertThat(outcome.ok()).isTrue();
        Plan plan = outcome.plan();
        assertThat(plan.tasks()).hasSize(1000);
        List<Plan.TargetResolution> resolutions = plan.tasks().values().stream()
                .flatMap(t -> t.targetResolutions().stream()).toList();
        assertThat(resolutions).hasSize(300);
        assertThat(resolutions).allSatisfy(r -> {
            assertThat(r.resolved()).as("target %s: %s", r.target(), r.error()).isTrue();
            assertThat(r.source()).isEqualTo("target_binding");
        });
        assertThat(plan.sharedBackends()).hasSize(20);
        assertThat(plan.sharedBackends().values()).allSatisfy(b -> {
            assertThat(b.error()).isNull();
            assertThat(b.boundTasks()).hasSizeGreaterThanOrEqualTo(25);
        });

        // The mix the benchmark is meant to exercise.
        Map<String, Long> backends = plan.sharedBackends().values().stream()
                .collect(Collectors.groupingBy(Plan.SharedBackendPlan::backend, Collectors.counting()));
        assertThat(backends).containsEntry("native", 10L).containsEntry("container", 10L);
        assertThat(plan.sharedBackends().values().stream().filter(b -> b.environment() != null)
                .map(b -> b.environment().resolvedBy()).collect(Collectors.toSet()))
                .contains("context image", "policy default_profile", "policy profile", "policy image alias", "literal image");
        long services = plan.tasks().values().stream().filter(Plan.TaskPlan::service).count();
        assertThat(services).isEqualTo(640);
        assertThat(plan.tasks().values().stream().map(Plan.TaskPlan::backend).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("native", "container");
        Set<String> views = resolutions.stream().filter(r -> r.serviceRef() != null)
                .map(r -> r.serviceRef().addressView()).collect(Collectors.toSet());
        assertThat(views).containsExactlyInAnyOrder("host", "topology", "internal");
        assertThat(resolutions.stream().filter(r -> r.url() != null)).isNotEmpty();
        assertThat(resolutions.stream().map(r -> r.activation().mode()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(ContractGenerator.MODES);
        assertThat(resolutions.stream().filter(r -> r.overrideInput() != null).count()).isEqualTo(75);
        long consumers = plan.tasks().values().stream().filter(t -> !t.targetResolutions().isEmpty()).count();
        assertThat(consumers).isGreaterThan(150);
    }

    @Test
    void generationIsDeterministic() {
        assertThat(new ContractGenerator().contractYaml()).isEqualTo(new ContractGenerator().contractYaml());
    }

    @Test
    void smallerShapesAreValidToo() {
        Path contract = new ContractGenerator(200, 60, 6, 7L).writeTo(dir);

        PlanOutcome outcome = OtaEngine.plan(new PlanRequest(contract, "ota.yaml", null, Map.of(), Map.of()));

        assertThat(outcome.errors()).isEmpty();
        assertThat(outcome.plan().tasks()).hasSize(200);
        assertThat(outcome.plan().sharedBackends()).hasSize(6);
        assertThat(outcome.plan().tasks().values().stream().flatMap(t -> t.targetResolutions().stream()))
                .hasSize(60).allMatch(Plan.TargetResolution::resolved);
    }
}
