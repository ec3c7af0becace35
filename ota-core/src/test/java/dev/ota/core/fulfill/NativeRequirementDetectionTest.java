package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.backend.BackendException;
import dev.ota.core.fulfill.Detection.Verdict;
import dev.ota.core.policy.OrgPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Detection on the host through {@link NativeScriptRunner}: the real JDK, plain sh tools and fake tools on PATH. */
class NativeRequirementDetectionTest {

    @TempDir
    Path bin;

    private NativeScriptRunner host;

    @BeforeEach
    void fakeToolsFirstOnPath() throws IOException {
        tool("fakever", "echo \"fakever 2.4.1 (built today)\"");
        tool("fakenover", "echo 'usage: fakenover [-q] FILE'; exit 2");
        tool("fakehang", "sleep 30; echo 'fakehang 9.9.9'");
        tool("fakeflood", "while :; do echo flood; done");
        tool("fakebroken", "exit 3");
        // The running JDK's java first, so its version is known to the test.
        Path javaBin = Path.of(System.getProperty("java.home"), "bin");
        host = new NativeScriptRunner(Map.of("PATH", bin + ":" + javaBin + ":" + System.getenv("PATH")), null);
    }

    private void tool(String name, String body) throws IOException {
        Path f = bin.resolve(name);
        Files.writeString(f, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private DetectionReport detect(OrgPolicy policy, Wanted... wanted) throws Exception {
        return new RequirementDetector(host, "on the host", KnownTools.defaults(), policy, Duration.ofSeconds(3))
                .detect(List.of(wanted));
    }

    @Test
    void theRunningJdkSatisfiesItsOwnMajorAndNothingBelow() throws Exception {
        int major = Runtime.version().feature();
        DetectionReport r = detect(null, Wanted.runtime("java", ">=17"), Wanted.runtime("java", "<17"),
                Wanted.runtime("java", Integer.toString(major)), Wanted.runtime("java", ">" + major));
        assertThat(r.os()).isIn("linux", "macos");
        assertThat(r.detections()).extracting(Detection::verdict)
                .containsExactly(Verdict.SATISFIED, Verdict.VERSION_MISMATCH, Verdict.SATISFIED, Verdict.VERSION_MISMATCH);
        Detection java = r.detections().get(0);
        assertThat(Path.of(java.executable())).isEqualTo(Path.of(System.getProperty("java.home"), "bin", "java"));
        assertThat(java.comparableVersion()).startsWith(major + ".");
        assertThat(java.installedVersion()).startsWith(Integer.toString(major));
        assertThat(java.output()).anyMatch(l -> l.contains("version \""));
    }

    @Test
    void toolsEveryShHasArePresent() throws Exception {
        DetectionReport r = detect(null, Wanted.tool("sh", "*"), Wanted.tool("cat", "*"), Wanted.tool("ls", "*"));
        assertThat(r.detections()).extracting(Detection::verdict).containsOnly(Verdict.SATISFIED);
        assertThat(r.detections()).extracting(Detection::executable).allMatch(p -> p.startsWith("/"));
        assertThat(r.get("tool", "sh").output()).isEmpty(); // presence only: no version command run
    }

    @Test
    void aToolThatIsNotInstalledIsMissing() throws Exception {
        Detection d = detect(null, Wanted.tool("definitely-not-installed-xyz", "*")).detections().get(0);
        assertThat(d.verdict()).isEqualTo(Verdict.MISSING);
        assertThat(d.executable()).isNull();
        assertThat(d.reason()).isEqualTo("tool `definitely-not-installed-xyz`: `definitely-not-installed-xyz` is not on PATH on the host");
    }

    @Test
    void aFakeToolsVersionDecidesTheVerdict() throws Exception {
        DetectionReport r = detect(null, Wanted.tool("fakever", "^2"), Wanted.tool("fakever", "~2.3"),
                Wanted.tool("fakever", "2.4.1"), Wanted.tool("fakever", ">=3"), Wanted.tool("fakever", "*"));
        assertThat(r.detections()).extracting(Detection::verdict).containsExactly(Verdict.SATISFIED,
                Verdict.VERSION_MISMATCH, Verdict.SATISFIED, Verdict.VERSION_MISMATCH, Verdict.SATISFIED);
        Detection d = r.detections().get(3);
        assertThat(d.executable()).isEqualTo(bin.resolve("fakever").toString());
        assertThat(d.installedVersion()).isEqualTo("2.4.1");
        assertThat(d.reason()).isEqualTo("fakever 2.4.1 at " + bin.resolve("fakever") + " on the host does not satisfy `>=3`");
    }

    @Test
    void unreadableVersionsMatterOnlyWhenAVersionIsAskedFor() throws Exception {
        DetectionReport r = detect(null, Wanted.tool("fakenover", "*"), Wanted.tool("fakenover", ">=1"),
                Wanted.tool("fakebroken", "1.0"));
        assertThat(r.detections()).extracting(Detection::verdict)
                .containsExactly(Verdict.SATISFIED, Verdict.VERSION_UNKNOWN, Verdict.VERSION_UNKNOWN);
        assertThat(r.detections().get(1).reason()).contains("usage: fakenover [-q] FILE");
        assertThat(r.detections().get(2).reason()).contains("(no output)");
    }

    @Test
    void aHangingOrFloodingVersionCommandIsBoundedAndTheRestStillDetected() throws Exception {
        DetectionReport r = detect(null, Wanted.tool("fakehang", ">=1"), Wanted.tool("fakeflood", "*"),
                Wanted.tool("fakever", "^2"));
        assertThat(r.detections()).extracting(Detection::verdict)
                .containsExactly(Verdict.VERSION_UNKNOWN, Verdict.SATISFIED, Verdict.SATISFIED);
        assertThat(r.get("tool", "fakeflood").output()).hasSize(RequirementDetector.OUTPUT_LINES).containsOnly("flood");
    }

    @Test
    void strictVersionsRejectsAnUnapprovedInstalledVersion() throws Exception {
        OrgPolicy policy = new OrgPolicy(Path.of("org-policy.yaml"), ".ota/org-policy.yaml", "repo policy", true,
                Map.of("fakever", new OrgPolicy.Provisioning("fakever", "apt", null, List.of(), List.of("2.4.0", "2.5"), Map.of(), null)),
                OrgPolicy.BackendEnvironmentPolicy.EMPTY);
        Detection d = detect(policy, Wanted.tool("fakever", "^2")).detections().get(0);
        assertThat(d.verdict()).isEqualTo(Verdict.NOT_APPROVED);
        assertThat(d.missing()).isTrue();
        assertThat(d.reason()).endsWith("approves only 2.4.0, 2.5");
    }

    @Test
    void theHostRunnerIsBoundedByItsTimeout() {
        assertThatThrownBy(() -> host.run("sleep 30", Duration.ofSeconds(1)))
                .isInstanceOf(BackendException.class).hasMessageContaining("did not finish within 1 s");
    }

    @Test
    void theHostRunnerPassesArgumentsVerbatim() throws Exception {
        var r = host.run("printf '%s|' \"$@\"; echo \"$0\" >&2; exit 4", Duration.ofSeconds(10), "a b", "", "$HOME", "'q'");
        assertThat(r.exitCode()).isEqualTo(4);
        assertThat(r.stdout()).isEqualTo("a b||$HOME|'q'|");
        assertThat(r.stderr().trim()).isEqualTo("ota");
    }
}
