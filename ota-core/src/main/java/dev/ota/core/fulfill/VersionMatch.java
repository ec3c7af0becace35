package dev.ota.core.fulfill;

import dev.ota.core.resolve.VersionConstraints;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * Installed versions against requirement constraints and policy-approved versions. Constraints use
 * the same semver4j npm-range semantics as validation ({@link VersionConstraints}): {@code 21} is
 * any 21.x, {@code >=21}, {@code ^8}, {@code ~1.2}, {@code *}; prefixes such as {@code v} or
 * {@code go} are dropped. Installed versions are coerced to {@code major.minor.patch} first.
 */
public final class VersionMatch {

    /** The numeric head of a version: up to three dot-separated numbers after any letter prefix. */
    private static final Pattern NUMERIC = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    /** Java's pre-9 scheme: {@code 1.8.0_412} is Java 8, update 412. */
    private static final Pattern JAVA_LEGACY = Pattern.compile("1\\.(\\d+)(?:\\.(\\d+))?(?:_(\\d+))?.*");

    private VersionMatch() {}

    /**
     * The comparable form of a version a tool printed: {@code 21} → 21.0.0, {@code 17.0.12+7} →
     * 17.0.12, {@code go1.24.2} → 1.24.2, {@code 1.6.20-1} → 1.6.20, {@code 23-ea} → 23.0.0.
     * Pre-release and build suffixes are dropped on purpose: an installed {@code 23-ea} is "a 23"
     * for a requirement, where npm ordering would put it below 23.0.0 and fail {@code >=23}.
     */
    public static Optional<Semver> coerce(String version) {
        if (version == null) {
            return Optional.empty();
        }
        Matcher m = NUMERIC.matcher(version);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Semver.of(Integer.parseInt(m.group(1)), part(m.group(2)), part(m.group(3))));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /** Java's legacy {@code 1.x} versions in today's scheme ({@code 1.8.0_412} → {@code 8.0.412}, {@code 1.8} → {@code 8}); others unchanged. */
    public static String javaScheme(String version) {
        Matcher m = JAVA_LEGACY.matcher(version);
        if (!m.matches()) {
            return version;
        }
        // Keep the precision written (a policy's `1.8` approves every 8.x), so no padding here.
        String minor = m.group(2) != null ? "." + m.group(2) : m.group(3) != null ? ".0" : "";
        return m.group(1) + minor + (m.group(3) != null ? "." + m.group(3) : "");
    }

    /** Whether the constraint accepts any version, so a version that cannot be read does not matter. */
    public static boolean isAny(String constraint) {
        if (constraint == null || constraint.isBlank()) {
            return true;
        }
        for (String part : constraint.trim().split("[\\s,]+")) {
            if (!part.equals("*") && !part.equalsIgnoreCase("x")) {
                return false;
            }
        }
        return true;
    }

    public static boolean isValid(String constraint) {
        return isAny(constraint) || VersionConstraints.isValid(constraint);
    }

    /** Whether {@code version} satisfies {@code constraint}. */
    public static boolean satisfies(String constraint, Semver version) {
        return isAny(constraint) || VersionConstraints.satisfies(constraint, version);
    }

    /**
     * The first entry of a policy's {@code approved_versions} that approves {@code installed}, if
     * any. An entry is exact at the precision it is written: {@code 21} approves every 21.x.y,
     * {@code 21.0.5} only 21.0.5. Packaging suffixes ({@code 1.6.20-1}) are not compared: tools do
     * not print them. {@code scheme} maps an entry to the tool's own scheme (Java's {@code 1.8} is 8).
     */
    public static Optional<String> approvedBy(Semver installed, List<String> approvedVersions, UnaryOperator<String> scheme) {
        for (String entry : approvedVersions) {
            String normalized = scheme.apply(stripPrefix(entry.trim()));
            Matcher m = NUMERIC.matcher(normalized);
            if (!m.lookingAt()) {
                continue;
            }
            try {
                boolean same = installed.getMajor() == Integer.parseInt(m.group(1))
                        && (m.group(2) == null || installed.getMinor() == Integer.parseInt(m.group(2)))
                        && (m.group(3) == null || installed.getPatch() == Integer.parseInt(m.group(3)));
                if (same) {
                    return Optional.of(entry);
                }
            } catch (NumberFormatException tooLong) {
                // not a version this check can compare
            }
        }
        return Optional.empty();
    }

    private static String stripPrefix(String v) {
        return v.replaceFirst("^[A-Za-z]+-?(?=\\d)", "");
    }

    private static int part(String digits) {
        return digits == null ? 0 : Integer.parseInt(digits);
    }
}
