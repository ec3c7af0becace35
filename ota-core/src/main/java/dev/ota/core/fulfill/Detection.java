package dev.ota.core.fulfill;

import java.util.List;

/**
 * What detection found for one runtime or tool on one plane.
 *
 * @param constraint the constraint that applied on the plane's OS ({@code *} when none)
 * @param executable where it was found ({@code /usr/bin/java}; a bare name for a shell builtin), or {@code null}
 * @param installedVersion the version as the tool printed it ({@code 1.8.0_412}), or {@code null}
 * @param comparableVersion what was matched ({@code 8.0.412}), or {@code null}
 * @param output the first lines the version command printed (evidence), empty when it was not run
 */
public record Detection(
        String kind,
        String name,
        String constraint,
        boolean required,
        String executable,
        String installedVersion,
        String comparableVersion,
        Verdict verdict,
        String reason,
        List<String> output) {

    public Detection {
        output = List.copyOf(output);
    }

    /** The detection outcome. {@link #label()} is the word receipts and logs use. */
    public enum Verdict {
        SATISFIED("satisfied"),
        MISSING("missing"),
        VERSION_MISMATCH("version_mismatch"),
        /** Satisfies the repo, but {@code strict_versions} policy does not approve the installed version. */
        NOT_APPROVED("not_approved"),
        /** Present, but its version could not be read and the constraint (or policy) needs one. */
        VERSION_UNKNOWN("version_unknown"),
        /** Every declaration's {@code only_on} excludes the plane's OS: nothing to check. */
        NOT_APPLICABLE("not_applicable");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Whether it counts as missing (for fulfillment): anything but satisfied or not applicable. */
    public boolean missing() {
        return verdict != Verdict.SATISFIED && verdict != Verdict.NOT_APPLICABLE;
    }

    /** Missing and required: the backend cannot be used as declared. {@code required: false} only warns. */
    public boolean blocking() {
        return missing() && required;
    }

    /** {@code runtime java 21}: the form for {@code backend_fulfillment.missing[]}. */
    public String requirementLabel() {
        return kind + " " + name + " " + constraint;
    }
}
