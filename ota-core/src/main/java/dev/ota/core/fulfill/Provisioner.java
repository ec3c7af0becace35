package dev.ota.core.fulfill;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.backend.remote.ShellQuote;
import dev.ota.core.fulfill.ProvisionOutcome.ItemResult;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.policy.PolicyLoader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.semver4j.Semver;

/**
 * The provisioning step of run-path fulfillment: installs the runtimes and tools detection found
 * missing on one plane, each only through the org policy's {@code provisioning.<name>} entry
 * (source, package, approved versions, {@code source_config.sources_list}). {@code apt}
 * (Debian family) and {@code apk} (Alpine) install; any other source the policy names is shown as
 * read-only and never runs; without an entry nothing is installed.
 *
 * <p>A plan is installed whole or not at all: policy is checked for every item before anything
 * runs, versions are resolved for every item before anything is installed, and one install
 * command per source installs them together. Every command is a shell command line, run on the
 * plane through its {@link ScriptRunner} and recorded verbatim in {@link ProvisionOutcome#actions()}.
 * One {@code Provisioner} is one fulfillment of one plane: the source's index is updated once.
 */
public final class Provisioner {

    /** Lines of a failing command's output kept as evidence. */
    public static final int TAIL_LINES = 20;

    public static final String APT = "apt";
    public static final String APK = "apk";

    /** Where {@code source_config.sources_list} lines are written: {@code ota-policy-<name>.list}. */
    public static final String SOURCES_DIR = "/etc/apt/sources.list.d";

    /** Runs one command line with stderr merged into stdout: the line is what a shell reads, unchanged. */
    static final String WRAPPER = "exec 2>&1 </dev/null; eval \"$1\"";

    /** How long each kind of command may take. */
    public record Timeouts(Duration probe, Duration update, Duration install) {
        public static final Timeouts DEFAULTS =
                new Timeouts(Duration.ofMinutes(1), Duration.ofMinutes(10), Duration.ofMinutes(30));
    }

    /**
     * The policy rule for one name on one OS: {@code provisioning.<name>}, with
     * {@code platforms.<os>} overriding field by field. When the platform entry names another
     * source than the root entry, the root's {@code package} and {@code sources_list} do not carry
     * over (they belong to the other source). Approved versions are
     * {@link OrgPolicy#approvedVersions} (the platform list when given), as detection reads them.
     */
    public record Rule(String name, String source, String pkg, List<String> sourcesList, List<String> approvedVersions) {

        public Rule {
            sourcesList = List.copyOf(sourcesList);
            approvedVersions = List.copyOf(approvedVersions);
        }

        public static Optional<Rule> of(OrgPolicy policy, String name, String os) {
            if (policy == null) {
                return Optional.empty();
            }
            OrgPolicy.Provisioning root = policy.provisioning().get(name);
            if (root == null) {
                return Optional.empty();
            }
            OrgPolicy.Provisioning platform = os == null ? null : root.platforms().get(os);
            String source = root.source();
            String pkg = root.pkg();
            List<String> sources = root.sourcesList();
            if (platform != null) {
                boolean otherSource = platform.source() != null && !platform.source().equals(root.source());
                if (otherSource) {
                    source = platform.source();
                    pkg = platform.pkg();
                    sources = platform.sourcesList();
                } else {
                    pkg = platform.pkg() != null ? platform.pkg() : pkg;
                    sources = !platform.sourcesList().isEmpty() ? platform.sourcesList() : sources;
                }
            }
            return Optional.of(new Rule(name, source, pkg, sources, policy.approvedVersions(name, os)));
        }
    }

    private final ScriptRunner runner;
    private final String plane;
    private final String os;
    private final OrgPolicy policy;
    private final KnownTools tools;
    private final Timeouts timeouts;

    /**
     * @param plane where the runner runs, for messages: {@code in container workbench}
     * @param os the plane's OS as detection named it ({@code linux}; {@code null} when unknown)
     * @param policy the governing org policy, or {@code null} when none applies (then nothing is installable)
     */
    public Provisioner(ScriptRunner runner, String plane, String os, OrgPolicy policy) {
        this(runner, plane, os, policy, KnownTools.defaults(), Timeouts.DEFAULTS);
    }

    public Provisioner(ScriptRunner runner, String plane, String os, OrgPolicy policy, KnownTools tools, Timeouts timeouts) {
        this.runner = runner;
        this.plane = plane;
        this.os = os;
        this.policy = policy;
        this.tools = tools;
        this.timeouts = timeouts;
    }

    /**
     * Installs what {@code blocking} lists (detection's missing, version_mismatch, not_approved and
     * version_unknown items). Never throws for a failing command: that is a {@code failed} outcome.
     */
    public ProvisionOutcome provision(List<Detection> blocking) throws InterruptedException {
        return new Attempt(blocking).run();
    }

    // --- package managers --------------------------------------------------------------------------

    /** What one package manager's versions of a package are. */
    record Offer(String candidate, List<PackageVersion> versions) {}

    private enum Manager {
        APT_GET(APT, "apt-get", "a Debian-family plane", Pattern.compile("[a-z0-9][a-z0-9+.-]+(:[a-z0-9-]+)?")) {
            @Override
            String update(String sudo) {
                return sudo + "apt-get update";
            }

            @Override
            String query(List<String> packages) {
                return "LC_ALL=C apt-cache policy " + String.join(" ", packages);
            }

            @Override
            String install(String sudo, List<String> specs) {
                return (sudo.isEmpty() ? "" : sudo + "env ")
                        // pinned approved versions may be older than what is installed (strict_versions repairs)
                        + "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --allow-downgrades "
                        + String.join(" ", specs);
            }

            @Override
            Map<String, Offer> parse(List<String> lines) {
                Map<String, Offer> out = new LinkedHashMap<>();
                String pkg = null;
                String candidate = null;
                boolean table = false;
                Set<String> versions = new LinkedHashSet<>();
                for (String raw : lines) {
                    String line = raw.stripTrailing();
                    if (line.isEmpty()) {
                        continue;
                    }
                    if (!Character.isWhitespace(line.charAt(0)) && line.endsWith(":")) {
                        put(out, pkg, candidate, versions);
                        pkg = line.substring(0, line.length() - 1);
                        candidate = null;
                        table = false;
                        versions = new LinkedHashSet<>();
                    } else if (pkg != null && line.trim().startsWith("Candidate:")) {
                        String c = line.trim().substring("Candidate:".length()).trim();
                        candidate = c.equals("(none)") || c.isEmpty() ? null : c;
                    } else if (pkg != null && line.trim().equals("Version table:")) {
                        table = true;
                    } else if (table) {
                        Matcher m = APT_VERSION_LINE.matcher(line);
                        if (m.matches()) {
                            versions.add(m.group(1));
                        }
                    }
                }
                put(out, pkg, candidate, versions);
                return out;
            }

            @Override
            Optional<String> installedVersion(String pkg, List<String> output) {
                Pattern setUp = Pattern.compile("Setting up " + Pattern.quote(pkg) + "(?::\\S+)? \\((\\S+)\\).*");
                Pattern newest = Pattern.compile(Pattern.quote(pkg) + "(?::\\S+)? is already the newest version \\((\\S+)\\).*");
                return firstGroup(output, setUp, newest);
            }
        },
        APK_ADD(APK, "apk", "an Alpine plane", Pattern.compile("[A-Za-z0-9][A-Za-z0-9+._-]*")) {
            @Override
            String update(String sudo) {
                return sudo + "apk update";
            }

            @Override
            String query(List<String> packages) {
                return "apk policy " + String.join(" ", packages);
            }

            @Override
            String install(String sudo, List<String> specs) {
                return sudo + "apk add " + String.join(" ", specs);
            }

            @Override
            Map<String, Offer> parse(List<String> lines) {
                Map<String, Offer> out = new LinkedHashMap<>();
                String pkg = null;
                Set<String> versions = new LinkedHashSet<>();
                for (String raw : lines) {
                    String line = raw.stripTrailing();
                    Matcher head = APK_POLICY_HEAD.matcher(line);
                    if (head.matches()) {
                        put(out, pkg, null, versions);
                        pkg = head.group(1);
                        versions = new LinkedHashSet<>();
                        continue;
                    }
                    Matcher v = APK_VERSION_LINE.matcher(line);
                    if (pkg != null && v.matches()) {
                        versions.add(v.group(1));
                    }
                }
                put(out, pkg, null, versions);
                // apk installs the newest version its repositories offer unless told otherwise
                Map<String, Offer> withCandidates = new LinkedHashMap<>();
                out.forEach((p, o) -> withCandidates.put(p,
                        new Offer(o.versions().isEmpty() ? null : o.versions().get(0).full(), o.versions())));
                return withCandidates;
            }

            @Override
            Optional<String> installedVersion(String pkg, List<String> output) {
                return firstGroup(output, Pattern.compile("\\(\\d+/\\d+\\) (?:Installing|Upgrading|Downgrading|Replacing) "
                        + Pattern.quote(pkg) + " \\((?:\\S+ -> )?(\\S+)\\).*"));
            }
        };

        private static final Pattern APT_VERSION_LINE = Pattern.compile("\\s+(?:\\*\\*\\*\\s+)?(\\S+)\\s+-?\\d+");
        private static final Pattern APK_POLICY_HEAD = Pattern.compile("(\\S+) policy:");
        private static final Pattern APK_VERSION_LINE = Pattern.compile("  (\\S+):");

        final String source;
        final String executable;
        final String family;
        final Pattern packageName;

        Manager(String source, String executable, String family, Pattern packageName) {
            this.source = source;
            this.executable = executable;
            this.family = family;
            this.packageName = packageName;
        }

        static Optional<Manager> of(String source) {
            for (Manager m : values()) {
                if (m.source.equals(source)) {
                    return Optional.of(m);
                }
            }
            return Optional.empty();
        }

        String probe() {
            return "command -v " + executable + " && id -u";
        }

        abstract String update(String sudo);

        abstract String query(List<String> packages);

        abstract String install(String sudo, List<String> specs);

        abstract Map<String, Offer> parse(List<String> lines);

        abstract Optional<String> installedVersion(String pkg, List<String> output);

        private static void put(Map<String, Offer> out, String pkg, String candidate, Set<String> versions) {
            if (pkg != null && !versions.isEmpty()) {
                List<PackageVersion> sorted = versions.stream().map(PackageVersion::parse)
                        .sorted(PackageVersion.NEWEST_FIRST).toList();
                out.put(pkg, new Offer(candidate, sorted));
            }
        }

        private static Optional<String> firstGroup(List<String> lines, Pattern... patterns) {
            for (String line : lines) {
                for (Pattern p : patterns) {
                    Matcher m = p.matcher(line.trim());
                    if (m.matches()) {
                        return Optional.of(m.group(1));
                    }
                }
            }
            return Optional.empty();
        }
    }

    /** Every source ota-maven installs from, for messages. */
    static final String INSTALLABLE_SOURCES = "`" + APT + "` and `" + APK + "`";

    // --- one fulfillment ---------------------------------------------------------------------------

    /** One item while the plan runs. */
    private static final class Work {
        final Detection detection;
        Rule rule;
        Manager manager;
        String pkg;
        String pin;
        String resolved;
        final List<String> actions = new ArrayList<>();
        ItemResult result;
        String reason;
        List<String> tail = List.of();

        Work(Detection detection) {
            this.detection = detection;
        }

        String name() {
            return detection.name();
        }

        String spec() {
            return pin == null ? pkg : pkg + "=" + pin;
        }

        void end(ItemResult result, String reason, List<String> tail) {
            this.result = result;
            this.reason = reason;
            this.tail = List.copyOf(tail);
        }

        ProvisionOutcome.Item item() {
            return new ProvisionOutcome.Item(detection.kind(), detection.name(), detection.constraint(),
                    rule == null ? null : rule.source(), pkg, resolved, pin != null, actions, result, reason, tail);
        }
    }

    /** What a command printed and how it ended; {@code error} when the plane could not run it. */
    private record Ran(String command, int exitCode, List<String> lines, String error) {
        boolean ok() {
            return error == null && exitCode == 0;
        }

        List<String> tail() {
            return lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size());
        }

        /** {@code `apt-get update` exited with code 100}, or why it could not run. */
        String failure() {
            return error != null ? "`" + command + "` could not run: " + error : "`" + command + "` exited with code " + exitCode;
        }
    }

    private final class Attempt {
        private final List<Work> works;
        private final List<String> actions = new ArrayList<>();

        Attempt(List<Detection> blocking) {
            this.works = blocking.stream().map(Work::new).toList();
        }

        ProvisionOutcome run() throws InterruptedException {
            for (Work w : works) {
                plan(w);
            }
            if (anyEnded()) {
                return finish();
            }
            Map<Manager, List<Work>> groups = new LinkedHashMap<>();
            for (Work w : works) {
                groups.computeIfAbsent(w.manager, m -> new ArrayList<>()).add(w);
            }
            Map<Manager, String> sudo = new LinkedHashMap<>();
            for (Map.Entry<Manager, List<Work>> g : groups.entrySet()) {
                Optional<String> prefix = preflight(g.getKey(), g.getValue());
                if (prefix.isEmpty()) {
                    return finish();
                }
                sudo.put(g.getKey(), prefix.get());
            }
            Map<Manager, List<String>> updateWarnings = new LinkedHashMap<>();
            for (Map.Entry<Manager, List<Work>> g : groups.entrySet()) {
                Optional<List<String>> warnings = prepare(g.getKey(), sudo.get(g.getKey()), g.getValue());
                if (warnings.isEmpty()) {
                    return finish();
                }
                updateWarnings.put(g.getKey(), warnings.get());
            }
            for (Map.Entry<Manager, List<Work>> g : groups.entrySet()) {
                resolve(g.getKey(), g.getValue(), updateWarnings.get(g.getKey()));
            }
            if (anyEnded()) {
                return finish();
            }
            for (Map.Entry<Manager, List<Work>> g : groups.entrySet()) {
                if (!install(g.getKey(), sudo.get(g.getKey()), g.getValue(), updateWarnings.get(g.getKey()))) {
                    return finish();
                }
            }
            return finish();
        }

        private boolean anyEnded() {
            return works.stream().anyMatch(w -> w.result != null);
        }

        /** Policy alone: is there a rule, an installable source, a valid package name and constraint. */
        private void plan(Work w) {
            String name = w.name();
            Optional<Rule> rule = Rule.of(policy, name, os);
            if (rule.isEmpty()) {
                String why = policy == null
                        ? "no org policy applies (`" + PolicyLoader.REPO_POLICY + "` or `"
                                + PolicyLoader.ENV_VAR + "`), so there is no `provisioning." + name + "` entry"
                        : "policy has no `provisioning." + name + "` entry";
                w.end(ItemResult.NOT_INSTALLABLE, why + "; fulfillment: run never installs without one"
                        + " (`fulfillment: run` is intent, not a policy bypass)", List.of());
                return;
            }
            w.rule = rule.get();
            String source = w.rule.source();
            if (source == null || source.isBlank()) {
                w.end(ItemResult.NOT_INSTALLABLE, "policy entry `provisioning." + name + "` names no source", List.of());
                return;
            }
            Optional<Manager> manager = Manager.of(source);
            if (manager.isEmpty()) {
                w.end(ItemResult.NOT_INSTALLABLE, "policy names source `" + source + "` for `" + name
                        + "`; ota-maven cannot install from it (it installs from " + INSTALLABLE_SOURCES + " only)", List.of());
                return;
            }
            w.manager = manager.get();
            w.pkg = w.rule.pkg() != null && !w.rule.pkg().isBlank() ? w.rule.pkg().trim() : name;
            if (!w.manager.packageName.matcher(w.pkg).matches()) {
                w.end(ItemResult.NOT_INSTALLABLE, "`" + w.pkg + "` is not a valid " + source + " package name"
                        + (w.rule.pkg() == null ? "; name the package in `provisioning." + name + ".package`" : ""), List.of());
                return;
            }
            if (!w.rule.sourcesList().isEmpty() && w.manager != Manager.APT_GET) {
                w.end(ItemResult.NOT_INSTALLABLE, "`provisioning." + name + ".source_config.sources_list` is for source `apt`;"
                        + " ota-maven cannot honour it for `" + source + "`", List.of());
                return;
            }
            for (String line : w.rule.sourcesList()) {
                if (!line.matches("deb(-src)? \\S.*") || line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
                    w.end(ItemResult.NOT_INSTALLABLE, "`provisioning." + name + ".source_config.sources_list` entry \"" + line
                            + "\" is not a one-line `deb …` source", List.of());
                    return;
                }
            }
            if (!VersionMatch.isValid(w.detection.constraint())) {
                w.end(ItemResult.NOT_INSTALLABLE, "the contract's constraint `" + w.detection.constraint() + "` for `" + name
                        + "` cannot be parsed", List.of());
            }
        }

        /** Is the manager there, and may it run: the sudo prefix ({@code ""} as root), or empty when it may not. */
        private Optional<String> preflight(Manager m, List<Work> group) throws InterruptedException {
            Ran probe = exec(m.probe(), timeouts.probe(), group);
            if (probe.error() != null) {
                fail(group, "cannot check for `" + m.executable + "` " + plane + ": " + probe.error(), probe.tail());
                return Optional.empty();
            }
            // remote planes may print a login banner first: look for the path and take the uid from the last line
            List<String> out = probe.lines().stream().map(String::trim).filter(l -> !l.isEmpty()).toList();
            boolean found = out.stream().anyMatch(l -> l.equals(m.executable) || l.endsWith("/" + m.executable));
            if (probe.exitCode() != 0 || !found || !out.get(out.size() - 1).matches("\\d+")) {
                fail(group, "source `" + m.source + "` needs " + m.family + ": `" + m.executable + "` is not on PATH " + plane,
                        probe.tail());
                return Optional.empty();
            }
            String uid = out.get(out.size() - 1);
            if (uid.equals("0")) {
                return Optional.of("");
            }
            Ran sudo = exec("sudo -n true", timeouts.probe(), group);
            if (!sudo.ok()) {
                String said = sudo.lines().stream().map(String::trim).filter(l -> !l.isEmpty()).findFirst().orElse("");
                fail(group, "`" + m.executable + "` needs root: the plane runs as uid " + uid + " " + plane
                        + " and `sudo -n` is not available" + (said.isEmpty() ? "" : " (" + said + ")"), sudo.tail());
                return Optional.empty();
            }
            return Optional.of("sudo -n ");
        }

        /** Writes policy sources and updates the index once; the update's warnings, or empty when it failed. */
        private Optional<List<String>> prepare(Manager m, String sudo, List<Work> group) throws InterruptedException {
            for (Work w : group) {
                if (w.rule.sourcesList().isEmpty()) {
                    continue;
                }
                String file = SOURCES_DIR + "/ota-policy-" + w.name().replaceAll("[^A-Za-z0-9._-]", "_") + ".list";
                String lines = w.rule.sourcesList().stream().map(ShellQuote::quote).collect(Collectors.joining(" "));
                String write = sudo.isEmpty() ? "printf '%s\\n' " + lines + " > " + file
                        : "printf '%s\\n' " + lines + " | " + sudo + "tee " + file + " >/dev/null";
                Ran ran = exec(write, timeouts.probe(), List.of(w));
                if (!ran.ok()) {
                    fail(List.of(w), "cannot write the policy's apt sources for `" + w.name() + "` to " + file + " " + plane
                            + ": " + ran.failure(), ran.tail());
                    return Optional.empty();
                }
            }
            Ran update = exec(m.update(sudo), timeouts.update(), group);
            if (!update.ok()) {
                fail(group, "updating the `" + m.source + "` package index " + plane + " failed: " + update.failure(), update.tail());
                return Optional.empty();
            }
            return Optional.of(update.lines().stream().map(String::trim)
                    .filter(l -> l.startsWith("W:") || l.startsWith("E:") || l.startsWith("WARNING:") || l.startsWith("ERROR:"))
                    .toList());
        }

        /** Picks the version of every item that needs one (approved versions or a constraint), without installing. */
        private void resolve(Manager m, List<Work> group, List<String> warnings) throws InterruptedException {
            List<Work> needing = group.stream()
                    .filter(w -> !w.rule.approvedVersions().isEmpty() || !VersionMatch.isAny(w.detection.constraint())).toList();
            if (needing.isEmpty()) {
                return;
            }
            Ran query = exec(m.query(needing.stream().map(w -> w.pkg).distinct().toList()), timeouts.probe(), needing);
            if (!query.ok()) {
                fail(needing, "cannot list the versions `" + m.source + "` offers " + plane + ": " + query.failure()
                        + warned(m, warnings), withWarnings(warnings, query.tail()));
                return;
            }
            Map<String, Offer> offers = m.parse(query.lines());
            for (Work w : needing) {
                pick(m, w, offers.get(w.pkg), warnings, query);
            }
        }

        private void pick(Manager m, Work w, Offer offer, List<String> warnings, Ran query) {
            String name = w.name();
            String constraint = w.detection.constraint();
            List<String> approved = w.rule.approvedVersions();
            if (offer == null || offer.versions().isEmpty()) {
                w.end(ItemResult.FAILED, "`" + m.source + "` offers no version of package `" + w.pkg + "` " + plane
                        + " (`" + query.command() + "` lists none after `" + m.update("").trim() + "`)" + warned(m, warnings),
                        withWarnings(warnings, query.tail()));
                return;
            }
            UnaryOperator<String> scheme = tools.lookup(name).scheme();
            List<PackageVersion> fits = offer.versions().stream()
                    .filter(v -> satisfies(constraint, v, scheme))
                    .filter(v -> approved.isEmpty() || approved.stream().anyMatch(a -> v.approvedBy(a, scheme)))
                    .toList();
            String offered = offer.versions().stream().map(PackageVersion::full).collect(Collectors.joining(", "));
            if (fits.isEmpty()) {
                String why;
                if (approved.isEmpty()) {
                    why = "`" + m.source + "` offers no version of " + name + " that satisfies the contract's `" + constraint
                            + "` (package `" + w.pkg + "`: " + offered + ")";
                } else {
                    List<String> approvedOffered = offer.versions().stream()
                            .filter(v -> approved.stream().anyMatch(a -> v.approvedBy(a, scheme))).map(PackageVersion::full).toList();
                    String list = String.join(", ", approved);
                    why = (VersionMatch.isAny(constraint)
                            ? "no version of " + name + " approved by policy (" + list + ") is offered by `" + m.source + "`"
                            : "no version of " + name + " approved by policy (" + list + ") satisfies the contract's `" + constraint + "`")
                            + "; `" + m.source + "` offers " + w.pkg + " " + offered
                            + (approvedOffered.isEmpty() ? ", none of them approved"
                                    : ", of which " + String.join(", ", approvedOffered) + " approved but outside `" + constraint + "`");
                }
                w.end(ItemResult.NOT_INSTALLABLE, why, List.of());
                return;
            }
            Optional<PackageVersion> candidate = fits.stream().filter(v -> v.full().equals(offer.candidate())).findFirst();
            if (approved.isEmpty() && candidate.isPresent()) {
                // the source's own choice (its pin priorities) fits the contract: install it unpinned
                w.resolved = candidate.get().full();
            } else {
                w.pin = fits.get(0).full();
                w.resolved = w.pin;
            }
        }

        private boolean satisfies(String constraint, PackageVersion v, UnaryOperator<String> scheme) {
            if (VersionMatch.isAny(constraint)) {
                return true;
            }
            Optional<Semver> c = v.comparable(scheme);
            return c.isPresent() && VersionMatch.satisfies(constraint, c.get());
        }

        private boolean install(Manager m, String sudo, List<Work> group, List<String> warnings) throws InterruptedException {
            List<String> specs = group.stream().map(Work::spec).distinct().toList();
            Ran ran = exec(m.install(sudo, specs), timeouts.install(), group);
            if (!ran.ok()) {
                String what = String.join(", ", specs);
                fail(group, "`" + m.source + "` could not install " + what + " " + plane + ": " + ran.failure() + warned(m, warnings),
                        withWarnings(warnings, ran.tail()));
                return false;
            }
            for (Work w : group) {
                if (w.pin == null) {
                    m.installedVersion(w.pkg, ran.lines()).ifPresent(v -> w.resolved = v);
                }
                w.end(ItemResult.INSTALLED, "installed " + w.spec() + " from `" + m.source + "` " + plane, List.of());
            }
            return true;
        }

        private String warned(Manager m, List<String> warnings) {
            if (warnings == null || warnings.isEmpty()) {
                return "";
            }
            return "; `" + m.update("").trim() + "` reported: " + warnings.get(0)
                    + (warnings.size() > 1 ? " (and " + (warnings.size() - 1) + " more)" : "");
        }

        private List<String> withWarnings(List<String> warnings, List<String> tail) {
            if (warnings == null || warnings.isEmpty()) {
                return tail;
            }
            List<String> out = new ArrayList<>(warnings.subList(0, Math.min(5, warnings.size())));
            out.addAll(tail);
            return out;
        }

        private void fail(List<Work> group, String reason, List<String> tail) {
            for (Work w : group) {
                w.end(ItemResult.FAILED, reason, tail);
            }
        }

        private Ran exec(String command, Duration timeout, List<Work> concerned) throws InterruptedException {
            actions.add(command);
            for (Work w : concerned) {
                w.actions.add(command);
            }
            try {
                ScriptResult r = runner.run(WRAPPER, timeout, command);
                List<String> lines = new ArrayList<>(r.lines());
                if (!r.stderr().isBlank()) {
                    lines.addAll(List.of(r.stderr().split("\\R")));
                }
                return new Ran(command, r.exitCode(), lines.stream().map(l -> l.replace("\r", "")).toList(), null);
            } catch (BackendException e) {
                return new Ran(command, -1, List.of(), e.getMessage());
            }
        }

        private ProvisionOutcome finish() {
            List<Work> problems = works.stream()
                    .filter(w -> w.result == ItemResult.FAILED || w.result == ItemResult.NOT_INSTALLABLE).toList();
            if (!problems.isEmpty()) {
                String cause = problems.stream().map(w -> "`" + w.name() + "`").collect(Collectors.joining(", "));
                for (Work w : works) {
                    if (w.result == null) {
                        w.end(ItemResult.SKIPPED, "not attempted: " + cause + " cannot be installed, and a fulfillment"
                                + " installs all it needs or nothing", List.of());
                    }
                }
            }
            ProvisionOutcome.Result overall = works.stream().anyMatch(w -> w.result == ItemResult.FAILED)
                    ? ProvisionOutcome.Result.FAILED
                    : works.stream().anyMatch(w -> w.result == ItemResult.NOT_INSTALLABLE)
                            ? ProvisionOutcome.Result.NOT_INSTALLABLE : ProvisionOutcome.Result.INSTALLED;
            return new ProvisionOutcome(plane, overall, works.stream().map(Work::item).toList(), actions);
        }
    }
}
