package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link ContainerSignalsTests} under the Maven that runs this build. */
class ContainerSignalsIT extends ContainerSignalsTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.mavenHome"));
    }
}
