package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.semver4j.Semver;

class VersionMatchTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "21, 21.0.0",
        "17.0.12, 17.0.12",
        "17.0.12+7, 17.0.12",
        "17.0.12.1, 17.0.12",
        "v24.1.0, 24.1.0",
        "go1.24.2, 1.24.2",
        "jq-1.6, 1.6.0",
        "1.6.20-1, 1.6.20",
        "23-ea, 23.0.0",
        "3.8, 3.8.0",
    })
    void coercesPrintedVersions(String printed, String comparable) {
        assertThat(VersionMatch.coerce(printed)).map(Semver::getVersion).contains(comparable);
    }

    @ParameterizedTest
    @CsvSource(value = {"''", "'unknown'", "'v'", "'99999999999999'"}, quoteCharacter = '\'')
    void noVersionInTextOrOverflowIsEmpty(String text) {
        assertThat(VersionMatch.coerce(text)).isEmpty();
    }

    @ParameterizedTest(name = "java {0} -> {1}")
    @CsvSource({
        "1.8.0_412, 8.0.412",
        "1.8.0, 8.0",
        "1.8, 8",
        "1.7.0_80, 7.0.80",
        "17.0.12, 17.0.12",
        "21, 21",
        "11.0.2, 11.0.2",
    })
    void javaLegacySchemeMeansTheSecondNumber(String printed, String scheme) {
        assertThat(VersionMatch.javaScheme(printed)).isEqualTo(scheme);
    }

    @ParameterizedTest(name = "{1} satisfies ''{0}'': {2}")
    @CsvSource({
        "21, 21.0.0, true",
        "21, 21.7.3, true",
        "21, 22.0.0, false",
        "21, 20.9.9, false",
        ">=21, 21.0.0, true",
        ">=21, 25.0.1, true",
        ">=21, 17.0.12, false",
        ">=17, 17.0.15, true",
        "<17, 17.0.15, false",
        "<17, 11.0.2, true",
        "^8, 8.0.412, true",
        "^8, 9.0.0, false",
        "~1.2, 1.2.9, true",
        "~1.2, 1.3.0, false",
        "*, 0.0.1, true",
        "17.0.12, 17.0.12, true",
        "17.0.12, 17.0.13, false",
        "v24, 24.1.0, true",
        "go1.24, 1.24.2, true",
        "go1.24, 1.25.0, false",
        "'>=21 21', 21.3.0, true",
        "'>=21 21', 22.0.0, false",
        "'>=1.6, <2', 1.7.1, true",
    })
    void constraintsUseNpmRangeSemantics(String constraint, String version, boolean expected) {
        assertThat(VersionMatch.satisfies(constraint, Semver.parse(version))).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(value = {"*", "x", "'* *'", "''"}, quoteCharacter = '\'')
    void anyConstraints(String constraint) {
        assertThat(VersionMatch.isAny(constraint)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"21", ">=0", "^1", "'* 21'"})
    void notAnyConstraints(String constraint) {
        assertThat(VersionMatch.isAny(constraint)).isFalse();
    }

    @ParameterizedTest(name = "{0} approved by [{1}]: {2}")
    @CsvSource({
        "21.0.5, 21.0.5, 21.0.5",
        "21.0.5, 21, 21",
        "21.0.4, 21.0.5, ''",
        "21.0.5, '22|21.0.5', 21.0.5",
        "22.0.0, 21, ''",
        "1.6.20, 1.6.20-1, 1.6.20-1",
        "1.24.2, go1.24.2, go1.24.2",
        "3.8.7, 3.8, 3.8",
        "3.9.0, 3.8, ''",
        "3.8.7, latest, ''",
    })
    void approvedVersionsAreExactAtTheirOwnPrecision(String installed, String approved, String expected) {
        List<String> list = Arrays.asList(approved.split("\\|"));
        assertThat(VersionMatch.approvedBy(Semver.parse(installed), list, UnaryOperator.identity()))
                .isEqualTo(expected.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(expected));
    }

    @ParameterizedTest
    @CsvSource({"8.0.412, 1.8, true", "8.0.412, 8, true", "11.0.2, 1.8, false"})
    void approvedJavaVersionsInTheLegacySchemeToo(String installed, String approved, boolean expected) {
        assertThat(VersionMatch.approvedBy(Semver.parse(installed), List.of(approved), VersionMatch::javaScheme))
                .isEqualTo(expected ? java.util.Optional.of(approved) : java.util.Optional.empty());
    }
}
