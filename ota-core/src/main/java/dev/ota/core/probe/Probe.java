package dev.ota.core.probe;

/** One readiness check; {@link #attempt} never throws, it reports what it saw. */
public interface Probe {

    ProbeAttempt attempt(int number);
}
