package dev.ota.core.backend.container;

import static org.assertj.core.api.Assertions.fail;

import com.github.dockerjava.api.exception.NotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The local Debian test image (minbase, apt pointed at this machine's mirror), for tests that install
 * real packages. Built on first use by {@code .ci/debian-image.sh} (debootstrap + {@code docker import},
 * no registry; needs root), cached by that script between runs.
 */
public final class DebianTestImage {

    public static final String IMAGE = "ota-test/debian:1";

    private static boolean present;

    private DebianTestImage() {}

    /** The image name, after making sure the engine has it. */
    public static synchronized String ensure() {
        if (present) {
            return IMAGE;
        }
        DockerTestSupport.engine();
        try {
            DockerTestSupport.client().inspectImageCmd(IMAGE).exec();
            present = true;
            return IMAGE;
        } catch (NotFoundException missing) {
            // built below
        }
        Path script = DockerTestSupport.repoRoot().resolve(".ci").resolve("debian-image.sh");
        try {
            Process p = new ProcessBuilder("bash", script.toString(), IMAGE).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.MINUTES) || p.exitValue() != 0) {
                fail("cannot build the Debian test image " + IMAGE + " with " + script + ": " + out);
            }
        } catch (IOException e) {
            fail("cannot run " + script + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted while building " + IMAGE);
        }
        present = true;
        return IMAGE;
    }
}
