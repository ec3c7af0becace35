package dev.ota.core.fulfill;

import java.util.Comparator;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.semver4j.Semver;

/**
 * A package manager's version of a package ({@code 1.6-2.1+deb12u3}, {@code 1:2.39.2-1},
 * {@code 1.7.1-r0}): an optional epoch, the upstream version and the packaging revision. Ordered as
 * dpkg orders versions ({@code ~} sorts before everything, letters before other symbols), which also
 * orders Alpine's {@code <upstream>-r<n>} versions correctly.
 */
public record PackageVersion(String full, int epoch, String upstream, String revision) {

    /** An approved version written as an exact package version: an upstream part and a revision ({@code 1.6-2.1+deb12u2}). */
    private static final Pattern EXACT = Pattern.compile("(\\d+:)?\\d[A-Za-z0-9.+~_]*-[A-Za-z0-9.+~_]+");

    /** Newest first. */
    public static final Comparator<PackageVersion> NEWEST_FIRST = (a, b) -> compare(b.full, a.full);

    public static PackageVersion parse(String version) {
        String v = version.trim();
        int epoch = 0;
        int colon = v.indexOf(':');
        String rest = v;
        if (colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit)) {
            try {
                epoch = Integer.parseInt(v.substring(0, colon));
            } catch (NumberFormatException tooLong) {
                epoch = Integer.MAX_VALUE;
            }
            rest = v.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String upstream = dash < 0 ? rest : rest.substring(0, dash);
        String revision = dash < 0 ? "" : rest.substring(dash + 1);
        return new PackageVersion(v, epoch, upstream, revision);
    }

    /** The version without its epoch ({@code 2.39.2-1} of {@code 1:2.39.2-1}). */
    public String withoutEpoch() {
        return revision.isEmpty() ? upstream : upstream + "-" + revision;
    }

    /** The upstream version as constraints compare it ({@code 1.6} → 1.6.0, {@code 17.0.12+7} → 17.0.12), in the tool's scheme. */
    public Optional<Semver> comparable(UnaryOperator<String> scheme) {
        return VersionMatch.coerce(scheme.apply(upstream));
    }

    /** Whether a policy's approved version is written as an exact package version ({@code 1.6-2.1+deb12u2}, {@code 1.6.20-1}). */
    public static boolean isExact(String approvedVersion) {
        return EXACT.matcher(approvedVersion.trim()).matches();
    }

    /**
     * Whether the policy entry approves this package version: an exact package version must be this
     * one (the epoch may be left out); any other entry approves by upstream version at the
     * precision it is written ({@link VersionMatch#approvedBy}: {@code 1.6} approves 1.6-2.1+deb12u3).
     */
    public boolean approvedBy(String entry, UnaryOperator<String> scheme) {
        String e = entry.trim();
        if (isExact(e)) {
            return e.equals(full) || e.equals(withoutEpoch());
        }
        Optional<Semver> mine = comparable(scheme);
        return mine.isPresent() && VersionMatch.approvedBy(mine.get(), java.util.List.of(e), scheme).isPresent();
    }

    /** dpkg's version comparison: negative when {@code a} is older than {@code b}. */
    public static int compare(String a, String b) {
        PackageVersion x = parse(a);
        PackageVersion y = parse(b);
        if (x.epoch != y.epoch) {
            return Integer.compare(x.epoch, y.epoch);
        }
        int c = verrevcmp(x.upstream, y.upstream);
        return c != 0 ? c : verrevcmp(x.revision, y.revision);
    }

    private static int order(String s, int i) {
        if (i >= s.length()) {
            return 0;
        }
        char c = s.charAt(i);
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    private static boolean digit(String s, int i) {
        return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private static int verrevcmp(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            int firstDiff = 0;
            while ((i < a.length() && !digit(a, i)) || (j < b.length() && !digit(b, j))) {
                int ac = order(a, i);
                int bc = order(b, j);
                if (ac != bc) {
                    return ac - bc;
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            while (digit(a, i) && digit(b, j)) {
                if (firstDiff == 0) {
                    firstDiff = a.charAt(i) - b.charAt(j);
                }
                i++;
                j++;
            }
            if (digit(a, i)) {
                return 1;
            }
            if (digit(b, j)) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    @Override
    public String toString() {
        return full;
    }
}
