package dev.ota.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.engine.OtaEngine;
import dev.ota.core.engine.PlanOutcome;
import dev.ota.core.engine.PlanRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Writes a contract (and optionally an org policy) into a directory and plans it. */
final class PlanFixture {

    private final Path dir;

    PlanFixture(Path dir) {
        this.dir = dir;
    }

    Path contract(String yaml) {
        try {
            Path file = dir.resolve("ota.yaml");
            Files.createDirectories(dir);
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path policy(String yaml) {
        try {
            Path file = dir.resolve(".ota/org-policy.yaml");
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    PlanOutcome plan(String yaml, String task, Map<String, String> inputs, Map<String, String> env) {
        return OtaEngine.plan(new PlanRequest(contract(yaml), "ota.yaml", task, inputs, env));
    }

    PlanOutcome plan(String yaml, String task, Map<String, String> inputs) {
        return plan(yaml, task, inputs, Map.of());
    }

    PlanOutcome plan(String yaml, String task) {
        return plan(yaml, task, Map.of(), Map.of());
    }

    /** Plans all tasks and insists the contract itself is valid (so failures are the planner's). */
    PlanOutcome planValid(String yaml) {
        PlanOutcome outcome = plan(yaml, null);
        assertThat(outcome.errors()).as("contract should be valid").isEmpty();
        assertThat(outcome.ok()).isTrue();
        return outcome;
    }

    static Plan.TargetResolution resolution(PlanOutcome outcome, String task, String target) {
        Plan.TaskPlan plan = outcome.plan().tasks().get(task);
        assertThat(plan).as("task %s in plan", task).isNotNull();
        return plan.targetResolutions().stream().filter(r -> r.target().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no target " + target + " in " + task));
    }

    static Diagnostic onlyError(PlanOutcome outcome, String code) {
        assertThat(outcome.errors()).as("errors").hasSize(1);
        Diagnostic d = outcome.errors().get(0);
        assertThat(d.code()).isEqualTo(code);
        assertThat(d.fix()).isNotBlank();
        return d;
    }
}
