package dev.ota.core.model;

import java.util.List;
import java.util.Map;

/** The root {@code execution} block. {@code declared} is false when the contract has none. */
public record Execution(
        boolean declared,
        String preferred,
        List<String> supported,
        String lifecycle,
        ContainerSettings rootContainer,
        RemoteSettings rootRemote,
        String defaultContext,
        Map<String, Context> contexts,
        Map<String, SharedBackend> sharedBackends,
        Site site) {

    /** Named contexts are in use (the modern shape). */
    public boolean usesContexts() {
        return defaultContext != null || !contexts.isEmpty();
    }
}
