package dev.ota.core.backend.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link SshTestHost} for a whole test class:
 * {@code @RegisterExtension static final SshTestHostExtension DEVBOX = new SshTestHostExtension();}.
 * Started before the first test, closed (namespace, sshd and every process in it) after the last.
 */
public final class SshTestHostExtension implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private SshTestHost host;

    public SshTestHost host() {
        if (host == null) {
            throw new IllegalStateException("the SSH test host is not started (register the extension as a static field)");
        }
        return host;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("ota-sshd-");
        host = SshTestHost.start(dir.resolve("sshd"));
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (host != null) {
                host.close();
            }
        } finally {
            host = null;
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }
}
