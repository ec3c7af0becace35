package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link MavenSignalsTests} under the Maven that runs this build. */
class MavenSignalsIT extends MavenSignalsTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.mavenHome"));
    }
}
