package dev.ota.core.probe;

import java.util.OptionalInt;

/** Tells a waiting loop whether the workload it waits for is still alive (fail fast when it is not). */
public interface Liveness {

    /** Empty while alive; the exit code (or -1 when unknown) once it has exited. */
    OptionalInt exited();

    Liveness ALWAYS_ALIVE = OptionalInt::empty;
}
