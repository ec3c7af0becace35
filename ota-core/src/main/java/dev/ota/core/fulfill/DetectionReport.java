package dev.ota.core.fulfill;

import java.util.List;

/**
 * Detection of every requirement on one plane, from one round trip.
 *
 * @param plane where it ran, for messages ({@code on the host}, {@code in container abc}, {@code on ssh:devbox})
 * @param os the plane's OS as requirements name it ({@code linux}, {@code macos}, {@code windows}),
 *     or {@code null} when {@code uname} said something else
 * @param uname what {@code uname -s} printed
 */
public record DetectionReport(String plane, String os, String uname, List<Detection> detections) {

    public DetectionReport {
        detections = List.copyOf(detections);
    }

    /** Those that count as missing and are required: fulfillment must provide them or fail. */
    public List<Detection> blocking() {
        return detections.stream().filter(Detection::blocking).toList();
    }

    /** Those that count as missing but are declared {@code required: false}: warnings. */
    public List<Detection> warnings() {
        return detections.stream().filter(d -> d.missing() && !d.required()).toList();
    }

    /** Whether nothing required is missing ({@code backend_fulfillment.result: requirements_satisfied}). */
    public boolean satisfied() {
        return blocking().isEmpty();
    }

    public Detection get(String kind, String name) {
        return detections.stream().filter(d -> d.kind().equals(kind) && d.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no detection of " + kind + " " + name));
    }
}
