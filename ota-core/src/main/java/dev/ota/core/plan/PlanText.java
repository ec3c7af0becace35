package dev.ota.core.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders a plan as readable table lines for a build log. */
public final class PlanText {

    private PlanText() {}

    public static List<String> render(Plan plan) {
        List<String> out = new ArrayList<>();
        out.add("OTA PLAN " + plan.contract() + (plan.requestedTask() != null ? " (task " + plan.requestedTask() + ")" : "")
                + " : " + (plan.ok() ? "RESOLVED" : "NOT RESOLVED"));
        if (plan.policy() != null) {
            out.add("org policy: " + plan.policy().path() + " (" + plan.policy().source() + ")");
        }
        if (!plan.tasks().isEmpty()) {
            out.add("");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"TASK", "CONTEXT", "BACKEND", "LIFECYCLE", "BINDING", "KIND"});
            for (Plan.TaskPlan t : plan.tasks().values()) {
                rows.add(new String[] {t.name(), dash(t.context()), dash(t.backend()), dash(t.lifecycle()),
                        dash(t.backendBinding()), t.service() ? "service" : "task"});
            }
            table(rows, out);
        }
        List<String[]> targetRows = new ArrayList<>();
        targetRows.add(new String[] {"TASK", "TARGET", "VIEW", "ACTIVATION", "SOURCE", "EFFECTIVE URL"});
        for (Plan.TaskPlan t : plan.tasks().values()) {
            for (Plan.TargetResolution r : t.targetResolutions()) {
                String view = r.serviceRef() == null ? "url"
                        : (r.serviceRef().repo() != null ? r.serviceRef().repo() + ":" : "")
                                + r.serviceRef().task() + "." + dash(r.serviceRef().listener()) + " @" + r.serviceRef().addressView();
                targetRows.add(new String[] {t.name(), r.target(), view,
                        r.activation().mode() + (r.activation().status().equals(r.activation().mode()) ? ""
                                : " (" + r.activation().status() + ")"),
                        dash(r.source()), r.resolved() ? r.effectiveUrl() : "UNRESOLVED: " + r.error()});
            }
        }
        if (targetRows.size() > 1) {
            out.add("");
            table(targetRows, out);
        }
        if (!plan.sharedBackends().isEmpty()) {
            out.add("");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"SHARED BACKEND", "BACKEND", "LIFECYCLE", "CONTEXT", "FULFILLMENT", "EFFECTIVE IMAGE",
                    "REQUIREMENTS"});
            for (Plan.SharedBackendPlan b : plan.sharedBackends().values()) {
                String image = b.environment() == null ? "-" : dash(b.environment().effectiveImage())
                        + " (" + b.environment().resolvedBy() + ")";
                rows.add(new String[] {b.name(), dash(b.backend()), dash(b.lifecycle()), dash(b.context()), b.fulfillment(),
                        image, requirements(b.requirements())});
            }
            table(rows, out);
            for (Plan.SharedBackendPlan b : plan.sharedBackends().values()) {
                if (b.provisioning() == null || b.provisioning().isEmpty()) {
                    continue;
                }
                out.add("");
                out.add("fulfillment of " + b.name() + " (fulfillment: run, from the org policy):");
                for (Plan.ProvisioningPlan p : b.provisioning()) {
                    out.add("  " + p.name() + ": " + (p.installable() ? p.source() + " package " + p.pkg()
                            + (p.approvedVersions().isEmpty() ? "" : ", approved " + String.join(", ", p.approvedVersions()))
                            : "read-only — " + p.note()));
                }
            }
        }
        if (!plan.containers().isEmpty()) {
            out.add("");
            out.add("containers (created, reused or recreated at run time):");
            for (Plan.ContainerPlan c : plan.containers()) {
                out.add("  " + c.name() + "  " + c.unit() + "  image " + dash(c.image()) + "  tasks " + String.join(", ", c.tasks())
                        + (c.publications().isEmpty() ? "" : "  publishes " + String.join(", ", c.publications())));
            }
        }
        if (!plan.activationSteps().isEmpty()) {
            out.add("");
            out.add("activation steps for " + plan.requestedTask() + ":");
            for (Plan.ActivationStep s : plan.activationSteps()) {
                out.add("  " + s.order() + ". [" + s.mode() + "] " + s.action());
            }
        }
        return out;
    }

    private static String requirements(Plan.Requirements r) {
        List<String> parts = new ArrayList<>();
        for (Map<String, String> map : List.of(r.runtimes(), r.tools())) {
            map.forEach((name, constraint) -> parts.add(name + " " + constraint));
        }
        parts.addAll(r.toolchains());
        return parts.isEmpty() ? "-" : String.join(", ", parts);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static void table(List<String[]> rows, List<String> out) {
        int columns = rows.get(0).length;
        int[] widths = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? row[i] : String.format("%-" + widths[i] + "s  ", row[i]));
            }
            out.add(line.toString().stripTrailing());
        }
    }
}
