package dev.ota.core.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OrgPolicy#approvedVersions}: what {@code strict_versions} judges installed versions against. */
class ApprovedVersionsTest {

    @TempDir
    Path repo;

    @Test
    void platformListOverridesTheRootListOnItsOs() throws Exception {
        Files.createDirectories(repo.resolve(".ota"));
        Files.writeString(repo.resolve(PolicyLoader.REPO_POLICY), """
                policies:
                  strict_versions: true
                  provisioning:
                    java:
                      source: sdkman
                      approved_versions: ["21.0.5"]
                      platforms:
                        macos: { source: brew, approved_versions: ["21.0.4"] }
                        windows: { source: choco }
                    pv: { source: apt, approved_versions: ["1.6.20-1"] }
                    node: { source: mise }
                """);
        Diagnostics diags = new Diagnostics();
        OrgPolicy policy = PolicyLoader.discover(repo, Map.of(), diags).orElseThrow();
        assertThat(diags.errors()).isEmpty();
        assertThat(policy.strictVersions()).isTrue();
        assertThat(policy.approvedVersions("java", "linux")).containsExactly("21.0.5");
        assertThat(policy.approvedVersions("java", "macos")).containsExactly("21.0.4");
        assertThat(policy.approvedVersions("java", "windows")).containsExactly("21.0.5"); // no list of its own
        assertThat(policy.approvedVersions("java", null)).containsExactly("21.0.5");
        assertThat(policy.approvedVersions("pv", "linux")).containsExactly("1.6.20-1");
        assertThat(policy.approvedVersions("node", "linux")).isEmpty();
        assertThat(policy.approvedVersions("git", "linux")).isEmpty();
    }
}
