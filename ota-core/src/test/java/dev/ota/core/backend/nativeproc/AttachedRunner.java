package dev.ota.core.backend.nativeproc;

import dev.ota.core.backend.WorkloadSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run in a separate JVM by {@link NativeBackendTest}: runs {@code sh -c <script>} attached, echoing
 * its lines, like {@code ota:run} running a task body; the test then sends this JVM SIGINT.
 */
public final class AttachedRunner {

    public static void main(String[] args) throws Exception {
        NativeBackend backend = new NativeBackend(Duration.ofSeconds(2));
        int code = backend.runAttached(new WorkloadSpec("body", List.of("sh", "-c", args[0]), Path.of("."), Map.of(), null),
                line -> {
                    System.out.println(line);
                    System.out.flush();
                });
        System.out.println("exit " + code);
    }
}
