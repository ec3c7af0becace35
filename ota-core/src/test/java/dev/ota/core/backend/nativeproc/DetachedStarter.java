package dev.ota.core.backend.nativeproc;

import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a separate JVM by {@link NativeBackendTest}: starts {@code sleep 300} as a service, prints
 * {@code started <pid> <startTime>} and exits without stopping it, like a Maven build that ends.
 */
public final class DetachedStarter {

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        NativeBackend backend = new NativeBackend();
        WorkloadHandle h = backend.startService(new WorkloadSpec(
                "detached", List.of("sleep", "300"), log.getParent(), Map.of(), log));
        System.out.println("started " + h.pid() + " " + h.startTime());
        System.out.flush();
        System.exit(0);
    }
}
