package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.fulfill.Detection.Verdict;
import dev.ota.core.model.Requirement;
import dev.ota.core.policy.OrgPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Parsing and verdicts, with the plane replaced by canned script output. */
class RequirementDetectorTest {

    private final List<List<String>> calls = new ArrayList<>();

    /** A plane that answers the detection script with {@code uname} and, per id, a path (null: missing) and output lines. */
    private ScriptRunner plane(String uname, Map<Integer, String[]> blocks) {
        return (script, timeout, args) -> {
            assertThat(script).isEqualTo(RequirementDetector.SCRIPT);
            calls.add(List.of(args));
            StringBuilder out = new StringBuilder("OTA_DETECT 1\nOTA_UNAME " + uname + "\n");
            blocks.forEach((id, block) -> {
                out.append("OTA_REQ ").append(id).append('\n');
                if (block[0] == null) {
                    out.append("OTA_MISSING\n");
                } else {
                    out.append("OTA_PATH ").append(block[0]).append('\n');
                    for (int i = 1; i < block.length; i++) {
                        out.append("OTA_OUT ").append(block[i]).append('\n');
                    }
                }
                out.append("OTA_END\n");
            });
            return new ScriptResult(0, out.toString(), "");
        };
    }

    private static Map<Integer, String[]> blocks(String[]... blocks) {
        Map<Integer, String[]> m = new LinkedHashMap<>();
        for (int i = 0; i < blocks.length; i++) {
            m.put(i, blocks[i]);
        }
        return m;
    }

    private static String[] found(String path, String... output) {
        String[] b = new String[output.length + 1];
        b[0] = path;
        System.arraycopy(output, 0, b, 1, output.length);
        return b;
    }

    private static final String[] MISSING = {null};

    private DetectionReport detect(String uname, Map<Integer, String[]> blocks, OrgPolicy policy, Wanted... wanted)
            throws Exception {
        return new RequirementDetector(plane(uname, blocks), "in container test", KnownTools.defaults(), policy,
                Duration.ofSeconds(20)).detect(List.of(wanted));
    }

    private static OrgPolicy strictPolicy(boolean strict, Map<String, OrgPolicy.Provisioning> provisioning) {
        return new OrgPolicy(Path.of("org-policy.yaml"), ".ota/org-policy.yaml", "repo policy", strict, provisioning,
                OrgPolicy.BackendEnvironmentPolicy.EMPTY);
    }

    private static OrgPolicy.Provisioning approved(String name, List<String> versions, Map<String, OrgPolicy.Provisioning> platforms) {
        return new OrgPolicy.Provisioning(name, "sdkman", null, List.of(), versions, platforms, null);
    }

    @Test
    void sendsEveryRequirementInOneRoundTrip() throws Exception {
        detect("Linux", blocks(MISSING, MISSING, MISSING, MISSING, MISSING), null, Wanted.runtime("java", "21"),
                Wanted.runtime("python", "3"), Wanted.tool("sh", "*"), Wanted.tool("foo bar", "*"), Wanted.tool("jq", "1.6"));
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0)).containsExactly("6", "20",
                "0", "java", "-version",
                "1", "python3 python", "--version",
                "2", "sh", "",
                "3", "", "--version", // not an executable name: nothing to look up
                "4", "jq", "--version");
    }

    @Test
    void verdictsFromWhatThePlanePrinted() throws Exception {
        DetectionReport r = detect("Linux", blocks(
                        found("/opt/jdk/bin/java", "openjdk version \"17.0.12\" 2024-07-16"),
                        found("/opt/jdk/bin/java", "openjdk version \"17.0.12\" 2024-07-16"),
                        MISSING,
                        found("/usr/bin/jq", "jq: error: unknown"),
                        found("/bin/wget", "wget: unrecognized option '--version'"),
                        found("/bin/sh"),
                        MISSING),
                null,
                Wanted.runtime("java", ">=17"), Wanted.runtime("java", "21"), Wanted.tool("maven", "3"),
                Wanted.tool("jq", "1.6"), Wanted.tool("wget", "*"), Wanted.tool("sh", "*"), Wanted.tool("foo bar", "*"));
        List<Detection> d = r.detections();
        assertThat(r.os()).isEqualTo("linux");
        assertThat(d).extracting(Detection::verdict).containsExactly(Verdict.SATISFIED, Verdict.VERSION_MISMATCH,
                Verdict.MISSING, Verdict.VERSION_UNKNOWN, Verdict.SATISFIED, Verdict.SATISFIED, Verdict.MISSING);
        assertThat(d.get(0).installedVersion()).isEqualTo("17.0.12");
        assertThat(d.get(0).executable()).isEqualTo("/opt/jdk/bin/java");
        assertThat(d.get(0).reason()).isEqualTo("java 17.0.12 at /opt/jdk/bin/java in container test satisfies `>=17`");
        assertThat(d.get(1).reason()).isEqualTo("java 17.0.12 at /opt/jdk/bin/java in container test does not satisfy `21`");
        assertThat(d.get(2).reason()).isEqualTo("tool `maven`: `mvn` is not on PATH in container test");
        assertThat(d.get(3).reason()).contains("cannot be read from `jq --version`", "jq: error: unknown", "`1.6` needs a known version");
        assertThat(d.get(4).installedVersion()).isNull();
        assertThat(d.get(4).output()).containsExactly("wget: unrecognized option '--version'");
        assertThat(d.get(6).reason()).contains("is not an executable name");
        assertThat(r.blocking()).extracting(Detection::requirementLabel)
                .containsExactly("runtime java 21", "tool maven 3", "tool jq 1.6", "tool foo bar *");
        assertThat(r.satisfied()).isFalse();
    }

    @Test
    void javaLegacyVersionIsMatchedAsItsMajor() throws Exception {
        DetectionReport r = detect("Linux", blocks(found("/usr/bin/java", "java version \"1.8.0_412\""),
                found("/usr/bin/java", "java version \"1.8.0_412\"")), null, Wanted.runtime("java", "^8"), Wanted.runtime("java", ">=11"));
        assertThat(r.detections()).extracting(Detection::verdict).containsExactly(Verdict.SATISFIED, Verdict.VERSION_MISMATCH);
        assertThat(r.detections().get(0).installedVersion()).isEqualTo("1.8.0_412");
        assertThat(r.detections().get(0).comparableVersion()).isEqualTo("8.0.412");
        assertThat(r.detections().get(1).reason()).contains("java 1.8.0_412 (= 8.0.412)");
    }

    @Test
    void strictVersionsCountsUnapprovedInstalledVersionsAsNotApproved() throws Exception {
        Map<String, OrgPolicy.Provisioning> prov = Map.of(
                "java", approved("java", List.of("21.0.5"), Map.of("macos", approved("java", List.of("21.0.4"), Map.of()))),
                "node", approved("node", List.of("22"), Map.of()));
        String[] java2104 = found("/usr/bin/java", "openjdk version \"21.0.4\"");
        String[] java2105 = found("/usr/bin/java", "openjdk version \"21.0.5\"");
        String[] node = found("/usr/bin/node", "v22.3.0");
        String[] jq = found("/usr/bin/jq", "jq-1.6");
        Wanted[] wanted = {Wanted.runtime("java", "21"), Wanted.runtime("java", "21"), Wanted.runtime("node", "*"),
                Wanted.tool("jq", "*")};

        DetectionReport strict = detect("Linux", blocks(java2104, java2105, node, jq), strictPolicy(true, prov), wanted);
        assertThat(strict.detections()).extracting(Detection::verdict)
                .containsExactly(Verdict.NOT_APPROVED, Verdict.SATISFIED, Verdict.SATISFIED, Verdict.SATISFIED);
        assertThat(strict.detections().get(0).reason())
                .isEqualTo("java 21.0.4 at /usr/bin/java in container test satisfies `21`, but strict_versions in "
                        + ".ota/org-policy.yaml approves only 21.0.5");
        assertThat(strict.detections().get(1).reason()).endsWith("and is approved by policy (21.0.5)");
        assertThat(strict.detections().get(0).missing()).isTrue();

        // the platform entry overrides the root list on its OS
        DetectionReport mac = detect("Darwin", blocks(java2104, java2105, node, jq), strictPolicy(true, prov), wanted);
        assertThat(mac.os()).isEqualTo("macos");
        assertThat(mac.detections()).extracting(Detection::verdict)
                .containsExactly(Verdict.SATISFIED, Verdict.NOT_APPROVED, Verdict.SATISFIED, Verdict.SATISFIED);

        // without strict_versions, approved lists do not judge installed versions
        DetectionReport relaxed = detect("Linux", blocks(java2104, java2105, node, jq), strictPolicy(false, prov), wanted);
        assertThat(relaxed.detections()).extracting(Detection::verdict).containsOnly(Verdict.SATISFIED);
    }

    @Test
    void strictVersionsNeedsAReadableVersionEvenForAnyConstraint() throws Exception {
        OrgPolicy policy = strictPolicy(true, Map.of("wget", approved("wget", List.of("1.21.3"), Map.of())));
        DetectionReport r = detect("Linux", blocks(found("/bin/wget", "wget: unrecognized option '--version'")), policy,
                Wanted.tool("wget", "*"));
        assertThat(r.detections().get(0).verdict()).isEqualTo(Verdict.VERSION_UNKNOWN);
        assertThat(r.detections().get(0).reason()).endsWith("strict_versions policy approves only 1.21.3");
    }

    @Test
    void onlyOnAndPlatformVersionsFollowThePlaneOs() throws Exception {
        Requirement pwsh = new Requirement("tool", "pwsh", ">=7", true, List.of("windows"), null, null, Map.of(), null, null);
        Requirement node = new Requirement("runtime", "node", "22", true, null, null, null, Map.of("macos", "20"), null, null);
        Wanted[] wanted = {new Wanted("tool", "pwsh", List.of(pwsh)), new Wanted("runtime", "node", List.of(node))};
        Map<Integer, String[]> out = blocks(MISSING, found("/usr/bin/node", "v20.11.1"));

        DetectionReport linux = detect("Linux", out, null, wanted);
        assertThat(linux.detections()).extracting(Detection::verdict).containsExactly(Verdict.NOT_APPLICABLE, Verdict.VERSION_MISMATCH);
        assertThat(linux.detections().get(0).reason()).contains("only_on windows", "(linux)");
        assertThat(linux.detections().get(0).missing()).isFalse();

        DetectionReport mac = detect("Darwin", out, null, wanted);
        assertThat(mac.detections()).extracting(Detection::verdict).containsExactly(Verdict.NOT_APPLICABLE, Verdict.SATISFIED);
        assertThat(mac.detections().get(1).constraint()).isEqualTo("20");

        // an OS ota cannot name: nothing is filtered, the base constraint applies
        DetectionReport other = detect("FreeBSD", out, null, wanted);
        assertThat(other.os()).isNull();
        assertThat(other.detections()).extracting(Detection::verdict).containsExactly(Verdict.MISSING, Verdict.VERSION_MISMATCH);
    }

    @Test
    void everyDeclarationOfANameMustHold() throws Exception {
        Requirement root = new Requirement("runtime", "java", ">=17", false, null, null, null, Map.of(), null, null);
        Requirement ctx = new Requirement("runtime", "java", "21", true, null, null, null, Map.of(), null, null);
        Wanted java = new Wanted("runtime", "java", List.of(root, ctx));
        DetectionReport r = detect("Linux", blocks(found("/usr/bin/java", "openjdk version \"17.0.12\"")), null, java);
        Detection d = r.detections().get(0);
        assertThat(d.constraint()).isEqualTo(">=17 21");
        assertThat(d.verdict()).isEqualTo(Verdict.VERSION_MISMATCH);
        assertThat(d.required()).isTrue(); // one required declaration makes it required
    }

    @Test
    void notRequiredMissesAreWarningsNotBlocking() throws Exception {
        Requirement optional = new Requirement("tool", "jq", "*", false, null, null, null, Map.of(), null, null);
        DetectionReport r = detect("Linux", blocks(MISSING), null, new Wanted("tool", "jq", List.of(optional)));
        assertThat(r.blocking()).isEmpty();
        assertThat(r.warnings()).extracting(Detection::name).containsExactly("jq");
        assertThat(r.satisfied()).isTrue();
    }

    @Test
    void noiseBeforeTheHeaderIsIgnored() throws Exception {
        ScriptRunner noisy = (script, timeout, args) -> new ScriptResult(0,
                "Welcome to devbox\nOTA_REQ 0\nOTA_DETECT 1\nOTA_UNAME Linux\nOTA_REQ 0\nOTA_PATH /usr/bin/git\nOTA_OUT git version 2.39.5\nOTA_END\n", "");
        DetectionReport r = new RequirementDetector(noisy, "on ssh:devbox").detect(List.of(Wanted.tool("git", ">=2.30")));
        assertThat(r.detections().get(0).verdict()).isEqualTo(Verdict.SATISFIED);
        assertThat(r.detections().get(0).output()).containsExactly("git version 2.39.5");
    }

    @Test
    void incompleteOutputIsAPlaneFailureNotAMissingRequirement() {
        ScriptRunner cut = (script, timeout, args) -> new ScriptResult(137,
                "OTA_DETECT 1\nOTA_UNAME Linux\nOTA_REQ 0\nOTA_PATH /usr/bin/git\n", "");
        assertThatThrownBy(() -> new RequirementDetector(cut, "in container x").detect(List.of(Wanted.tool("git", "*"))))
                .isInstanceOf(BackendException.class)
                .hasMessage("requirement detection did not complete in container x (exit code 137, 0 of 1 results)");
        ScriptRunner noShell = (script, timeout, args) -> new ScriptResult(127, "", "exec: \"sh\": executable file not found");
        assertThatThrownBy(() -> new RequirementDetector(noShell, "in container x").detect(List.of(Wanted.tool("git", "*"))))
                .isInstanceOf(BackendException.class)
                .hasMessageContaining("no output from the script").hasMessageContaining("executable file not found");
    }

    @Test
    void unameNamesTheOs() {
        assertThat(RequirementDetector.os("Linux")).isEqualTo("linux");
        assertThat(RequirementDetector.os("Darwin")).isEqualTo("macos");
        assertThat(RequirementDetector.os("MINGW64_NT-10.0-19045")).isEqualTo("windows");
        assertThat(RequirementDetector.os("unknown")).isNull();
    }
}
