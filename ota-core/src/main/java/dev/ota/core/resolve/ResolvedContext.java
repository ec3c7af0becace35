package dev.ota.core.resolve;

import dev.ota.core.model.ContainerSettings;
import dev.ota.core.model.Context;
import dev.ota.core.model.RemoteSettings;
import dev.ota.core.model.Requirements;
import java.util.List;
import java.util.Map;

/**
 * A context after {@code extends} and root defaults: scalars override, maps merge, lists replace.
 *
 * @param declared the context as written
 * @param chain the ancestors, nearest first (empty without {@code extends})
 */
public record ResolvedContext(
        String name,
        String backend,
        String lifecycle,
        String fulfillment,
        Map<String, String> env,
        ContainerSettings container,
        RemoteSettings remote,
        Requirements requirements,
        List<String> onlyOn,
        List<String> isolatedPaths,
        Context declared,
        List<Context> chain) {

    public boolean isContainer() {
        return "container".equals(backend);
    }

    public boolean isNative() {
        return "native".equals(backend);
    }

    public boolean isRemote() {
        return "remote".equals(backend);
    }
}
