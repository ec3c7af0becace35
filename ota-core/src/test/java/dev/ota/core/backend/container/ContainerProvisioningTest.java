package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.fulfill.Detection;
import dev.ota.core.fulfill.Detection.Verdict;
import dev.ota.core.fulfill.DetectionReport;
import dev.ota.core.fulfill.PackageVersion;
import dev.ota.core.fulfill.ProvisionOutcome;
import dev.ota.core.fulfill.ProvisionOutcome.ItemResult;
import dev.ota.core.fulfill.ProvisionOutcome.Result;
import dev.ota.core.fulfill.Provisioner;
import dev.ota.core.fulfill.RequirementDetector;
import dev.ota.core.fulfill.Wanted;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.policy.PolicyLoader;
import dev.ota.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provisioning inside a shared container backend, for real: a persistent container from the local
 * Debian test image ({@link DebianTestImage}), apt reaching this machine's mirror, and the
 * provisioner's commands run through {@code docker exec}. Each test gets a fresh container.
 */
class ContainerProvisioningTest {

    private static final String PLANE = "in container workbench";
    private static final String INSTALL = "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --allow-downgrades ";

    @TempDir
    Path repo;

    @TempDir
    Path policyDir;

    private String owner;
    private StateStore state;
    private String container;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startContainer() throws Exception {
        state = StateStore.forRepo(repo);
        owner = state.ownershipId();
        container = start(DebianTestImage.ensure(), "shared_backend:workbench");
    }

    @AfterEach
    void removeContainers() {
        DockerTestSupport.removeContainersOf(owner);
    }

    private String start(String image, String unit) throws Exception {
        ContainerBoundary boundary = new ContainerBoundary(unit, ContainerBoundary.nameFor(owner, unit), owner, image, repo,
                List.of(), 0);
        return new ContainerBackend(DockerTestSupport.engine(), boundary, state, log::add).ensure();
    }

    private static ScriptRunner in(String container) {
        return (script, timeout, args) -> ContainerExec.script(DockerTestSupport.client(), container, script, timeout, args);
    }

    private ScriptResult sh(String script) throws Exception {
        return ContainerExec.script(DockerTestSupport.client(), container, script, Duration.ofMinutes(5));
    }

    private OrgPolicy policy(String yaml) throws Exception {
        Path file = policyDir.resolve("org-policy.yaml");
        Files.writeString(file, yaml);
        Diagnostics diags = new Diagnostics();
        OrgPolicy p = PolicyLoader.load(new PolicyLoader.Located(file, "org-policy.yaml", PolicyLoader.ENV_VAR), diags)
                .orElseThrow();
        assertThat(diags.errors()).isEmpty();
        return p;
    }

    private DetectionReport detect(String container, Wanted... wanted) throws Exception {
        return new RequirementDetector(in(container), PLANE).detect(List.of(wanted));
    }

    private ProvisionOutcome provision(String container, OrgPolicy policy, DetectionReport report) throws Exception {
        return new Provisioner(in(container), PLANE, report.os(), policy).provision(report.blocking());
    }

    private boolean jqInstalled() throws Exception {
        return sh("command -v jq").exitCode() == 0;
    }

    @Test
    void installsAMissingToolThroughAptPinnedToTheNewestApprovedVersion() throws Exception {
        DetectionReport before = detect(container, Wanted.tool("jq", "^1.6"));
        assertThat(before.get("tool", "jq").verdict()).isEqualTo(Verdict.MISSING);

        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.6"] }
                """), before);

        assertThat(out.result()).as(out.message()).isEqualTo(Result.INSTALLED);
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.result()).isEqualTo(ItemResult.INSTALLED);
        assertThat(jq.pinned()).isTrue();
        assertThat(jq.resolvedVersion()).startsWith("1.6-");
        assertThat(out.actions()).containsExactly("command -v apt-get && id -u", "apt-get update",
                "LC_ALL=C apt-cache policy jq", INSTALL + "jq=" + jq.resolvedVersion());
        // the pin is the newest 1.6 the mirror offers
        List<String> offered = sh("apt-cache madison jq | awk '{ print $3 }'").stdout().lines().toList();
        assertThat(offered).isNotEmpty();
        String newest = offered.stream().map(PackageVersion::parse).sorted(PackageVersion.NEWEST_FIRST).findFirst()
                .orElseThrow().full();
        assertThat(jq.resolvedVersion()).isEqualTo(newest);
        assertThat(sh("dpkg-query -W -f='${Version}' jq").stdout()).isEqualTo(jq.resolvedVersion());

        DetectionReport after = detect(container, Wanted.tool("jq", "^1.6"));
        assertThat(after.get("tool", "jq").verdict()).isEqualTo(Verdict.SATISFIED);
        assertThat(after.get("tool", "jq").executable()).isEqualTo("/usr/bin/jq");
        assertThat(after.satisfied()).isTrue();
    }

    @Test
    void withoutAPolicyEntryNothingIsInstalledAndNothingRuns() throws Exception {
        DetectionReport before = detect(container, Wanted.tool("jq", "*"));
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    curl: { source: apt }
                """), before);

        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).isEqualTo("policy has no `provisioning.jq` entry; fulfillment: run never installs"
                + " without one (`fulfillment: run` is intent, not a policy bypass)");
        assertThat(out.actions()).isEmpty();
        assertThat(sh("ls /var/lib/apt/lists").stdout().lines()).allMatch(l -> l.equals("partial") || l.equals("lock"));
        assertThat(detect(container, Wanted.tool("jq", "*")).get("tool", "jq").verdict()).isEqualTo(Verdict.MISSING);
    }

    @Test
    void anUnknownPackageFailsWithTheTailOfAptsOutput() throws Exception {
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, package: ota-no-such-package }
                """), detect(container, Wanted.tool("jq", "*")));

        assertThat(out.result()).isEqualTo(Result.FAILED);
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.pkg()).isEqualTo("ota-no-such-package");
        assertThat(jq.reason()).isEqualTo("`apt` could not install ota-no-such-package " + PLANE + ": `" + INSTALL
                + "ota-no-such-package` exited with code 100");
        assertThat(jq.outputTail()).hasSizeLessThanOrEqualTo(Provisioner.TAIL_LINES)
                .contains("E: Unable to locate package ota-no-such-package");
        assertThat(out.actions()).containsExactly("command -v apt-get && id -u", "apt-get update", INSTALL + "ota-no-such-package");
        assertThat(jqInstalled()).isFalse();
    }

    @Test
    void aConstraintNoApprovedVersionSatisfiesIsRefusedNamingBoth() throws Exception {
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.5"] }
                """), detect(container, Wanted.tool("jq", "^1.6")));

        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).startsWith("no version of jq approved by policy (1.5) satisfies the contract's `^1.6`;"
                + " `apt` offers jq 1.6-").endsWith(", none of them approved");
        assertThat(out.actions()).containsExactly("command -v apt-get && id -u", "apt-get update", "LC_ALL=C apt-cache policy jq");
        assertThat(jqInstalled()).isFalse();
    }

    @Test
    void aSourceOtaMavenCannotInstallFromNeverRuns() throws Exception {
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: mise, approved_versions: ["1.6"] }
                """), detect(container, Wanted.tool("jq", "*")));

        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).startsWith("policy names source `mise` for `jq`; ota-maven cannot install from it");
        assertThat(out.actions()).isEmpty();
        assertThat(jqInstalled()).isFalse();
    }

    @Test
    void writesThePolicysSourcesListVerbatimBeforeUpdating() throws Exception {
        // a harmless source: the image's own main line again (read here, so no mirror is named in the repo)
        String line = sh("grep -m1 '^deb ' /etc/apt/sources.list").stdout().trim();
        assertThat(line).startsWith("deb ");
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq:
                      source: apt
                      approved_versions: ["1.6"]
                      source_config:
                        sources_list: ["%s"]
                """.formatted(line)), detect(container, Wanted.tool("jq", "*")));

        assertThat(out.result()).as(out.message()).isEqualTo(Result.INSTALLED);
        String file = "/etc/apt/sources.list.d/ota-policy-jq.list";
        assertThat(out.actions()).element(1).isEqualTo("printf '%s\\n' '" + line + "' > " + file);
        assertThat(out.actions()).element(2).isEqualTo("apt-get update");
        assertThat(sh("cat " + file).stdout()).isEqualTo(line + "\n");
        assertThat(sh("ls /etc/apt/sources.list.d").stdout()).isEqualTo("ota-policy-jq.list\n");
        assertThat(jqInstalled()).isTrue();
    }

    @Test
    void aPinThatItsSameSourceLibraryCannotFollowFailsWithAptsOutput() throws Exception {
        // pin the oldest jq while apt's candidate for libjq1 is newer: jq's exact Depends cannot be met
        String versions = sh("apt-get update -qq >/dev/null 2>&1; apt-cache madison jq | awk '{ print $3 }';"
                + " echo ---; apt-cache policy libjq1 | awk '/Candidate:/ { print $2 }'").stdout();
        List<String> jqVersions = versions.substring(0, versions.indexOf("---")).lines().toList();
        String libCandidate = versions.substring(versions.indexOf("---") + 3).trim();
        String oldest = jqVersions.stream().map(PackageVersion::parse).sorted(PackageVersion.NEWEST_FIRST.reversed())
                .findFirst().orElseThrow().full();
        assumeTrue(!oldest.equals(libCandidate), "the mirror offers a single jq version (" + jqVersions + ")");

        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["%s"] }
                """.formatted(oldest)), detect(container, Wanted.tool("jq", "^1.6")));

        assertThat(out.result()).isEqualTo(Result.FAILED);
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.resolvedVersion()).isEqualTo(oldest);
        assertThat(jq.reason()).isEqualTo("`apt` could not install jq=" + oldest + " " + PLANE + ": `" + INSTALL + "jq=" + oldest
                + "` exited with code 100");
        assertThat(jq.outputTail()).anyMatch(l -> l.contains("Depends: libjq1 (= " + oldest + ")"));
        assertThat(jqInstalled()).isFalse();
    }

    @Test
    void anUnreachableMirrorFailsWithAptsWarnings() throws Exception {
        DockerTestSupport.client().disconnectFromNetworkCmd().withContainerId(container).withNetworkId("bridge")
                .withForce(true).exec();
        ProvisionOutcome out = provision(container, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.6"] }
                """), detect(container, Wanted.tool("jq", "*")));

        assertThat(out.result()).isEqualTo(Result.FAILED);
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.reason()).startsWith("`apt` offers no version of package `jq` " + PLANE
                + " (`LC_ALL=C apt-cache policy jq` lists none after `apt-get update`); `apt-get update` reported: W: ");
        assertThat(jq.outputTail()).anyMatch(l -> l.startsWith("W: Failed to fetch"));
        assertThat(out.actions()).noneMatch(a -> a.contains("apt-get install"));
    }

    @Test
    void aPlaneWithoutAptGetFailsClearly() throws Exception {
        String busybox = start(DockerTestSupport.IMAGE, "shared_backend:tiny");
        DetectionReport report = detect(busybox, Wanted.tool("jq", "*"));
        ProvisionOutcome out = provision(busybox, policy("""
                policies:
                  provisioning:
                    jq: { source: apt, approved_versions: ["1.6"] }
                """), report);

        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason())
                .isEqualTo("source `apt` needs a Debian-family plane: `apt-get` is not on PATH " + PLANE);
        assertThat(out.actions()).containsExactly("command -v apt-get && id -u");
    }

    @Test
    void aPlaneRunningAsAnotherUserWithoutSudoFailsClearly() throws Exception {
        ScriptRunner nobody = (script, timeout, args) -> {
            List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
                    "sh", "-c", script, "ota"));
            argv.addAll(List.of(args));
            return ContainerExec.collect(DockerTestSupport.client(), container, argv, null, Map.of(), timeout);
        };
        DetectionReport report = detect(container, Wanted.tool("jq", "*"));
        ProvisionOutcome out = new Provisioner(nobody, PLANE, report.os(), policy("""
                policies:
                  provisioning:
                    jq: { source: apt }
                """)).provision(report.blocking());

        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason()).startsWith("`apt-get` needs root: the plane runs as uid 65534 " + PLANE
                + " and `sudo -n` is not available");
        assertThat(out.actions()).containsExactly("command -v apt-get && id -u", "sudo -n true");
        assertThat(jqInstalled()).isFalse();
    }
}
