package dev.ota.core.backend.container;

import dev.ota.core.model.ContainerSettings;
import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Task;
import dev.ota.core.plan.Plan;
import dev.ota.core.resolve.ResolvedContext;
import dev.ota.core.resolve.TaskShape;
import dev.ota.core.resolve.Topology;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Derives the container a task runs in from the resolved topology and the plan. */
public final class ContainerBoundaries {

    private static final Pattern SIZE = Pattern.compile("(?i)(\\d+(?:\\.\\d+)?)\\s*(b|k|kb|kib|m|mb|mib|g|gb|gib|t|tb|tib)?");

    private final Contract contract;
    private final Topology topology;
    private final Plan plan;
    private final String ownershipId;

    public ContainerBoundaries(Contract contract, Topology topology, Plan plan, String ownershipId) {
        this.contract = contract;
        this.topology = topology;
        this.plan = plan;
        this.ownershipId = ownershipId;
    }

    /** Whether the task runs in a persistent ota container (shared backend or persistent context). */
    public static boolean persistent(TaskShape shape) {
        return shape != null && "container".equals(shape.backend()) && "persistent".equals(shape.lifecycle());
    }

    /** The unit key of a persistent container task: its shared backend, else its context. */
    public static String unit(TaskShape shape) {
        return shape.binding() != null ? "shared_backend:" + shape.binding().name() : "context:" + shape.contextName();
    }

    /**
     * Why ota-maven cannot run {@code shape}'s container as declared, or null when it can: another
     * engine than Docker, Compose attachments and dependency-isolation volumes are not supported yet.
     */
    public static String unsupported(TaskShape shape) {
        ResolvedContext ctx = shape.context();
        if (ctx == null) {
            return null;
        }
        String where = "execution.contexts." + shape.contextName();
        List<String> engines = ctx.container() == null ? List.of("docker") : ctx.container().effectiveEngines();
        if (!engines.contains("docker")) {
            return "the container engines of context `" + shape.contextName() + "` (`container.engines`, declared on the"
                    + " context, a parent or `execution.backends`) list " + engines + "; ota-maven drives the Docker engine only."
                    + " Add `docker` to the list (or remove `engines`) to run `" + shape.task().name() + "` with Docker.";
        }
        List<String> compose = new ArrayList<>();
        for (dev.ota.core.model.Context c : contextChain(ctx)) {
            if (c.composeAttachments() != null) {
                compose.addAll(c.composeAttachments());
            }
        }
        if (!compose.isEmpty()) {
            return where + " declares attachments.compose " + compose + ", which ota-maven does not support yet; the container"
                    + " would not join those networks. Remove the attachment, or run `" + shape.task().name() + "` with the ota CLI.";
        }
        if (ctx.isolatedPaths() != null && !ctx.isolatedPaths().isEmpty()) {
            return where + " declares attachments.isolated_paths " + ctx.isolatedPaths() + ", which ota-maven does not support"
                    + " yet; those paths would be shared with the host. Remove them, or run `" + shape.task().name()
                    + "` with the ota CLI.";
        }
        return null;
    }

    private static List<dev.ota.core.model.Context> contextChain(ResolvedContext ctx) {
        List<dev.ota.core.model.Context> chain = new ArrayList<>();
        if (ctx.declared() != null) {
            chain.add(ctx.declared());
        }
        if (ctx.chain() != null) {
            chain.addAll(ctx.chain());
        }
        return chain;
    }

    /** The persistent container of {@code shape}. */
    public ContainerBoundary of(TaskShape shape) {
        String unit = unit(shape);
        List<TaskShape> members = new ArrayList<>();
        for (TaskShape s : topology.shapes().values()) {
            if (persistent(s) && unit(s).equals(unit)) {
                members.add(s);
            }
        }
        return new ContainerBoundary(unit, ContainerBoundary.nameFor(ownershipId, unit), ownershipId, image(shape),
                contract.directory(), publications(members), memory(shape.context()));
    }

    /** The effective image of a container task: the shared backend's environment, else the context's image. */
    public String image(TaskShape shape) {
        if (shape.binding() != null && plan != null) {
            Plan.SharedBackendPlan backend = plan.sharedBackends().get(shape.binding().name());
            if (backend != null && backend.environment() != null && backend.environment().effectiveImage() != null) {
                return backend.environment().effectiveImage();
            }
        }
        ResolvedContext ctx = shape.context();
        ContainerSettings c = ctx == null ? null : ctx.container();
        return c == null ? null : c.image();
    }

    /** The union of the members' host publications, each container port once. */
    static List<ContainerBoundary.Publication> publications(List<TaskShape> members) {
        Map<Integer, ContainerBoundary.Publication> byPort = new LinkedHashMap<>();
        for (TaskShape s : members) {
            Task t = s.task();
            if (t.runtime() == null) {
                continue;
            }
            for (Listener l : t.runtime().listeners().values()) {
                if (!l.projected() || l.bind() == null || !l.bind().fixed()) {
                    continue;
                }
                int hostPort = l.host().fixed() && l.host().port() != null ? l.host().port() : 0;
                String address = l.host().address() == null ? "127.0.0.1" : l.host().address();
                byPort.putIfAbsent(l.bind().port(), new ContainerBoundary.Publication(t.name() + "." + l.name(),
                        l.bind().port(), address, hostPort));
            }
        }
        return List.copyOf(byPort.values());
    }

    static long memory(ResolvedContext ctx) {
        if (ctx == null || ctx.container() == null) {
            return 0;
        }
        String size = ctx.container().memoryDefault() != null ? ctx.container().memoryDefault() : ctx.container().memoryMinimum();
        return size == null ? 0 : bytes(size);
    }

    /** {@code 512MiB}, {@code 2GiB}, {@code 3g} ... in bytes (k/m/g/t are binary, as Docker reads them). */
    static long bytes(String size) {
        Matcher m = SIZE.matcher(size.trim());
        if (!m.matches()) {
            return 0;
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor = switch (unit.charAt(0)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1L;
        };
        return (long) (value * factor);
    }
}
