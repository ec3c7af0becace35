package dev.ota.core.fulfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PackageVersionTest {

    @Test
    void ordersAsDpkgDoes() {
        assertThat(PackageVersion.compare("1.6-2.1+deb12u3", "1.6-2.1+deb12u2")).isPositive();
        assertThat(PackageVersion.compare("1.6-2.1+deb12u10", "1.6-2.1+deb12u3")).isPositive();
        assertThat(PackageVersion.compare("1.7.1-1", "1.6-2.1+deb12u3")).isPositive();
        assertThat(PackageVersion.compare("1.0~rc1-1", "1.0-1")).isNegative();
        assertThat(PackageVersion.compare("1:0.9-1", "2.0-1")).isPositive();
        assertThat(PackageVersion.compare("1.0a", "1.0")).isPositive();
        assertThat(PackageVersion.compare("1.0+", "1.0a")).isPositive(); // letters sort before other symbols
        assertThat(PackageVersion.compare("1.0", "1.0-0")).isZero();
        assertThat(PackageVersion.compare("17.0.12+7-2~deb12u1", "17.0.12+7-2")).isNegative();
        assertThat(PackageVersion.compare("1.7.1-r10", "1.7.1-r9")).isPositive(); // Alpine revisions
        assertThat(PackageVersion.compare("010", "10")).isZero();
        assertThat(List.of("1.6-2.1+deb12u2", "1.7-1", "1.6-2.1+deb12u3").stream().map(PackageVersion::parse)
                .sorted(PackageVersion.NEWEST_FIRST).map(PackageVersion::full))
                .containsExactly("1.7-1", "1.6-2.1+deb12u3", "1.6-2.1+deb12u2");
    }

    @Test
    void splitsEpochUpstreamAndRevision() {
        PackageVersion v = PackageVersion.parse("1:2.39.2-1+deb12u1");
        assertThat(v.epoch()).isEqualTo(1);
        assertThat(v.upstream()).isEqualTo("2.39.2");
        assertThat(v.revision()).isEqualTo("1+deb12u1");
        assertThat(v.withoutEpoch()).isEqualTo("2.39.2-1+deb12u1");
        assertThat(v.comparable(UnaryOperator.identity())).hasValueSatisfying(s -> assertThat(s.getVersion()).isEqualTo("2.39.2"));
        assertThat(PackageVersion.parse("17.0.12+7-2~deb12u1").comparable(UnaryOperator.identity()))
                .hasValueSatisfying(s -> assertThat(s.getVersion()).isEqualTo("17.0.12"));
    }

    @Test
    void approvedVersionsAreUpstreamAtTheirPrecisionOrExactPackageVersions() {
        PackageVersion u3 = PackageVersion.parse("1.6-2.1+deb12u3");
        UnaryOperator<String> id = UnaryOperator.identity();
        assertThat(u3.approvedBy("1.6", id)).isTrue();
        assertThat(u3.approvedBy("1", id)).isTrue();
        assertThat(u3.approvedBy("1.6.0", id)).isTrue();
        assertThat(u3.approvedBy("1.5", id)).isFalse();
        assertThat(u3.approvedBy("1.6-2.1+deb12u3", id)).isTrue();
        assertThat(u3.approvedBy("1.6-2.1+deb12u2", id)).isFalse(); // exact package versions must match exactly
        assertThat(PackageVersion.isExact("1.6.20-1")).isTrue();
        assertThat(PackageVersion.isExact("1.6")).isFalse();
        assertThat(PackageVersion.parse("1:2.39.2-1").approvedBy("2.39.2-1", id)).isTrue(); // epoch may be left out
        assertThat(PackageVersion.parse("1:2.39.2-1").approvedBy("1:2.39.2-1", id)).isTrue();
        assertThat(PackageVersion.parse("1.8.0.412-1").approvedBy("8", VersionMatch::javaScheme)).isTrue();
    }
}
