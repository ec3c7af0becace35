package dev.ota.core.fulfill;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.policy.OrgPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Run-path fulfillment of one backend unit (a shared backend, or a container context with its own
 * {@code fulfillment}): detect the requirement union on the unit's own plane; under {@code none}
 * report what is missing; under {@code run} install it through the policy's approved sources, then
 * detect again. The outcome is the reference's {@code backend_fulfillment} evidence.
 */
public final class UnitFulfillment {

    public static final String SATISFIED = "requirements_satisfied";
    public static final String FULFILLED = "fulfilled";
    public static final String MISSING = "missing_requirements";
    public static final String FAILED = "failed";

    /** Installs what blocking detections lack, as the policy allows. */
    @FunctionalInterface
    public interface Installer {
        InstallResult install(ScriptRunner plane, String planeName, String os, List<Detection> blocking, OrgPolicy policy,
                Consumer<String> log) throws BackendException, InterruptedException;
    }

    /**
     * What an installer did.
     *
     * @param actions every command it ran, verbatim
     * @param problems one line per item it could not install (why, and the fix)
     * @param outputTail the last lines of the failing command's output
     */
    public record InstallResult(List<String> actions, List<String> problems, List<String> outputTail) {
        public InstallResult {
            actions = List.copyOf(actions);
            problems = List.copyOf(problems);
            outputTail = List.copyOf(outputTail);
        }
    }

    /**
     * One unit to fulfil.
     *
     * @param unit {@code shared_backend:<name>} or {@code context:<name>}
     * @param backend {@code native}, {@code container} or {@code remote}
     * @param mode {@code none} or {@code run}
     * @param plane runs the detection and install scripts where the unit's workloads run
     * @param planeName for messages: {@code container ota-…}, {@code ssh root@…}, {@code this machine}
     */
    public record Unit(String unit, String backend, String mode, List<Wanted> wanted, ScriptRunner plane, String planeName) {}

    /**
     * The {@code backend_fulfillment} evidence, plus the message a failure shows.
     *
     * @param missing requirement labels still blocking ({@code tool jq ^1.6 (not found)})
     */
    public record Outcome(
            String unit,
            String backend,
            String mode,
            Map<String, String> declaredRuntimes,
            Map<String, String> declaredTools,
            List<String> missing,
            List<String> actions,
            String result,
            String message,
            List<String> outputTail) {

        public boolean ok() {
            return SATISFIED.equals(result) || FULFILLED.equals(result);
        }
    }

    private final Installer installer;
    private final Consumer<String> log;

    public UnitFulfillment(Installer installer, Consumer<String> log) {
        this.installer = installer;
        this.log = log;
    }

    public Outcome fulfil(Unit unit, OrgPolicy policy) throws InterruptedException {
        Map<String, String> runtimes = new LinkedHashMap<>();
        Map<String, String> tools = new LinkedHashMap<>();
        for (Wanted w : unit.wanted()) {
            String constraint = w.on(null).map(Wanted.Applied::constraint).orElse("*");
            (Wanted.RUNTIME.equals(w.kind()) ? runtimes : tools).put(w.name(), constraint);
        }
        RequirementDetector detector = new RequirementDetector(unit.plane(), unit.planeName(), KnownTools.defaults(), policy,
                RequirementDetector.DEFAULT_PER_TOOL_TIMEOUT);
        DetectionReport first;
        try {
            first = detector.detect(unit.wanted());
        } catch (BackendException e) {
            return outcome(unit, runtimes, tools, List.of(), List.of(), FAILED, "could not check the requirements of "
                    + unit.unit() + " on " + unit.planeName() + ": " + e.getMessage(), List.of());
        }
        List<Detection> blocking = first.blocking();
        first.warnings().forEach(d -> log.accept("optional requirement of " + unit.unit() + ": " + d.reason()));
        if (blocking.isEmpty()) {
            log.accept(unit.unit() + ": requirements satisfied on " + unit.planeName());
            return outcome(unit, runtimes, tools, List.of(), List.of(), SATISFIED, null, List.of());
        }
        List<String> missing = labels(blocking);
        if (!"run".equals(unit.mode())) {
            return outcome(unit, runtimes, tools, missing, List.of(), MISSING, unit.unit() + " on " + unit.planeName()
                    + " is missing " + String.join(", ", missing) + ". Install them there, or set `fulfillment: run` on "
                    + declaration(unit) + " with a `provisioning.<name>` entry in the org policy for each.", List.of());
        }
        log.accept(unit.unit() + ": missing " + String.join(", ", missing) + "; fulfilling through the org policy");
        InstallResult installed;
        try {
            installed = installer.install(unit.plane(), unit.planeName(), first.os(), blocking, policy, log);
        } catch (BackendException e) {
            return outcome(unit, runtimes, tools, missing, List.of(), FAILED, "fulfilling " + unit.unit() + " failed: "
                    + e.getMessage(), List.of());
        }
        if (!installed.problems().isEmpty() && installed.actions().isEmpty()) {
            // nothing was tried: the policy allows no install of it (no entry, or a read-only source)
            return outcome(unit, runtimes, tools, missing, List.of(), MISSING, unit.unit() + " on " + unit.planeName()
                    + " is missing " + String.join(", ", missing) + ", and the org policy allows no install of it: "
                    + String.join("; ", installed.problems()), List.of());
        }
        if (!installed.problems().isEmpty()) {
            return outcome(unit, runtimes, tools, missing, installed.actions(), FAILED, "fulfilling " + unit.unit()
                    + " failed: " + String.join("; ", installed.problems()), installed.outputTail());
        }
        DetectionReport again;
        try {
            again = detector.detect(unit.wanted());
        } catch (BackendException e) {
            return outcome(unit, runtimes, tools, missing, installed.actions(), FAILED, "could not check " + unit.unit()
                    + " again after fulfilling it: " + e.getMessage(), installed.outputTail());
        }
        if (!again.blocking().isEmpty()) {
            List<String> still = labels(again.blocking());
            return outcome(unit, runtimes, tools, still, installed.actions(), FAILED, "after fulfilling " + unit.unit()
                    + ", still missing " + String.join(", ", still) + " (the approved source installed something else?)",
                    installed.outputTail());
        }
        log.accept(unit.unit() + ": fulfilled (" + installed.actions().size() + " command(s))");
        return outcome(unit, runtimes, tools, missing, installed.actions(), FULFILLED, null, List.of());
    }

    private static String declaration(Unit unit) {
        String name = unit.unit().substring(unit.unit().indexOf(':') + 1);
        return unit.unit().startsWith("shared_backend:") ? "`execution.shared_backends." + name + "`"
                : "`execution.contexts." + name + "`";
    }

    private static List<String> labels(List<Detection> detections) {
        List<String> out = new ArrayList<>();
        for (Detection d : detections) {
            out.add(d.requirementLabel() + " (" + d.reason() + ")");
        }
        return out;
    }

    private static Outcome outcome(Unit unit, Map<String, String> runtimes, Map<String, String> tools, List<String> missing,
            List<String> actions, String result, String message, List<String> tail) {
        return new Outcome(unit.unit(), unit.backend(), unit.mode(), Map.copyOf(runtimes), Map.copyOf(tools),
                List.copyOf(missing), List.copyOf(actions), result, message, List.copyOf(tail));
    }
}
