package dev.ota.core.probe;

import java.util.Objects;

/** Builds the {@link Probe} a {@link ProbeSpec} describes. */
public final class Probes {

    private Probes() {}

    /**
     * A {@link TcpProbe} or an {@link HttpProbe}.
     *
     * @throws IllegalArgumentException for an unknown kind, or an http spec the client cannot send
     *     (unsupported method, restricted header, HEAD with {@code body.contains})
     */
    public static Probe of(ProbeSpec spec) {
        Objects.requireNonNull(spec, "spec");
        return switch (spec.kind()) {
            case ProbeSpec.TCP -> new TcpProbe(spec);
            case ProbeSpec.HTTP -> new HttpProbe(spec);
            default -> throw new IllegalArgumentException(
                    "probe " + spec.label() + ": unknown kind `" + spec.kind() + "` (tcp or http)");
        };
    }
}
