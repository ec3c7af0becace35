package dev.ota.core.resolve;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.semver4j.Semver;
import org.semver4j.Range;
import org.semver4j.RangesList;
import org.semver4j.RangesListFactory;

/**
 * Version constraints of requirements ({@code 21}, {@code >=21}, {@code ^8}, {@code ~1.2},
 * {@code *}), interpreted with npm-style range semantics through semver4j.
 */
public final class VersionConstraints {

    private static final Pattern COMPARATOR =
            Pattern.compile("(?:(?:>=|<=|>|<|=|\\^|~)?\\s*[A-Za-z]*\\d+(?:\\.\\d+){0,2}(?:[-+][0-9A-Za-z.-]+)?|\\*|x|X)");
    private static final Pattern CONSTRAINT = Pattern.compile(
            COMPARATOR.pattern() + "(?:(?:\\s+|\\s*,\\s*)" + COMPARATOR.pattern() + ")*(?:\\s*\\|\\|\\s*"
                    + COMPARATOR.pattern() + "(?:(?:\\s+|\\s*,\\s*)" + COMPARATOR.pattern() + ")*)*");

    private VersionConstraints() {}

    public static boolean isValid(String constraint) {
        return constraint != null && CONSTRAINT.matcher(constraint.trim()).matches();
    }

    /** Whether some version satisfies both constraints (e.g. {@code 21} and {@code >=22}: no). */
    public static boolean compatible(String a, String b) {
        RangesList ra = ranges(a);
        RangesList rb = ranges(b);
        List<Semver> candidates = new ArrayList<>();
        candidates.add(Semver.ZERO);
        for (RangesList list : List.of(ra, rb)) {
            for (List<Range> conjunction : list.get()) {
                for (Range range : conjunction) {
                    Semver v = range.getRangeVersion();
                    candidates.add(v);
                    candidates.add(v.nextPatch());
                    candidates.add(v.withIncMinor());
                }
            }
        }
        for (Semver candidate : candidates) {
            if (ra.isSatisfiedBy(candidate) && rb.isSatisfiedBy(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code version} satisfies {@code constraint} (npm range semantics, prefixes dropped). */
    public static boolean satisfies(String constraint, Semver version) {
        return ranges(constraint).isSatisfiedBy(version);
    }

    static RangesList ranges(String constraint) {
        String normalized = strip(constraint.trim()).replace(",", " ");
        return RangesListFactory.create(normalized);
    }

    /** Drops tool prefixes such as {@code v} or {@code go} before the digits. */
    private static String strip(String constraint) {
        return constraint.replaceAll("(^|[\\s^~=<>|])[A-Za-z]+(?=\\d)", "$1");
    }
}
