package dev.ota.maven.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PlanFileLocatorTest {

    private final Path base = Path.of("/srv/app").toAbsolutePath();
    private final Path build = base.resolve("out");

    @Test
    void projectContractGoesToTheBuildDirectory() {
        Path plan = PlanFileLocator.choose(null, base.resolve("ota.yaml"), base, true, build);

        assertThat(plan).isEqualTo(build.resolve("ota/plan.json"));
    }

    @Test
    void withoutAPomTheContractDirectoryDecides() {
        Path plan = PlanFileLocator.choose(null, base.resolve("contract/ota.yaml"), base, false, base.resolve("target"));

        assertThat(plan).isEqualTo(base.resolve("contract/target/ota/plan.json"));
    }

    @Test
    void standInProjectWithContractInCurrentDirectoryUsesContractDirectory() {
        Path plan = PlanFileLocator.choose(null, base.resolve("ota.yaml"), base, false, build);

        assertThat(plan).isEqualTo(base.resolve("target/ota/plan.json"));
    }

    @Test
    void contractInAnotherDirectoryOfARealProjectStaysNextToThatContract() {
        Path plan = PlanFileLocator.choose(null, base.resolve("examples/x/ota.yaml"), base, true, build);

        assertThat(plan).isEqualTo(base.resolve("examples/x/target/ota/plan.json"));
    }

    @Test
    void explicitPlanFileWinsAndRelativeResolvesAgainstBaseDirectory() {
        assertThat(PlanFileLocator.choose(new File("reports/p.json"), base.resolve("ota.yaml"), base, true, build))
                .isEqualTo(base.resolve("reports/p.json"));
        Path absolute = Path.of("/tmp/plan.json").toAbsolutePath();
        assertThat(PlanFileLocator.choose(absolute.toFile(), base.resolve("ota.yaml"), base, true, build))
                .isEqualTo(absolute);
    }

    @Test
    void missingBuildDirectoryFallsBackToContractDirectory() {
        assertThat(PlanFileLocator.choose(null, base.resolve("ota.yaml"), base, true, null))
                .isEqualTo(base.resolve("target/ota/plan.json"));
    }
}
