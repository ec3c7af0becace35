package dev.ota.core.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.backend.WorkloadSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

    static WorkloadSpec spec(List<String> argv, String cwd, Map<String, String> env) {
        return new WorkloadSpec("dev", argv, Path.of(cwd), env, Path.of("/logs/dev.log"));
    }

    final WorkloadSpec base = spec(List.of("sh", "-c", "java Server.java"), "/repo", Map.of("PORT", "8080", "MODE", "dev"));
    final String fp = Fingerprints.of(base, List.of("http 127.0.0.1:8080"));

    @Test
    void isSha256HexAndDeterministic() {
        assertThat(fp).matches("[0-9a-f]{64}");
        Map<String, String> reordered = new LinkedHashMap<>();
        reordered.put("MODE", "dev");
        reordered.put("PORT", "8080");
        assertThat(Fingerprints.of(spec(base.argv(), "/repo", reordered), List.of("http 127.0.0.1:8080"))).isEqualTo(fp);
        assertThat(Fingerprints.of(base, "http 127.0.0.1:8080")).isEqualTo(fp);
    }

    @Test
    void ignoresTaskNameLogFileAndExtraOrder() {
        WorkloadSpec other = new WorkloadSpec("renamed", base.argv(), base.cwd(), base.env(), Path.of("/elsewhere.log"));
        assertThat(Fingerprints.of(other, List.of("http 127.0.0.1:8080"))).isEqualTo(fp);
        assertThat(Fingerprints.of(base, List.of("a", "b"))).isEqualTo(Fingerprints.of(base, List.of("b", "a")));
    }

    @Test
    void changesWithEveryInput() {
        assertThat(Fingerprints.of(spec(List.of("sh", "-c", "java Server.java --debug"), "/repo", base.env()),
                List.of("http 127.0.0.1:8080"))).isNotEqualTo(fp);
        assertThat(Fingerprints.of(spec(base.argv(), "/other", base.env()), List.of("http 127.0.0.1:8080"))).isNotEqualTo(fp);
        assertThat(Fingerprints.of(spec(base.argv(), "/repo", Map.of("PORT", "8081", "MODE", "dev")),
                List.of("http 127.0.0.1:8080"))).isNotEqualTo(fp);
        assertThat(Fingerprints.of(spec(base.argv(), "/repo", Map.of("PORT", "8080")), List.of("http 127.0.0.1:8080")))
                .isNotEqualTo(fp);
        assertThat(Fingerprints.of(base, List.of("http 127.0.0.1:9090"))).isNotEqualTo(fp);
        assertThat(Fingerprints.of(base, List.of())).isNotEqualTo(fp);
    }

    @Test
    void fieldBoundariesAreUnambiguous() {
        assertThat(Fingerprints.of(spec(List.of("a b"), "/r", Map.of()), List.of()))
                .isNotEqualTo(Fingerprints.of(spec(List.of("a", "b"), "/r", Map.of()), List.of()));
        assertThat(Fingerprints.of(spec(List.of("x"), "/r", Map.of("A", "B=C")), List.of()))
                .isNotEqualTo(Fingerprints.of(spec(List.of("x"), "/r", Map.of("A=B", "C")), List.of()));
        assertThat(Fingerprints.of(spec(List.of("x"), "/r", Map.of()), List.of("y")))
                .isNotEqualTo(Fingerprints.of(spec(List.of("x", "y"), "/r", Map.of()), List.of()));
    }

    @Test
    void excludedEnvDoesNotCount() {
        WorkloadSpec withToken = spec(base.argv(), "/repo", Map.of("PORT", "8080", "MODE", "dev", "BUILD_ID", "42"));
        assertThat(Fingerprints.of(withToken, List.of("http 127.0.0.1:8080"), Set.of("BUILD_ID"))).isEqualTo(fp);
    }
}
