package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link FulfillmentExampleTests} under the Maven that runs this build. */
class FulfillmentExampleIT extends FulfillmentExampleTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.mavenHome"));
    }
}
