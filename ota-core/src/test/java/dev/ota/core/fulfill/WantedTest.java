package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostics;
import dev.ota.core.load.ContractLoader;
import dev.ota.core.model.Contract;
import dev.ota.core.resolve.RequirementUnion;
import dev.ota.core.resolve.Topology;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** From a loaded contract's requirement union to what detection checks on each OS. */
class WantedTest {

    @TempDir
    Path dir;

    @Test
    void theUnionOfASharedBackendBecomesOneWantedPerName() throws Exception {
        Path file = dir.resolve("ota.yaml");
        Files.writeString(file, """
                version: 1
                project: { name: n }
                runtimes: { java: ">=17" }
                tools:
                  git: "*"
                  pwsh: { version: ">=7", only_on: [windows] }
                execution:
                  default_context: host
                  contexts:
                    host:
                      backend: native
                      requirements:
                        tools:
                          gradle: { version: "^8", required: false }
                          node: { version: "22", platforms: { macos: { version: "20" } } }
                  shared_backends:
                    local: { scope: local, backend: native, lifecycle: persistent, context: host }
                tasks:
                  api:
                    run: ./gradlew bootRun
                    requirements: { runtimes: { java: "21" } }
                    runtime: { kind: service, backend_binding: local, listeners: { http: { http: 8081 } } }
                """);
        Diagnostics diags = new Diagnostics();
        Contract contract = ContractLoader.load(file, "ota.yaml", diags).orElseThrow();
        assertThat(diags.errors()).isEmpty();
        Topology topology = new Topology(contract);
        RequirementUnion union = RequirementUnion.of(topology, contract.execution().sharedBackends().get("local"));

        List<Wanted> wanted = Wanted.of(union);
        assertThat(wanted).extracting(w -> w.kind() + " " + w.name())
                .containsExactly("runtime java", "tool git", "tool pwsh", "tool gradle", "tool node");
        Wanted java = wanted.get(0);
        assertThat(java.declarations()).hasSize(2); // root and task
        assertThat(java.on("linux")).contains(new Wanted.Applied(">=17 21", true));
        assertThat(wanted.get(1).on("linux")).contains(new Wanted.Applied("*", true));
        assertThat(wanted.get(2).on("linux")).isEmpty();
        assertThat(wanted.get(2).on("windows")).contains(new Wanted.Applied(">=7", true));
        assertThat(wanted.get(3).on("linux")).contains(new Wanted.Applied("^8", false));
        assertThat(wanted.get(4).on("linux")).contains(new Wanted.Applied("22", true));
        assertThat(wanted.get(4).on("macos")).contains(new Wanted.Applied("20", true));
        assertThat(wanted.get(4).on(null)).contains(new Wanted.Applied("22", true));
    }
}
