package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.fulfill.Detection.Verdict;
import dev.ota.core.fulfill.ProvisionOutcome.ItemResult;
import dev.ota.core.fulfill.ProvisionOutcome.Result;
import dev.ota.core.policy.OrgPolicy;
import dev.ota.core.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plans, commands and messages of the provisioner, with the plane replaced by canned command output. */
class ProvisionerTest {

    @TempDir
    Path repo;

    private static final String PROBE = "command -v apt-get && id -u";
    private static final String INSTALL = "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --allow-downgrades ";

    private static final String JQ_CURL_POLICY = """
            jq:
              Installed: (none)
              Candidate: 1.6-2.1+deb12u3
              Version table:
                 1.6-2.1+deb12u3 500
                    500 http://packages.invalid/debian-security bookworm-security/main amd64 Packages
                 1.6-2.1+deb12u2 500
                    500 http://packages.invalid/debian bookworm/main amd64 Packages
            curl:
              Installed: 7.88.1-10+deb12u5
              Candidate: 7.88.1-10+deb12u15
              Version table:
                 7.88.1-10+deb12u15 500
                    500 http://packages.invalid/debian bookworm/main amd64 Packages
             *** 7.88.1-10+deb12u5 500
                    500 http://packages.invalid/debian-security bookworm-security/main amd64 Packages
                    100 /var/lib/dpkg/status
            """;

    /** Commands the fake plane saw, in order. */
    private final List<String> ran = new ArrayList<>();
    /** Command prefix → what the plane answers (exit code, combined output). */
    private final Map<String, ScriptResult> answers = new LinkedHashMap<>();

    private final ScriptRunner plane = (script, timeout, args) -> {
        assertThat(script).isEqualTo(Provisioner.WRAPPER);
        assertThat(args).hasSize(1);
        ran.add(args[0]);
        for (Map.Entry<String, ScriptResult> e : answers.entrySet()) {
            if (args[0].startsWith(e.getKey())) {
                return e.getValue();
            }
        }
        throw new AssertionError("unexpected command: " + args[0]);
    };

    private void answer(String prefix, int exit, String output) {
        answers.put(prefix, new ScriptResult(exit, output, ""));
    }

    private void aptAsRoot() {
        answer(PROBE, 0, "/usr/bin/apt-get\n0\n");
        answer("apt-get update", 0, "Hit:1 http://packages.invalid/debian bookworm InRelease\nReading package lists...\n");
        answer("LC_ALL=C apt-cache policy", 0, JQ_CURL_POLICY);
        answer(INSTALL, 0, "Reading package lists...\nSetting up libjq1:amd64 (1.6-2.1+deb12u3) ...\n"
                + "Setting up jq (1.6-2.1+deb12u3) ...\nSetting up curl (7.88.1-10+deb12u15) ...\n");
    }

    private OrgPolicy policy(String provisioning) throws Exception {
        Files.createDirectories(repo.resolve(".ota"));
        Files.writeString(repo.resolve(PolicyLoader.REPO_POLICY), "policies:\n  provisioning:\n"
                + provisioning.stripIndent().lines().map(l -> "    " + l + "\n").reduce("", String::concat));
        Diagnostics diags = new Diagnostics();
        OrgPolicy p = PolicyLoader.discover(repo, Map.of(), diags).orElseThrow();
        assertThat(diags.errors()).isEmpty();
        return p;
    }

    private static Detection missing(String name, String constraint) {
        return new Detection("tool", name, constraint, true, null, null, null, Verdict.MISSING,
                "tool `" + name + "`: `" + name + "` is not on PATH in container workbench", List.of());
    }

    private ProvisionOutcome provision(OrgPolicy policy, Detection... items) throws Exception {
        return new Provisioner(plane, "in container workbench", "linux", policy).provision(List.of(items));
    }

    @Test
    void pinsTheNewestOfferedVersionThatPolicyApprovesAndTheContractAccepts() throws Exception {
        aptAsRoot();
        ProvisionOutcome out = provision(policy("jq: { source: apt, approved_versions: [\"1.6\"] }"), missing("jq", "^1.6"));

        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        assertThat(out.actions()).containsExactly(PROBE, "apt-get update", "LC_ALL=C apt-cache policy jq",
                INSTALL + "jq=1.6-2.1+deb12u3");
        assertThat(ran).isEqualTo(out.actions());
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.source()).isEqualTo("apt");
        assertThat(jq.pkg()).isEqualTo("jq");
        assertThat(jq.resolvedVersion()).isEqualTo("1.6-2.1+deb12u3");
        assertThat(jq.pinned()).isTrue();
        assertThat(jq.result()).isEqualTo(ItemResult.INSTALLED);
        assertThat(jq.actions()).isEqualTo(out.actions());
        assertThat(out.message()).isEqualTo("installed jq 1.6-2.1+deb12u3 (apt) in container workbench");
    }

    @Test
    void anExactApprovedPackageVersionIsPinnedExactly() throws Exception {
        aptAsRoot();
        ProvisionOutcome out = provision(policy("jq: { source: apt, approved_versions: [\"1.6-2.1+deb12u2\"] }"),
                missing("jq", "*"));
        assertThat(out.get("jq").resolvedVersion()).isEqualTo("1.6-2.1+deb12u2");
        assertThat(out.actions()).last().isEqualTo(INSTALL + "jq=1.6-2.1+deb12u2");
    }

    @Test
    void withoutApprovedVersionsTheSourcesOwnCandidateIsInstalledUnpinnedWhenItFits() throws Exception {
        aptAsRoot();
        ProvisionOutcome out = provision(policy("""
                jq: { source: apt }
                curl: { source: apt }
                """), missing("jq", "*"), missing("curl", ">=7.88"));
        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        // jq: nothing to compare, so no version query for it; curl: apt's candidate satisfies the constraint
        assertThat(out.actions()).containsExactly(PROBE, "apt-get update", "LC_ALL=C apt-cache policy curl",
                INSTALL + "jq curl");
        assertThat(out.get("jq").pinned()).isFalse();
        assertThat(out.get("jq").resolvedVersion()).isEqualTo("1.6-2.1+deb12u3"); // read from apt's "Setting up" line
        assertThat(out.get("curl").pinned()).isFalse();
        assertThat(out.get("curl").resolvedVersion()).isEqualTo("7.88.1-10+deb12u15");
    }

    @Test
    void withoutApprovedVersionsAnotherVersionIsPinnedWhenTheCandidateMissesTheContract() throws Exception {
        aptAsRoot();
        // backports offer a newer jq at a lower priority: apt's candidate stays 1.6
        answer("LC_ALL=C apt-cache policy", 0, """
                jq:
                  Installed: (none)
                  Candidate: 1.6-2.1+deb12u3
                  Version table:
                     1.7.1-1~bpo12+1 100
                        100 http://packages.invalid/debian bookworm-backports/main amd64 Packages
                     1.6-2.1+deb12u3 500
                        500 http://packages.invalid/debian-security bookworm-security/main amd64 Packages
                """);
        ProvisionOutcome out = provision(policy("jq: { source: apt }"), missing("jq", "^1.7"));
        assertThat(out.actions()).last().isEqualTo(INSTALL + "jq=1.7.1-1~bpo12+1");
        assertThat(out.get("jq").pinned()).isTrue();

        out = provision(policy("jq: { source: apt }"), missing("jq", "^1.6"));
        assertThat(out.actions()).last().isEqualTo(INSTALL + "jq"); // the candidate fits: apt's own choice
        assertThat(out.get("jq").resolvedVersion()).isEqualTo("1.6-2.1+deb12u3");

        out = provision(policy("jq: { source: apt }"), missing("jq", "^2"));
        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).isEqualTo("`apt` offers no version of jq that satisfies the contract's `^2`"
                + " (package `jq`: 1.7.1-1~bpo12+1, 1.6-2.1+deb12u3)");
    }

    @Test
    void noPolicyEntryMeansNothingIsInstalledAndNothingRuns() throws Exception {
        ProvisionOutcome out = provision(policy("curl: { source: apt }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.actions()).isEmpty();
        assertThat(ran).isEmpty();
        assertThat(out.get("jq").result()).isEqualTo(ItemResult.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).isEqualTo("policy has no `provisioning.jq` entry; fulfillment: run never installs"
                + " without one (`fulfillment: run` is intent, not a policy bypass)");
        assertThat(out.message()).isEqualTo(out.get("jq").reason());

        out = provision(null, missing("jq", "*"));
        assertThat(out.get("jq").reason()).startsWith("no org policy applies (`.ota/org-policy.yaml` or `OTA_POLICY`),"
                + " so there is no `provisioning.jq` entry; fulfillment: run never installs without one");
        assertThat(ran).isEmpty();
    }

    @Test
    void aSourceOtaMavenCannotInstallFromIsReadOnly() throws Exception {
        ProvisionOutcome out = provision(policy("jq: { source: mise, approved_versions: [\"1.6\"] }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").source()).isEqualTo("mise");
        assertThat(out.get("jq").reason()).startsWith("policy names source `mise` for `jq`; ota-maven cannot install from it");
        assertThat(ran).isEmpty();
    }

    @Test
    void aPlanIsInstalledWholeOrNotAtAll() throws Exception {
        aptAsRoot();
        ProvisionOutcome out = provision(policy("jq: { source: apt }"), missing("jq", "*"), missing("curl", "*"));
        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(ran).isEmpty();
        assertThat(out.get("jq").result()).isEqualTo(ItemResult.SKIPPED);
        assertThat(out.get("jq").reason()).isEqualTo("not attempted: `curl` cannot be installed, and a fulfillment installs"
                + " all it needs or nothing");
        assertThat(out.problems()).extracting(ProvisionOutcome.Item::name).containsExactly("curl");
    }

    @Test
    void aConstraintNoApprovedVersionSatisfiesNamesBoth() throws Exception {
        aptAsRoot();
        ProvisionOutcome out = provision(policy("jq: { source: apt, approved_versions: [\"1.5\"] }"), missing("jq", "^1.6"));
        assertThat(out.result()).isEqualTo(Result.NOT_INSTALLABLE);
        assertThat(out.get("jq").reason()).isEqualTo("no version of jq approved by policy (1.5) satisfies the contract's `^1.6`;"
                + " `apt` offers jq 1.6-2.1+deb12u3, 1.6-2.1+deb12u2, none of them approved");
        assertThat(out.actions()).doesNotContain(INSTALL + "jq").noneMatch(a -> a.contains("apt-get install"));

        out = provision(policy("jq: { source: apt, approved_versions: [\"1.6\"] }"), missing("jq", "^1.7"));
        assertThat(out.get("jq").reason()).isEqualTo("no version of jq approved by policy (1.6) satisfies the contract's `^1.7`;"
                + " `apt` offers jq 1.6-2.1+deb12u3, 1.6-2.1+deb12u2, of which 1.6-2.1+deb12u3, 1.6-2.1+deb12u2 approved"
                + " but outside `^1.7`");
    }

    @Test
    void thePlatformEntryOverridesTheRootEntry() throws Exception {
        aptAsRoot();
        OrgPolicy p = policy("""
                jq:
                  source: brew
                  package: jq-brew
                  approved_versions: ["1.5"]
                  platforms:
                    linux: { source: apt, approved_versions: ["1.6"] }
                """);
        assertThat(Provisioner.Rule.of(p, "jq", "linux")).hasValueSatisfying(r -> {
            assertThat(r.source()).isEqualTo("apt");
            assertThat(r.pkg()).isNull(); // brew's package name does not carry over to apt
            assertThat(r.approvedVersions()).containsExactly("1.6");
        });
        assertThat(Provisioner.Rule.of(p, "jq", "macos")).hasValueSatisfying(r -> assertThat(r.source()).isEqualTo("brew"));
        ProvisionOutcome out = provision(p, missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        assertThat(out.actions()).last().isEqualTo(INSTALL + "jq=1.6-2.1+deb12u3");
    }

    @Test
    void writesThePolicysSourcesBeforeUpdating() throws Exception {
        aptAsRoot();
        answer("printf", 0, "");
        ProvisionOutcome out = provision(policy("""
                jq:
                  source: apt
                  source_config:
                    sources_list:
                      - "deb http://packages.invalid/debian bookworm main"
                      - "deb [arch=amd64] http://packages.invalid/it's bookworm main"
                """), missing("jq", "*"));
        assertThat(out.actions()).containsExactly(PROBE,
                "printf '%s\\n' 'deb http://packages.invalid/debian bookworm main'"
                        + " 'deb [arch=amd64] http://packages.invalid/it'\\''s bookworm main'"
                        + " > /etc/apt/sources.list.d/ota-policy-jq.list",
                "apt-get update", INSTALL + "jq");
    }

    @Test
    void aNonRootPlaneUsesSudoWhenItNeedsNoPassword() throws Exception {
        answer(PROBE, 0, "/usr/bin/apt-get\n1000\n");
        answer("sudo -n true", 0, "");
        answer("printf", 0, "");
        answer("sudo -n apt-get update", 0, "");
        answer("LC_ALL=C apt-cache policy", 0, JQ_CURL_POLICY);
        answer("sudo -n env " + INSTALL, 0, "");
        ProvisionOutcome out = provision(policy("""
                jq:
                  source: apt
                  approved_versions: ["1.6"]
                  source_config: { sources_list: ["deb http://packages.invalid/debian bookworm main"] }
                """), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        assertThat(out.actions()).containsExactly(PROBE, "sudo -n true",
                "printf '%s\\n' 'deb http://packages.invalid/debian bookworm main' | sudo -n tee"
                        + " /etc/apt/sources.list.d/ota-policy-jq.list >/dev/null",
                "sudo -n apt-get update", "LC_ALL=C apt-cache policy jq", "sudo -n env " + INSTALL + "jq=1.6-2.1+deb12u3");
    }

    @Test
    void aNonRootPlaneWithoutSudoFailsClearly() throws Exception {
        answer(PROBE, 0, "/usr/bin/apt-get\n1000\n");
        answer("sudo -n true", 1, "sudo: a password is required\n");
        ProvisionOutcome out = provision(policy("jq: { source: apt }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason()).isEqualTo("`apt-get` needs root: the plane runs as uid 1000 in container workbench"
                + " and `sudo -n` is not available (sudo: a password is required)");
        assertThat(out.actions()).containsExactly(PROBE, "sudo -n true");
    }

    @Test
    void aPlaneWithoutAptGetIsNotDebianFamily() throws Exception {
        answer(PROBE, 127, "");
        ProvisionOutcome out = provision(policy("jq: { source: apt }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason())
                .isEqualTo("source `apt` needs a Debian-family plane: `apt-get` is not on PATH in container workbench");
        assertThat(out.actions()).containsExactly(PROBE);
    }

    @Test
    void aFailedInstallCarriesTheTailOfItsOutput() throws Exception {
        aptAsRoot();
        StringBuilder long_ = new StringBuilder();
        for (int i = 1; i <= 30; i++) {
            long_.append("line ").append(i).append('\n');
        }
        long_.append("E: Unable to locate package ota-no-such-package\n");
        answer(INSTALL, 100, long_.toString());
        ProvisionOutcome out = provision(policy("jq: { source: apt, package: ota-no-such-package }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.FAILED);
        ProvisionOutcome.Item jq = out.get("jq");
        assertThat(jq.pkg()).isEqualTo("ota-no-such-package");
        assertThat(jq.reason()).isEqualTo("`apt` could not install ota-no-such-package in container workbench: `" + INSTALL
                + "ota-no-such-package` exited with code 100");
        assertThat(jq.outputTail()).hasSize(Provisioner.TAIL_LINES).first().isEqualTo("line 12");
        assertThat(jq.outputTail()).last().isEqualTo("E: Unable to locate package ota-no-such-package");
    }

    @Test
    void anUnreachableMirrorShowsInTheFailure() throws Exception {
        aptAsRoot();
        answer("apt-get update", 0, "Err:1 http://packages.invalid/debian bookworm InRelease\n"
                + "W: Failed to fetch http://packages.invalid/debian/dists/bookworm/InRelease  Temporary failure resolving\n"
                + "W: Some index files failed to download. They have been ignored, or old ones used instead.\n");
        answer("LC_ALL=C apt-cache policy", 0, "");
        ProvisionOutcome out = provision(policy("jq: { source: apt, approved_versions: [\"1.6\"] }"), missing("jq", "*"));
        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason()).isEqualTo("`apt` offers no version of package `jq` in container workbench"
                + " (`LC_ALL=C apt-cache policy jq` lists none after `apt-get update`); `apt-get update` reported:"
                + " W: Failed to fetch http://packages.invalid/debian/dists/bookworm/InRelease  Temporary failure resolving"
                + " (and 1 more)");
        assertThat(out.get("jq").outputTail()).first().asString().startsWith("W: Failed to fetch");
        assertThat(out.actions()).noneMatch(a -> a.contains("apt-get install"));
    }

    @Test
    void aPlaneThatCannotRunTheCommandIsAFailureNotAnException() throws Exception {
        ScriptRunner broken = (script, timeout, args) -> {
            throw new BackendException("container workbench no longer exists (removed behind ota's back?)");
        };
        ProvisionOutcome out = new Provisioner(broken, "in container workbench", "linux", policy("jq: { source: apt }"))
                .provision(List.of(missing("jq", "*")));
        assertThat(out.result()).isEqualTo(Result.FAILED);
        assertThat(out.get("jq").reason()).isEqualTo("cannot check for `apt-get` in container workbench: container workbench"
                + " no longer exists (removed behind ota's back?)");
        assertThat(out.actions()).containsExactly(PROBE);
    }

    @Test
    void badPolicyValuesAreNotInstallable() throws Exception {
        ProvisionOutcome out = provision(policy("""
                jq: { source: apt, package: "jq; rm -rf /" }
                curl: { source: apk, source_config: { sources_list: ["deb http://packages.invalid/debian bookworm main"] } }
                git: { source: apt, source_config: { sources_list: ["rm -rf /"] } }
                """), missing("jq", "*"), missing("curl", "*"), missing("git", "*"));
        assertThat(out.items()).extracting(ProvisionOutcome.Item::reason).containsExactly(
                "`jq; rm -rf /` is not a valid apt package name",
                "`provisioning.curl.source_config.sources_list` is for source `apt`; ota-maven cannot honour it for `apk`",
                "`provisioning.git.source_config.sources_list` entry \"rm -rf /\" is not a one-line `deb …` source");
        assertThat(ran).isEmpty();
    }

    @Test
    void apkInstallsFromAlpineRepositories() throws Exception {
        answer("command -v apk && id -u", 0, "/sbin/apk\n0\n");
        answer("apk update", 0, "v3.20.3 [https://packages.invalid/alpine/v3.20/main]\nOK: 24163 distinct packages available\n");
        answer("apk policy", 0, """
                jq policy:
                  1.7.1-r0:
                    https://packages.invalid/alpine/v3.20/main
                  1.6-r4:
                    @old https://packages.invalid/alpine/v3.16/main
                """);
        answer("apk add", 0, "(1/2) Installing oniguruma (6.9.9-r0)\n(2/2) Installing jq (1.7.1-r0)\nOK: 8 MiB in 16 packages\n");
        ProvisionOutcome out = provision(policy("""
                jq: { source: apk, approved_versions: ["1.7"] }
                curl: { source: apk }
                """), missing("jq", ">=1.6"), missing("curl", "*"));
        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        assertThat(out.actions()).containsExactly("command -v apk && id -u", "apk update", "apk policy jq",
                "apk add jq=1.7.1-r0 curl");
        assertThat(out.get("jq").resolvedVersion()).isEqualTo("1.7.1-r0");

        ran.clear();
        out = provision(policy("jq: { source: apk, approved_versions: [\"1.6\"] }"), missing("jq", "*"));
        assertThat(out.actions()).last().isEqualTo("apk add jq=1.6-r4");

        answer("command -v apk && id -u", 1, "");
        out = provision(policy("jq: { source: apk }"), missing("jq", "*"));
        assertThat(out.get("jq").reason()).isEqualTo("source `apk` needs an Alpine plane: `apk` is not on PATH in container workbench");
    }

    @Test
    void nothingBlockingIsNothingToDo() throws Exception {
        ProvisionOutcome out = provision(null);
        assertThat(out.result()).isEqualTo(Result.INSTALLED);
        assertThat(out.items()).isEmpty();
        assertThat(out.actions()).isEmpty();
    }
}
