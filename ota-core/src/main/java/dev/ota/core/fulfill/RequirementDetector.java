package dev.ota.core.fulfill;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.policy.OrgPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Finds each runtime and tool of a requirement set on one plane (the host, inside a container, on
 * a remote target), reads its version and judges it against the constraint and, under
 * {@code strict_versions}, the org policy's approved versions. Everything is looked up in one run
 * of {@link #SCRIPT} through the plane's {@link ScriptRunner}: one round trip per plane, which
 * matters over SSH.
 */
public final class RequirementDetector {

    /** Lines of version output kept per requirement (gradle prints its version on line 3). */
    static final int OUTPUT_LINES = 6;

    /** Longest kept output line: evidence, not a log. */
    private static final int LINE_LIMIT = 300;

    public static final Duration DEFAULT_PER_TOOL_TIMEOUT = Duration.ofSeconds(20);

    /** Names passed to {@code command -v}: one word, no option look-alikes (the script word-splits candidate lists). */
    private static final Pattern EXECUTABLE_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._+-]*");

    /**
     * The detection script. Args: lines of output to keep, per-command timeout in seconds, then a
     * triple per requirement: an id, the space-separated executable names to try in order, and the
     * space-separated version arguments (empty: presence only). Prints {@code OTA_DETECT 1},
     * {@code OTA_UNAME <uname -s>}, then per requirement {@code OTA_REQ <id>}, {@code OTA_PATH <path>}
     * or {@code OTA_MISSING}, up to N {@code OTA_OUT <line>} and {@code OTA_END}.
     */
    public static final String SCRIPT = """
            set -f
            n=$1; t=$2; shift 2
            T=""; command -v timeout >/dev/null 2>&1 && T="timeout $t"
            echo "OTA_DETECT 1"
            echo "OTA_UNAME $(uname -s 2>/dev/null || echo unknown)"
            locate() {
              p=$(command -v "$1" 2>/dev/null) || return 1
              [ -n "$p" ] || return 1
              case $p in /*) echo "$p"; return 0;; esac
              o=$IFS; IFS=:
              for d in $PATH; do
                if [ -n "$d" ] && [ -f "$d/$1" ] && [ -x "$d/$1" ]; then IFS=$o; echo "$d/$1"; return 0; fi
              done
              IFS=$o; echo "$p"
            }
            while [ $# -ge 3 ]; do
              id=$1; names=$2; vargs=$3; shift 3
              echo "OTA_REQ $id"
              found=""
              for c in $names; do found=$(locate "$c") && break; found=""; done
              if [ -z "$found" ]; then echo "OTA_MISSING"; echo "OTA_END"; continue; fi
              echo "OTA_PATH $found"
              if [ -n "$vargs" ]; then
                case $found in /*) run=$T;; *) run="";; esac
                $run "$found" $vargs </dev/null 2>&1 | {
                  i=0
                  while [ $i -lt "$n" ] && { IFS= read -r l || [ -n "$l" ]; }; do printf 'OTA_OUT %s\\n' "$l"; l=""; i=$((i+1)); done
                }
              fi
              echo "OTA_END"
            done
            """;

    private final ScriptRunner runner;
    private final String plane;
    private final KnownTools tools;
    private final OrgPolicy policy;
    private final Duration perTool;

    /** @param plane where the runner runs, for messages: {@code on the host}, {@code in container abc}, {@code on ssh:devbox} */
    public RequirementDetector(ScriptRunner runner, String plane) {
        this(runner, plane, KnownTools.defaults(), null, DEFAULT_PER_TOOL_TIMEOUT);
    }

    /** @param policy the governing org policy, or {@code null}; only its {@code strict_versions} and approved versions matter here */
    public RequirementDetector(ScriptRunner runner, String plane, KnownTools tools, OrgPolicy policy, Duration perTool) {
        this.runner = runner;
        this.plane = plane;
        this.tools = tools;
        this.policy = policy;
        this.perTool = perTool;
    }

    /** Detects every requirement in one run of the script on the plane. */
    public DetectionReport detect(List<Wanted> wanted) throws BackendException, InterruptedException {
        List<String> args = args(wanted, tools, perTool);
        Duration timeout = perTool.multipliedBy(Math.max(1, wanted.size())).plusSeconds(30);
        ScriptResult result = runner.run(SCRIPT, timeout, args.toArray(String[]::new));
        Parsed parsed = parse(result, wanted.size(), plane);
        String os = os(parsed.uname());
        List<Detection> out = new ArrayList<>();
        for (int i = 0; i < wanted.size(); i++) {
            Wanted w = wanted.get(i);
            out.add(evaluate(w, tools.lookup(w.name()), parsed.probes().get(i), os, policy, plane));
        }
        return new DetectionReport(plane, os, parsed.uname(), out);
    }

    /** The script's arguments; requirements whose name is not an executable name are sent with no candidates. */
    static List<String> args(List<Wanted> wanted, KnownTools tools, Duration perTool) {
        List<String> args = new ArrayList<>();
        args.add(Integer.toString(OUTPUT_LINES));
        args.add(Long.toString(Math.max(1, perTool.toSeconds())));
        for (int i = 0; i < wanted.size(); i++) {
            KnownTools.Tool tool = tools.lookup(wanted.get(i).name());
            List<String> names = tool.executables().stream().filter(n -> EXECUTABLE_NAME.matcher(n).matches()).toList();
            args.add(Integer.toString(i));
            args.add(String.join(" ", names));
            args.add(String.join(" ", tool.versionArgs()));
        }
        return args;
    }

    /** What the script printed for one requirement. {@code path} is {@code null} when it was not found. */
    record Probe(String path, List<String> output) {}

    record Parsed(String uname, Map<Integer, Probe> probes) {}

    static Parsed parse(ScriptResult result, int expected, String plane) throws BackendException {
        String uname = null;
        boolean header = false;
        Map<Integer, Probe> probes = new HashMap<>();
        Integer current = null;
        String path = null;
        List<String> output = new ArrayList<>();
        for (String line : result.lines()) {
            // Login banners or profile noise may come first on remote planes: start at the header.
            if (!header) {
                header = line.equals("OTA_DETECT 1");
                continue;
            }
            if (line.startsWith("OTA_UNAME ")) {
                uname = line.substring("OTA_UNAME ".length()).trim();
            } else if (line.startsWith("OTA_REQ ")) {
                current = Integer.valueOf(line.substring("OTA_REQ ".length()).trim());
                path = null;
                output = new ArrayList<>();
            } else if (current == null) {
                continue;
            } else if (line.startsWith("OTA_PATH ")) {
                path = line.substring("OTA_PATH ".length());
            } else if (line.startsWith("OTA_OUT ")) {
                String text = line.substring("OTA_OUT ".length());
                output.add(text.length() > LINE_LIMIT ? text.substring(0, LINE_LIMIT) + "…" : text);
            } else if (line.equals("OTA_END")) {
                probes.put(current, new Probe(path, output));
                current = null;
            }
        }
        if (!header || probes.size() < expected) {
            // stdout is only worth quoting when it is not the script's own protocol
            String why = header ? result.stderr().trim() : result.message();
            throw new BackendException("requirement detection did not complete " + plane + " (exit code " + result.exitCode()
                    + (header ? ", " + probes.size() + " of " + expected + " results" : ", no output from the script") + ")"
                    + (why.isEmpty() ? "" : ": " + firstLine(why)));
        }
        return new Parsed(uname == null ? "unknown" : uname, probes);
    }

    /** {@code uname -s} as the OS names requirements use; {@code null} for anything else. */
    static String os(String uname) {
        String u = uname == null ? "" : uname.toLowerCase(java.util.Locale.ROOT);
        if (u.equals("linux")) {
            return "linux";
        }
        if (u.equals("darwin")) {
            return "macos";
        }
        if (u.startsWith("mingw") || u.startsWith("msys") || u.startsWith("cygwin") || u.startsWith("windows")) {
            return "windows";
        }
        return null;
    }

    /** The verdict for one requirement from what the script found. */
    static Detection evaluate(Wanted w, KnownTools.Tool tool, Probe probe, String os, OrgPolicy policy, String plane) {
        Optional<Wanted.Applied> applied = w.on(os);
        String what = w.kind() + " `" + w.name() + "`";
        if (applied.isEmpty()) {
            return new Detection(w.kind(), w.name(), "*", false, null, null, null, Detection.Verdict.NOT_APPLICABLE,
                    what + " is declared only_on " + String.join(", ", w.onlyOn()) + "; not checked " + plane + " (" + os + ")",
                    List.of());
        }
        String constraint = applied.get().constraint();
        boolean required = applied.get().required();
        if (probe.path() == null) {
            String names = tool.executables().size() == 1 ? "`" + tool.executables().get(0) + "` is not"
                    : "none of `" + String.join("`, `", tool.executables()) + "` is";
            boolean lookedUp = tool.executables().stream().anyMatch(n -> EXECUTABLE_NAME.matcher(n).matches());
            String reason = lookedUp ? what + ": " + names + " on PATH " + plane
                    : what + ": `" + w.name() + "` is not an executable name ota can look up";
            return new Detection(w.kind(), w.name(), constraint, required, null, null, null, Detection.Verdict.MISSING,
                    reason, List.of());
        }
        String path = probe.path();
        Optional<String> printed = tool.readsVersion() ? tool.extractVersion(probe.output()) : Optional.empty();
        Optional<Semver> comparable = printed.map(tool.scheme()).flatMap(VersionMatch::coerce);
        List<String> approved = policy != null && policy.strictVersions() ? policy.approvedVersions(w.name(), os) : List.of();
        String installed = printed.orElse(null);
        String shown = comparable.map(Semver::getVersion).orElse(null);

        if (comparable.isEmpty()) {
            if (VersionMatch.isAny(constraint) && approved.isEmpty()) {
                return detection(w, constraint, required, path, installed, null, Detection.Verdict.SATISFIED,
                        w.name() + " found at " + path + " " + plane + " (any version)", probe);
            }
            String why = !tool.readsVersion() ? "ota has no way to ask " + w.name() + " its version"
                    : "its version cannot be read from `" + tool.versionCommand() + "`"
                            + (probe.output().isEmpty() ? " (no output)" : " (first line: \"" + firstNonBlank(probe.output()) + "\")");
            String needs = !VersionMatch.isAny(constraint) ? "`" + constraint + "` needs a known version"
                    : "strict_versions policy approves only " + String.join(", ", approved);
            return detection(w, constraint, required, path, installed, null, Detection.Verdict.VERSION_UNKNOWN,
                    w.name() + " found at " + path + " " + plane + ", but " + why + "; " + needs, probe);
        }
        String version = installed.equals(shown) || tool.scheme().apply(installed).equals(installed)
                ? installed : installed + " (= " + shown + ")";
        if (!VersionMatch.isValid(constraint)) {
            return detection(w, constraint, required, path, installed, shown, Detection.Verdict.VERSION_MISMATCH,
                    what + ": constraint `" + constraint + "` cannot be parsed (found " + version + " at " + path + ")", probe);
        }
        if (!VersionMatch.satisfies(constraint, comparable.get())) {
            return detection(w, constraint, required, path, installed, shown, Detection.Verdict.VERSION_MISMATCH,
                    w.name() + " " + version + " at " + path + " " + plane + " does not satisfy `" + constraint + "`", probe);
        }
        if (!approved.isEmpty()) {
            Optional<String> by = VersionMatch.approvedBy(comparable.get(), approved, tool.scheme());
            if (by.isEmpty()) {
                return detection(w, constraint, required, path, installed, shown, Detection.Verdict.NOT_APPROVED,
                        w.name() + " " + version + " at " + path + " " + plane + " satisfies `" + constraint
                                + "`, but strict_versions in " + policy.displayName() + " approves only "
                                + String.join(", ", approved), probe);
            }
            return detection(w, constraint, required, path, installed, shown, Detection.Verdict.SATISFIED,
                    w.name() + " " + version + " at " + path + " " + plane + " satisfies `" + constraint
                            + "` and is approved by policy (" + by.get() + ")", probe);
        }
        return detection(w, constraint, required, path, installed, shown, Detection.Verdict.SATISFIED,
                w.name() + " " + version + " at " + path + " " + plane + " satisfies `" + constraint + "`", probe);
    }

    private static Detection detection(Wanted w, String constraint, boolean required, String path, String installed,
            String comparable, Detection.Verdict verdict, String reason, Probe probe) {
        return new Detection(w.kind(), w.name(), constraint, required, path, installed, comparable, verdict, reason,
                probe.output());
    }

    private static String firstNonBlank(List<String> lines) {
        return lines.stream().filter(l -> !l.isBlank()).findFirst().orElse("").trim();
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
