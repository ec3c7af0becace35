package dev.ota.core.fulfill;

import dev.ota.core.model.Requirement;
import dev.ota.core.model.Requirements;
import dev.ota.core.resolve.RequirementUnion;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One runtime or tool to detect, with every declaration of it (the requirement union keeps one per
 * scope). Which declarations apply and which constraint wins depends on the plane's OS
 * ({@code only_on}, {@code platforms.<os>.version}), and that is only known once the detection
 * script ran there, so the declarations are kept and resolved by {@link #on}.
 *
 * @param kind {@code runtime} or {@code tool}
 */
public record Wanted(String kind, String name, List<Requirement> declarations) {

    public static final String RUNTIME = "runtime";
    public static final String TOOL = "tool";

    public Wanted {
        declarations = List.copyOf(declarations);
        if (declarations.isEmpty()) {
            throw new IllegalArgumentException(kind + " `" + name + "` has no declaration");
        }
    }

    /** What applies on one OS: the joined constraint ({@code *} when none is declared) and whether it is required. */
    public record Applied(String constraint, boolean required) {}

    public static Wanted runtime(String name, String constraint) {
        return new Wanted(RUNTIME, name, List.of(declaration(RUNTIME, name, constraint)));
    }

    public static Wanted tool(String name, String constraint) {
        return new Wanted(TOOL, name, List.of(declaration(TOOL, name, constraint)));
    }

    /** Every runtime, then every tool, of a shared backend's requirement union. */
    public static List<Wanted> of(RequirementUnion union) {
        List<Wanted> out = new ArrayList<>();
        for (Map<String, RequirementUnion.Entry> map : List.of(union.runtimes(), union.tools())) {
            for (RequirementUnion.Entry e : map.values()) {
                out.add(new Wanted(e.kind(), e.name(), e.declarations().stream().map(RequirementUnion.Declared::requirement).toList()));
            }
        }
        return out;
    }

    /** Every runtime, then every tool, of one scope (e.g. a context's requirements for direct fulfillment). */
    public static List<Wanted> of(Requirements requirements) {
        List<Wanted> out = new ArrayList<>();
        requirements.runtimes().values().forEach(r -> out.add(new Wanted(RUNTIME, r.name(), List.of(r))));
        requirements.tools().values().forEach(r -> out.add(new Wanted(TOOL, r.name(), List.of(r))));
        return out;
    }

    /**
     * The requirement on a plane running {@code os} ({@code linux}, {@code macos}, {@code windows},
     * or {@code null} when unknown: then nothing is filtered and no platform override applies).
     * Empty when every declaration's {@code only_on} excludes the OS. Several declarations must all
     * hold, so their constraints are joined with a space (an npm-range AND).
     */
    public Optional<Applied> on(String os) {
        Set<String> constraints = new LinkedHashSet<>();
        boolean any = false;
        boolean required = false;
        for (Requirement r : declarations) {
            if (os != null && r.onlyOn() != null && !r.onlyOn().contains(os)) {
                continue;
            }
            any = true;
            required |= r.required();
            String c = os != null && r.platformVersions() != null && r.platformVersions().containsKey(os)
                    ? r.platformVersions().get(os) : r.version();
            if (c != null && !VersionMatch.isAny(c)) {
                constraints.add(c.trim());
            }
        }
        if (!any) {
            return Optional.empty();
        }
        return Optional.of(new Applied(constraints.isEmpty() ? "*" : String.join(" ", constraints), required));
    }

    /** The OS names of {@code only_on} across declarations, for messages. */
    List<String> onlyOn() {
        Set<String> out = new LinkedHashSet<>();
        for (Requirement r : declarations) {
            if (r.onlyOn() != null) {
                out.addAll(r.onlyOn());
            }
        }
        return List.copyOf(out);
    }

    private static Requirement declaration(String kind, String name, String constraint) {
        return new Requirement(kind, name, constraint, true, null, null, null, Map.of(), null, null);
    }
}
