package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link ContainerSignalsTests} under Maven 3.9.x. */
class ContainerSignals39IT extends ContainerSignalsTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.maven39Home"));
    }
}
