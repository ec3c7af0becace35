package dev.ota.maven.plugin.it;

import java.nio.file.Path;

/** {@link FulfillmentExampleTests} under the Maven 3.9.x distribution the build unpacks for the ITs. */
class FulfillmentExample39IT extends FulfillmentExampleTests {

    @Override
    Path mavenHome() {
        return Path.of(System.getProperty("ota.it.maven39Home"));
    }
}
