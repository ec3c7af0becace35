package dev.ota.core.backend;

import dev.ota.core.probe.Liveness;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * A backend whose declared shape ota-maven cannot honour (e.g. a container engine it does not
 * drive): every step that needs it fails with the same message, instead of silently running the
 * workload some other way.
 */
public final class RefusingBackend implements Backend {

    private final String family;
    private final String reason;

    public RefusingBackend(String family, String reason) {
        this.family = family;
        this.reason = reason;
    }

    @Override
    public String family() {
        return family;
    }

    @Override
    public String identity() {
        return family + ":refused";
    }

    @Override
    public void prepare() throws BackendException {
        throw new BackendException(reason);
    }

    @Override
    public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
        throw new BackendException(reason);
    }

    @Override
    public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException {
        throw new BackendException(reason);
    }

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return false;
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return () -> OptionalInt.of(-1);
    }

    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        throw new BackendException(reason);
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        return List.of();
    }
}
