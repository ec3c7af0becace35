package dev.ota.core.probe;

import java.time.Duration;

/**
 * One probe attempt.
 *
 * @param detail what was observed: {@code connection refused}, {@code HTTP 503},
 *     {@code closed immediately}, {@code ready (HTTP 200)}
 */
public record ProbeAttempt(int number, boolean ready, String detail, Duration elapsed) {}
