package dev.ota.core.model;

import java.util.List;
import java.util.Map;

/**
 * An execution context as declared ({@code execution.contexts.<name>}); null fields are
 * undeclared. See {@code ResolvedContext} for the view after {@code extends} and root defaults.
 */
public record Context(
        String name,
        String extendsName,
        String backend,
        String lifecycle,
        String fulfillment,
        List<String> onlyOn,
        List<String> onlyArch,
        Map<String, String> env,
        ContainerSettings container,
        RemoteSettings remote,
        Requirements requirements,
        List<String> composeAttachments,
        List<String> isolatedPaths,
        Site site) {}
