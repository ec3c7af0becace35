package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link RemoteExampleTests} under the Maven that runs this build. */
class RemoteExampleIT extends RemoteExampleTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.mavenHome"));
    }
}
