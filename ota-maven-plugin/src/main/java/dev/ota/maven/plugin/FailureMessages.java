package dev.ota.maven.plugin;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.plan.Plan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds the message of a failed goal. The first line names the class of failure
 * ({@code INVALID ...}, {@code UNRESOLVED ...}); the lines after it are the rendered diagnostics,
 * each carrying its {@code Fix:}.
 */
public final class FailureMessages {

    /** Code the core gives a target of the requested task that has no effective URL. */
    public static final String TARGET_UNRESOLVED = "OTA_TARGET_UNRESOLVED";

    private FailureMessages() {}

    /** {@code INVALID <file>: N error(s)} followed by one rendered error per line. */
    public static String invalid(String displayName, List<Diagnostic> errors) {
        StringBuilder out = new StringBuilder();
        out.append("INVALID ").append(displayName).append(": ").append(errors.size()).append(" error(s)");
        appendRendered(out, errors);
        return out.toString();
    }

    /**
     * The message for a plan that is not ok.
     *
     * @param displayName how to name the contract
     * @param task the requested task, or null
     * @param plan the plan (may be null)
     * @param errors every error diagnostic of the outcome and the plan, already de-duplicated
     */
    public static String planFailure(String displayName, String task, Plan plan, List<Diagnostic> errors) {
        List<Diagnostic> unresolved = errors.stream().filter(d -> TARGET_UNRESOLVED.equals(d.code())).toList();
        if (errors.isEmpty()) {
            return "FAILED to plan " + displayName + ": the plan is not ok but carries no error;"
                    + " run with -X and report this as an ota-maven bug";
        }
        if (unresolved.size() < errors.size()) {
            return invalid(displayName, errors);
        }
        StringBuilder out = new StringBuilder();
        out.append("UNRESOLVED target(s)");
        if (task != null) {
            out.append(" of task ").append(task);
        }
        out.append(": ").append(String.join(", ", unresolvedTargets(task, plan, unresolved)));
        appendRendered(out, unresolved);
        List<String> overrides = overrideInputs(task, plan);
        if (!overrides.isEmpty()) {
            out.append(System.lineSeparator()).append("Or pass the URL explicitly: ");
            List<String> flags = new ArrayList<>();
            for (String input : overrides) {
                flags.add("-D" + OtaProperties.INPUT_PREFIX + input + "=<url>");
            }
            out.append(String.join(" ", flags));
        }
        return out.toString();
    }

    /** Joins two diagnostic lists, keeping first-seen order and dropping repeats. */
    public static List<Diagnostic> merge(Collection<Diagnostic> first, Collection<Diagnostic> second) {
        Set<Diagnostic> all = new LinkedHashSet<>();
        if (first != null) {
            all.addAll(first);
        }
        if (second != null) {
            all.addAll(second);
        }
        return List.copyOf(all);
    }

    /** Names of unresolved targets: from the plan's resolutions, else from the diagnostics' paths. */
    static List<String> unresolvedTargets(String task, Plan plan, List<Diagnostic> unresolved) {
        Set<String> names = new LinkedHashSet<>();
        Plan.TaskPlan taskPlan = taskPlan(task, plan);
        if (taskPlan != null && taskPlan.targetResolutions() != null) {
            for (Plan.TargetResolution resolution : taskPlan.targetResolutions()) {
                if (!resolution.resolved()) {
                    names.add(resolution.target());
                }
            }
        }
        if (names.isEmpty()) {
            for (Diagnostic d : unresolved) {
                String name = targetFromPath(d.path());
                if (name != null) {
                    names.add(name);
                }
            }
        }
        if (names.isEmpty()) {
            names.add("?");
        }
        return List.copyOf(names);
    }

    /** {@code tasks.sandbox.targets.api.service} → {@code api}; null when the path names no target. */
    static String targetFromPath(String path) {
        if (path == null) {
            return null;
        }
        String marker = ".targets.";
        int at = path.indexOf(marker);
        if (at < 0) {
            return null;
        }
        String rest = path.substring(at + marker.length());
        int dot = rest.indexOf('.');
        String name = dot < 0 ? rest : rest.substring(0, dot);
        return name.isEmpty() ? null : name;
    }

    private static List<String> overrideInputs(String task, Plan plan) {
        Plan.TaskPlan taskPlan = taskPlan(task, plan);
        if (taskPlan == null || taskPlan.targetResolutions() == null) {
            return List.of();
        }
        Set<String> inputs = new LinkedHashSet<>();
        for (Plan.TargetResolution resolution : taskPlan.targetResolutions()) {
            if (!resolution.resolved() && resolution.overrideInput() != null && !resolution.overrideInput().isBlank()) {
                inputs.add(resolution.overrideInput());
            }
        }
        return List.copyOf(inputs);
    }

    private static Plan.TaskPlan taskPlan(String task, Plan plan) {
        if (task == null || plan == null || plan.tasks() == null) {
            return null;
        }
        return plan.tasks().get(task);
    }

    private static void appendRendered(StringBuilder out, List<Diagnostic> diagnostics) {
        for (Diagnostic d : diagnostics) {
            out.append(System.lineSeparator()).append(d.render());
        }
    }
}
