package dev.ota.maven.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Severity;
import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.plan.Plan;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FailureMessagesTest {

    private static final String NL = System.lineSeparator();

    private final Diagnostic unknownKey = error(
            "OTA_UNKNOWN_KEY", 7, 7, "execution.contexts.host.lifecycel", "unknown key `lifecycel`; did you mean `lifecycle`?",
            "rename it to `lifecycle`");
    private final Diagnostic bothServiceAndUrl = error(
            "OTA_TARGET_SHAPE", 20, 9, "tasks.sandbox.targets.api", "must declare exactly one of `service` or `url`",
            "remove `url` or `service`");
    private final Diagnostic unresolved = error(
            FailureMessages.TARGET_UNRESOLVED, 18, 9, "tasks.sandbox.targets.api.service.address_view",
            "`address_view: internal` needs a shared backend binding", "bind both tasks to one shared backend");

    @Test
    void invalidStartsWithTheClassAndCountThenOneErrorPerLine() {
        String message = FailureMessages.invalid("ota.yaml", List.of(unknownKey, bothServiceAndUrl));

        assertThat(message.split(NL))
                .containsExactly(
                        "INVALID ota.yaml: 2 error(s)",
                        "ota.yaml:7:7: error: execution.contexts.host.lifecycel: unknown key `lifecycel`; did you mean"
                                + " `lifecycle`? Fix: rename it to `lifecycle`",
                        "ota.yaml:20:9: error: tasks.sandbox.targets.api: must declare exactly one of `service` or"
                                + " `url` Fix: remove `url` or `service`");
    }

    @Test
    void onlyUnresolvedTargetsGiveUnresolvedWithTargetNamesAndOverrideHint() {
        Plan plan = planWith("sandbox", resolution("api", "base_url", null), resolution("db", null, "tcp://127.0.0.1:5432"));

        String message = FailureMessages.planFailure("ota.yaml", "sandbox", plan, List.of(unresolved));

        String[] lines = message.split(NL);
        assertThat(lines[0]).isEqualTo("UNRESOLVED target(s) of task sandbox: api");
        assertThat(lines[1]).isEqualTo(unresolved.render());
        assertThat(lines[2]).isEqualTo("Or pass the URL explicitly: -Dota.input.base_url=<url>");
    }

    @Test
    void unresolvedTargetNamesFallBackToDiagnosticPaths() {
        String message = FailureMessages.planFailure("ota.yaml", "sandbox", null, List.of(unresolved));

        assertThat(message).startsWith("UNRESOLVED target(s) of task sandbox: api" + NL);
    }

    @Test
    void anyContractErrorMakesThePlanFailureInvalid() {
        String message = FailureMessages.planFailure("ota.yaml", "sandbox", null, List.of(unknownKey, unresolved));

        assertThat(message).startsWith("INVALID ota.yaml: 2 error(s)" + NL);
    }

    @Test
    void planFailureWithoutErrorsStillSaysWhatHappened() {
        assertThat(FailureMessages.planFailure("ota.yaml", null, null, List.of())).startsWith("FAILED to plan ota.yaml");
    }

    @Test
    void mergeKeepsOrderAndDropsRepeats() {
        assertThat(FailureMessages.merge(List.of(unknownKey, unresolved), List.of(unresolved, bothServiceAndUrl)))
                .containsExactly(unknownKey, unresolved, bothServiceAndUrl);
        assertThat(FailureMessages.merge(null, null)).isEmpty();
    }

    @Test
    void targetFromPath() {
        assertThat(FailureMessages.targetFromPath("tasks.sandbox.targets.api.service")).isEqualTo("api");
        assertThat(FailureMessages.targetFromPath("tasks.sandbox.targets.api")).isEqualTo("api");
        assertThat(FailureMessages.targetFromPath("tasks.sandbox.inputs")).isNull();
        assertThat(FailureMessages.targetFromPath(null)).isNull();
    }

    private static Diagnostic error(String code, int line, int column, String path, String message, String fix) {
        return new Diagnostic(Severity.ERROR, code, new SourceLocation("ota.yaml", line, column, path), message, fix);
    }

    private static Plan.TargetResolution resolution(String target, String overrideInput, String effectiveUrl) {
        return new Plan.TargetResolution(
                target, overrideInput, effectiveUrl == null ? null : "target_binding",
                new Plan.ServiceRefView("dev", "http", "internal", null, null), null, effectiveUrl,
                new Plan.Activation("manual", "manual"), "OTA_TARGET_" + target.toUpperCase(), null, null);
    }

    private static Plan planWith(String task, Plan.TargetResolution... resolutions) {
        Plan.TaskPlan taskPlan = new Plan.TaskPlan(
                task, "host", "native", null, null, false, "echo", List.of(), Map.of(), List.of(resolutions), List.of(), null);
        return new Plan(Plan.SCHEMA, false, "ota.yaml", "demo", task, null, List.of(), List.of(),
                Map.of(task, taskPlan), Map.of(), List.of(), List.of());
    }
}
