package dev.ota.core.receipt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.ota.core.model.Contract;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a {@code run}, {@code activate}, {@code deactivate} or {@code clean} believed, did and
 * saw: the reference receipt object (receipts-policy-workspace.md §A.3) with ota-maven additions
 * ({@code schema}, {@code failure_class}, {@code goal}, {@code task}, timings, {@code error},
 * {@code inputs}, {@code findings}, {@code maven}). Immutable; build one with
 * {@link ReceiptBuilder}, write it with {@link ReceiptWriter}. Schema:
 * {@code docs/schemas/receipt.schema.json}.
 *
 * <p>Invariants (checked here): {@code ok} and {@code failure_class} follow from {@code status};
 * {@code exit_code} is 0 exactly when {@code ok}.
 *
 * @param path the contract path as the user named it (reference: cwd-compacted rendering)
 * @param contract the contract path (same as {@code path} for repo receipts)
 * @param contractIdentity null only when the contract could not be read ({@code INVALID CONTRACT})
 * @param backend effective backend of the requested task ({@code native}, {@code container},
 *     {@code remote}); null when there is none (e.g. {@code clean})
 * @param image effective image of the requested task's container (container tasks only)
 * @param target the container the requested task ran in (reference {@code target}: {@code ota-<16 hex>}),
 *     or the resolved remote target of a remote task ({@code root@10.0.0.2:22})
 * @param provider the remote transport of a remote task ({@code ssh}, {@code tsh}, {@code kubectl}, {@code daytona})
 * @param cwd the declared {@code remote.cwd} of a remote task
 * @param backendUnits every container this goal used or removed, and what it did to it
 * @param error the first line of the build failure; null when {@code ok}
 * @param failedTask the task whose body failed ({@code TASK FAILED})
 * @param inputs task inputs as the task saw them, secret ones as {@code ***}
 * @param env env ota added for the requested task, secret values as {@code ***}
 * @param policy reference {@code policy[]}: human lines about the org policy; the first names the
 *     policy file that governed the goal and how it was found ({@code org policy: <path> (workspace
 *     policy)}); empty when no org policy applied
 */
public record Receipt(
        String schema,
        boolean ok,
        ReceiptStatus status,
        @JsonInclude(JsonInclude.Include.ALWAYS) FailureClass failureClass,
        Goal goal,
        String task,
        String path,
        String scope,
        String contract,
        ContractIdentity contractIdentity,
        String backend,
        String context,
        String lifecycle,
        String image,
        String target,
        String provider,
        String cwd,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<BackendUnit> backendUnits,
        Instant startedAt,
        Instant finishedAt,
        long durationMs,
        int exitCode,
        String error,
        String failedTask,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> inputs,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> env,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> policy,
        List<ReceiptStep> steps,
        List<Finding> findings,
        Summary summary,
        List<String> nextSteps,
        Maven maven) {

    /**
     * A container the goal used (ota-maven addition {@code backend_units[]}).
     *
     * @param unit {@code shared_backend:<name>}, {@code context:<name>}
     * @param reuse {@code created}, {@code reused}, {@code recreated}, {@code removed}; null for an
     *     ephemeral container
     */
    public record BackendUnit(
            String unit, String lifecycle, String container, String containerId, String image, String reuse, String reason,
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> published, String provider, String target,
            String cwd) {

        public BackendUnit {
            published = published == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(published));
        }

        /** A container unit. */
        public BackendUnit(String unit, String lifecycle, String container, String containerId, String image, String reuse,
                String reason, Map<String, String> published) {
            this(unit, lifecycle, container, containerId, image, reuse, reason, published, null, null, null);
        }
    }

    public static final String SCHEMA = "ota-maven/receipt@1";
    public static final String SCOPE_REPO = "repo";

    public Receipt {
        schema = schema == null ? SCHEMA : schema;
        scope = scope == null ? SCOPE_REPO : scope;
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(goal, "goal");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contract, "contract");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        backendUnits = backendUnits == null ? List.of() : List.copyOf(backendUnits);
        if (ok != status.ok()) {
            throw new IllegalArgumentException("ok=" + ok + " contradicts status " + status.label());
        }
        if (failureClass != status.failureClass()) {
            throw new IllegalArgumentException("failure class " + failureClass + " contradicts status " + status.label());
        }
        if ((exitCode == 0) != ok) {
            throw new IllegalArgumentException("exit code " + exitCode + " contradicts ok=" + ok);
        }
        inputs = sorted(inputs);
        env = sorted(env);
        policy = policy == null ? List.of() : List.copyOf(policy);
        steps = steps == null ? List.of() : List.copyOf(steps);
        findings = findings == null ? List.of() : List.copyOf(findings);
        nextSteps = nextSteps == null ? List.of() : List.copyOf(nextSteps);
        summary = summary == null ? Summary.of(steps, findings) : summary;
    }

    /** A fresh builder (system UTC clock). */
    public static ReceiptBuilder builder(Goal goal, String task) {
        return ReceiptBuilder.start(goal, task);
    }

    /** The step with this order number (1-based), if any. */
    public ReceiptStep step(int order) {
        return steps.stream().filter(s -> s.order() == order).findFirst().orElse(null);
    }

    static Map<String, String> sorted(Map<String, String> map) {
        return map == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(map));
    }

    /** Reference {@code contract_identity}: version, project and counts of the contract acted on. */
    public record ContractIdentity(int version, ProjectIdentity project, Counts counts) {

        public ContractIdentity {
            Objects.requireNonNull(project, "project");
            Objects.requireNonNull(counts, "counts");
        }

        /** The identity of a loaded contract; null when its version, project name or tasks are missing. */
        public static ContractIdentity of(Contract contract) {
            if (contract == null || contract.version() == null || contract.project() == null
                    || contract.project().name() == null || contract.tasks() == null) {
                return null;
            }
            return new ContractIdentity(contract.version(),
                    new ProjectIdentity(contract.project().name(), contract.project().type()),
                    new Counts(contract.tasks().size()));
        }
    }

    /** @param type the project's declared {@code type}, if any */
    public record ProjectIdentity(String name, String type) {
        public ProjectIdentity {
            Objects.requireNonNull(name, "name");
        }
    }

    public record Counts(int tasks) {}

    /** Reference {@code summary}; {@code step_count} is the number of steps. */
    public record Summary(int errorCount, int warnCount, int infoCount, int stepCount) {

        public static Summary of(List<ReceiptStep> steps, List<Finding> findings) {
            int errors = 0;
            int warnings = 0;
            int infos = 0;
            for (Finding f : findings) {
                switch (f.severity()) {
                    case ERROR -> errors++;
                    case WARNING -> warnings++;
                    case INFO -> infos++;
                }
            }
            return new Summary(errors, warnings, infos, steps.size());
        }
    }

    /**
     * Something worth reporting that is not a step (ota-maven addition; the reference counts them
     * in {@code summary}).
     *
     * @param step the order of the step it concerns, if any
     */
    public record Finding(Level severity, String message, Integer step) {
        public Finding {
            Objects.requireNonNull(severity, "severity");
            Objects.requireNonNull(message, "message");
        }
    }

    public enum Level {
        ERROR,
        WARNING,
        INFO;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * The Maven project and build that wrote the receipt (ota-maven addition).
     *
     * @param session an id of the Maven session (the owner recorded in {@code .ota/state/})
     */
    public record Maven(String groupId, String artifactId, String version, String session) {
        public Maven {
            Objects.requireNonNull(groupId, "groupId");
            Objects.requireNonNull(artifactId, "artifactId");
            Objects.requireNonNull(version, "version");
        }
    }
}
