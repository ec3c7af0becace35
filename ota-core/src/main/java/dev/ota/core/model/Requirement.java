package dev.ota.core.model;

import java.util.List;
import java.util.Map;

/**
 * A runtime or tool requirement (string shorthand or detail map).
 *
 * @param kind {@code runtime} or {@code tool}
 * @param platformVersions per-OS version overrides ({@code platforms.<os>.version})
 */
public record Requirement(
        String kind,
        String name,
        String version,
        boolean required,
        List<String> onlyOn,
        String provider,
        String distribution,
        Map<String, String> platformVersions,
        ToolAcquisition acquisition,
        Site site) {

    public record ToolAcquisition(String provider, String pkg, String version, String shell, String run, Site site) {}
}
