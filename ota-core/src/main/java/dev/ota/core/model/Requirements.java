package dev.ota.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** `runtimes`, `tools` and `toolchains` declared at one scope (root, context or task). */
public record Requirements(
        Map<String, Requirement> runtimes, Map<String, Requirement> tools, List<String> toolchains, Site site) {

    public static final Requirements EMPTY = new Requirements(Map.of(), Map.of(), List.of(), null);

    public boolean isEmpty() {
        return runtimes.isEmpty() && tools.isEmpty() && toolchains.isEmpty();
    }

    /** Maps merge (child entries replace parent entries of the same name); lists replace. */
    public Requirements overlay(Requirements child) {
        if (child == null || child.isEmpty()) {
            return this;
        }
        Map<String, Requirement> r = new LinkedHashMap<>(runtimes);
        r.putAll(child.runtimes);
        Map<String, Requirement> t = new LinkedHashMap<>(tools);
        t.putAll(child.tools);
        List<String> chains = child.toolchains.isEmpty() ? toolchains : child.toolchains;
        return new Requirements(java.util.Collections.unmodifiableMap(r), java.util.Collections.unmodifiableMap(t), chains, child.site != null ? child.site : site);
    }
}
