package dev.ota.core.probe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.diagnostics.SourceLocation;
import dev.ota.core.model.Listener;
import dev.ota.core.model.Readiness;
import dev.ota.core.model.Site;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link ProbeSpecs}, {@link ProbeSpec} defaults and {@link Probes#of}. */
class ProbeSpecsTest {

    static final Site SITE = Site.synthetic(SourceLocation.ofFile("ota.yaml"));

    static Listener listener(String name, String protocol) {
        return new Listener(name, protocol, new Listener.Bind("127.0.0.1", "fixed", 8080, SITE),
                new Listener.HostProjection("127.0.0.1", "fixed", 8080, true, "/", SITE), true, SITE);
    }

    static Readiness http(String listener) {
        return new Readiness(null, "http", listener, "HEAD", "/health", Map.of("X-A", "1"), List.of(200, 204), null,
                Duration.ofMillis(100), Duration.ofSeconds(1), 60, Duration.ofSeconds(3), SITE);
    }

    @Test
    void httpReadinessCarriesEverything() {
        ProbeSpec s = ProbeSpecs.fromReadiness("dev", http("http"), listener("http", "http"), "127.0.0.1", 18080);
        assertThat(s.label()).isEqualTo("dev.http");
        assertThat(s.kind()).isEqualTo("http");
        assertThat(s.scheme()).isEqualTo("http");
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(18080);
        assertThat(s.method()).isEqualTo("HEAD");
        assertThat(s.path()).isEqualTo("/health");
        assertThat(s.headers()).containsEntry("X-A", "1");
        assertThat(s.successStatus()).containsExactly(200, 204);
        assertThat(s.interval()).isEqualTo(Duration.ofMillis(100));
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(s.retries()).isEqualTo(60);
        assertThat(s.maxAttempts()).isEqualTo(60);
        assertThat(s.startPeriod()).isEqualTo(Duration.ofSeconds(3));
        assertThat(s.uri()).isEqualTo(URI.create("http://127.0.0.1:18080/health"));
        assertThat(s.target()).isEqualTo("http HEAD http://127.0.0.1:18080/health");
    }

    @Test
    void httpsListenerGivesHttpsScheme() {
        ProbeSpec s = ProbeSpecs.fromReadiness("api", http("web"), listener("web", "https"), "localhost", 8443);
        assertThat(s.uri()).isEqualTo(URI.create("https://localhost:8443/health"));
        assertThat(s.label()).isEqualTo("api.web");
    }

    @Test
    void tcpReadinessDropsHttpFieldsAndFillsDefaults() {
        Readiness r = new Readiness(null, "tcp", "db", null, null, null, null, null, null, null, null, null, SITE);
        ProbeSpec s = ProbeSpecs.fromReadiness("pg", r, listener("db", "tcp"), "127.0.0.1", 5432);
        assertThat(s.kind()).isEqualTo("tcp");
        assertThat(s.label()).isEqualTo("pg.db");
        assertThat(s.interval()).isEqualTo(ProbeSpec.DEFAULT_INTERVAL);
        assertThat(s.timeout()).isEqualTo(ProbeSpec.DEFAULT_TIMEOUT);
        assertThat(s.retries()).isEqualTo(ProbeSpec.DEFAULT_RETRIES);
        assertThat(s.startPeriod()).isZero();
        assertThat(s.target()).isEqualTo("tcp 127.0.0.1:5432");
        assertThat(Probes.of(s)).isInstanceOf(TcpProbe.class);
    }

    @Test
    void noReadinessMeansReachability() {
        ProbeSpec s = ProbeSpecs.fromReadiness("dev", null, listener("http", "http"), "127.0.0.1", 8080);
        assertThat(s).isEqualTo(ProbeSpecs.reachability("dev", listener("http", "http"), "127.0.0.1", 8080));
        assertThat(s.kind()).isEqualTo("tcp");
        assertThat(s.label()).isEqualTo("dev.http");
        assertThat(s.retries()).isEqualTo(ProbeSpec.DEFAULT_RETRIES);
    }

    @Test
    void readinessOfAnotherListenerIsRefused() {
        assertThatThrownBy(() -> ProbeSpecs.fromReadiness("dev", http("admin"), listener("http", "http"), "h", 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("`admin`");
    }

    @Test
    void namedProbeIsNotSupportedYet() {
        Readiness r = new Readiness("health", null, null, null, null, null, null, null, null, null, null, null, SITE);
        assertThatThrownBy(() -> ProbeSpecs.fromReadiness("dev", r, listener("http", "http"), "h", 1))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("`health`");
    }

    @Test
    void defaultsAndStatusAcceptance() {
        ProbeSpec s = new ProbeSpec("x.y", "http", "::1", 80, null, null, null, null, null, null, null, null, 0, null);
        assertThat(s.method()).isEqualTo("GET");
        assertThat(s.path()).isEqualTo("/");
        assertThat(s.uri()).isEqualTo(URI.create("http://[::1]:80/"));
        assertThat(s.accepts(200)).isTrue();
        assertThat(s.accepts(302)).isTrue();
        assertThat(s.accepts(399)).isTrue();
        assertThat(s.accepts(199)).isFalse();
        assertThat(s.accepts(404)).isFalse();
        assertThat(s.accepts(503)).isFalse();
    }

    @Test
    void badSpecsAreRejected() {
        assertThatThrownBy(() -> ProbeSpec.reachability("x.y", "127.0.0.1", 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ProbeSpec("x.y", "tcp", "h", 1, null, null, null, null, null, null,
                Duration.ofMillis(-1), null, 0, null)).isInstanceOf(IllegalArgumentException.class);
        ProbeSpec udp = new ProbeSpec("x.y", "udp", "h", 1, null, null, null, null, null, null, null, null, 0, null);
        assertThatThrownBy(() -> Probes.of(udp)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("udp");
    }
}
