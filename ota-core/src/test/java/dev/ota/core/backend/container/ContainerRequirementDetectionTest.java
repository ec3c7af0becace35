package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.fulfill.Detection;
import dev.ota.core.fulfill.Detection.Verdict;
import dev.ota.core.fulfill.DetectionReport;
import dev.ota.core.fulfill.RequirementDetector;
import dev.ota.core.fulfill.Wanted;
import dev.ota.core.model.Requirement;
import dev.ota.core.state.StateStore;
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
 * Requirement detection inside a shared container backend ({@link DockerTestSupport#IMAGE}: busybox
 * only), through {@code docker exec}: the same script as on the host, one exec for all requirements.
 */
class ContainerRequirementDetectionTest {

    @TempDir
    Path repo;

    private String owner;
    private String container;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startContainer() throws Exception {
        DockerTestSupport.engine();
        StateStore state = StateStore.forRepo(repo);
        owner = state.ownershipId();
        String unit = "shared_backend:workbench";
        ContainerBoundary boundary = new ContainerBoundary(unit, ContainerBoundary.nameFor(owner, unit), owner,
                DockerTestSupport.IMAGE, repo, List.of(), 0);
        container = new ContainerBackend(DockerTestSupport.engine(), boundary, state, log::add).ensure();
    }

    @AfterEach
    void removeContainers() {
        DockerTestSupport.removeContainersOf(owner);
    }

    private ScriptRunner inContainer() {
        return (script, timeout, args) -> ContainerExec.script(DockerTestSupport.client(), container, script, timeout, args);
    }

    private DetectionReport detect(Wanted... wanted) throws Exception {
        return new RequirementDetector(inContainer(), "in container workbench").detect(List.of(wanted));
    }

    @Test
    void detectsWhatTheContainerHasNotWhatTheHostHas() throws Exception {
        Requirement pwsh = new Requirement("tool", "pwsh", ">=7", true, List.of("windows"), null, null, Map.of(), null, null);
        DetectionReport r = detect(Wanted.tool("jq", "*"), Wanted.tool("wget", "*"), Wanted.tool("wget", ">=1.20"),
                Wanted.tool("sh", "*"), Wanted.runtime("java", ">=17"), new Wanted("tool", "pwsh", List.of(pwsh)));

        assertThat(r.uname()).isEqualTo("Linux");
        assertThat(r.os()).isEqualTo("linux");
        assertThat(r.detections()).extracting(Detection::verdict).containsExactly(Verdict.MISSING, Verdict.SATISFIED,
                Verdict.VERSION_UNKNOWN, Verdict.SATISFIED, Verdict.MISSING, Verdict.NOT_APPLICABLE);
        assertThat(r.detections().get(0).reason()).isEqualTo("tool `jq`: `jq` is not on PATH in container workbench");
        // busybox answers `command -v` with the bare applet name; detection reports the file on PATH
        assertThat(r.detections().get(1).executable()).isEqualTo("/bin/wget");
        assertThat(r.detections().get(3).executable()).isEqualTo("/bin/sh");
        // busybox wget has no --version: present, but no version to compare
        Detection wget = r.detections().get(2);
        assertThat(wget.output()).first().asString().contains("unrecognized option");
        assertThat(wget.reason()).contains("`>=1.20` needs a known version");
        assertThat(r.blocking()).extracting(Detection::requirementLabel)
                .containsExactly("tool jq *", "tool wget >=1.20", "runtime java >=17");
    }

    @Test
    void aToolInstalledInTheContainerIsFoundWithItsVersion() throws Exception {
        assertThat(detect(Wanted.tool("jq", "1.6")).detections().get(0).verdict()).isEqualTo(Verdict.MISSING);
        // stands in for a provisioning step: a jq that prints what jq 1.6 prints
        var put = ContainerExec.script(DockerTestSupport.client(), container,
                "printf '#!/bin/sh\\necho jq-1.6\\n' > /bin/jq && chmod +x /bin/jq", Duration.ofSeconds(30));
        assertThat(put.exitCode()).isZero();

        DetectionReport r = detect(Wanted.tool("jq", "1.6"), Wanted.tool("jq", "^1.7"));
        assertThat(r.detections()).extracting(Detection::verdict).containsExactly(Verdict.SATISFIED, Verdict.VERSION_MISMATCH);
        assertThat(r.detections().get(0).executable()).isEqualTo("/bin/jq");
        assertThat(r.detections().get(0).installedVersion()).isEqualTo("1.6");
        assertThat(r.detections().get(1).reason()).isEqualTo("jq 1.6 at /bin/jq in container workbench does not satisfy `^1.7`");
    }
}
