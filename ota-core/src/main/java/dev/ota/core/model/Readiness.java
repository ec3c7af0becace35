package dev.ota.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code runtime.readiness}: what "ready" means for a service. Durations are parsed on load. */
public record Readiness(
        String probe,
        String kind,
        String listener,
        String method,
        String path,
        Map<String, String> headers,
        List<Integer> successStatus,
        String bodyContains,
        Duration interval,
        Duration timeout,
        Integer retries,
        Duration startPeriod,
        Site site) {}
