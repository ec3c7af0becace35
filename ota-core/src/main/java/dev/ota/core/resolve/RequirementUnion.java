package dev.ota.core.resolve;

import dev.ota.core.model.Requirement;
import dev.ota.core.model.Requirements;
import dev.ota.core.model.SharedBackend;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The requirement union of a shared backend (product decision §2): root, the bound tasks' context
 * and the bound tasks' own requirements. Declarations of one name are kept together so
 * conflicts can be reported with every place that declared them.
 */
public final class RequirementUnion {

    /** Every declaration of one runtime or tool, in contract order. */
    public record Entry(String kind, String name, List<Declared> declarations) {

        /** The constraints joined for display ({@code >=21} or {@code >=21, 21}). */
        public String constraint() {
            Set<String> distinct = new LinkedHashSet<>();
            for (Declared d : declarations) {
                if (d.requirement().version() != null) {
                    distinct.add(d.requirement().version());
                }
            }
            return distinct.isEmpty() ? "*" : String.join(" ", distinct);
        }
    }

    /** One declaration and where it came from ({@code root}, {@code context app}, {@code task dev}). */
    public record Declared(String origin, Requirement requirement) {}

    private final Map<String, Entry> runtimes = new LinkedHashMap<>();
    private final Map<String, Entry> tools = new LinkedHashMap<>();
    private final Set<String> toolchains = new LinkedHashSet<>();

    private RequirementUnion() {}

    public static RequirementUnion of(Topology topology, SharedBackend backend) {
        RequirementUnion union = new RequirementUnion();
        // Non-native paths do not inherit root tools implicitly (digest §5); runtimes still apply.
        Requirements root = topology.contract().rootRequirements();
        boolean nativeBackend = "native".equals(backend.backend());
        union.add("root", root, nativeBackend);
        Set<String> contexts = new LinkedHashSet<>();
        if (backend.context() != null) {
            contexts.add(backend.context());
        }
        List<TaskShape> bound = topology.boundTo(backend.name());
        for (TaskShape shape : bound) {
            if (shape.contextName() != null) {
                contexts.add(shape.contextName());
            }
        }
        for (String name : contexts) {
            ResolvedContext ctx = topology.context(name);
            if (ctx != null) {
                union.add("context " + name, ctx.requirements(), true);
            }
        }
        for (TaskShape shape : bound) {
            union.add("task " + shape.task().name(), shape.task().requirements(), true);
        }
        return union;
    }

    private void add(String origin, Requirements reqs, boolean includeTools) {
        if (reqs == null) {
            return;
        }
        reqs.runtimes().forEach((name, r) -> runtimes.computeIfAbsent(name, n -> new Entry("runtime", n, new ArrayList<>()))
                .declarations().add(new Declared(origin, r)));
        if (includeTools) {
            reqs.tools().forEach((name, r) -> tools.computeIfAbsent(name, n -> new Entry("tool", n, new ArrayList<>()))
                    .declarations().add(new Declared(origin, r)));
        }
        toolchains.addAll(reqs.toolchains());
    }

    public Map<String, Entry> runtimes() {
        return runtimes;
    }

    public Map<String, Entry> tools() {
        return tools;
    }

    public Set<String> toolchains() {
        return toolchains;
    }

    /** Pairs of declarations of one name whose constraints no single version satisfies. */
    public List<Declared[]> conflicts() {
        List<Declared[]> out = new ArrayList<>();
        for (Map<String, Entry> map : List.of(runtimes, tools)) {
            for (Entry entry : map.values()) {
                List<Declared> ds = entry.declarations();
                for (int i = 0; i < ds.size(); i++) {
                    for (int j = i + 1; j < ds.size(); j++) {
                        String a = ds.get(i).requirement().version();
                        String b = ds.get(j).requirement().version();
                        if (a == null || b == null || ds.get(i).requirement() == ds.get(j).requirement()
                                || !VersionConstraints.isValid(a) || !VersionConstraints.isValid(b)) {
                            continue;
                        }
                        if (!VersionConstraints.compatible(a, b)) {
                            out.add(new Declared[] {ds.get(i), ds.get(j)});
                        }
                    }
                }
            }
        }
        return out;
    }
}
