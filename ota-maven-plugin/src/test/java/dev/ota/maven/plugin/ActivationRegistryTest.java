package dev.ota.maven.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.WorkloadHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.execution.DefaultMavenExecutionResult;
import org.apache.maven.execution.MavenSession;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/** The hand-off between ota:activate, ota:deactivate, the JVM shutdown hook and the core extension. */
class ActivationRegistryTest {

    @SuppressWarnings("deprecation")
    static MavenSession session() {
        return new MavenSession(null, new DefaultRepositorySystemSession(), new DefaultMavenExecutionRequest(),
                new DefaultMavenExecutionResult());
    }

    static TargetActivation started(String producer, long pid) {
        return new TargetActivation("it", "api", producer, "http", "ensure_ready", "started_ready", true, true, "",
                new WorkloadHandle("native", pid, 42L, null), null, "http://127.0.0.1:18121/", Duration.ZERO,
                Path.of("repo"));
    }

    @Test
    void whatWasStartedIsTakenOnce() {
        MavenSession session = session();
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("serve", 11)));
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("dev", 12)));
        assertThat(ActivationRegistry.registered(session, "a/ota.yaml")).isTrue();
        assertThat(ActivationRegistry.take(session, "a/ota.yaml")).extracting(TargetActivation::producer)
                .containsExactly("serve", "dev");
        assertThat(ActivationRegistry.take(session, "a/ota.yaml")).isEmpty();
    }

    @Test
    void theLedgerCarriesTheSameProducersAsJsonForTheExtension() {
        MavenSession session = session();
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("serve", 11)));
        Object ledger = session.getRepositorySession().getData().get(ActivationRegistry.LEDGER_KEY);
        assertThat(ledger).isInstanceOf(Map.class);
        assertThat(((Map<?, ?>) ledger).get("a/ota.yaml").toString()).contains("\"producer\":\"serve\"", "\"pid\":11");
    }

    @Test
    void onceTheExtensionTookTheLedgerThereIsNothingLeftToStop() {
        // the core extension's afterSessionEnd stopped them (failed build) or left them up (successful
        // build) and emptied the ledger: the plugin's JVM shutdown hook must find nothing
        MavenSession session = session();
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("serve", 11)));
        ((Map<?, ?>) session.getRepositorySession().getData().get(ActivationRegistry.LEDGER_KEY)).clear();
        assertThat(ActivationRegistry.take(session, "a/ota.yaml")).isEmpty();
    }

    @Test
    void theExtensionAnnouncesItselfInTheSessionData() {
        MavenSession session = session();
        assertThat(ActivationRegistry.extensionActive(session)).isFalse();
        session.getRepositorySession().getData().set(ActivationRegistry.EXTENSION_KEY, Boolean.TRUE);
        assertThat(ActivationRegistry.extensionActive(session)).isTrue();
    }

    @Test
    void atTheEndOfASuccessfulBuildTheExtensionHearsWhatKeepsRunning() {
        MavenSession session = session();
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("serve", ProcessHandle.current().pid())));
        List<String> lines = new java.util.ArrayList<>();
        ActivationRegistry.sessionEnd(session, false, lines::add, Map.of());
        assertThat(lines).containsExactly("ota:activate leaves 1 producer(s) running (no ota:deactivate in this build): "
                + "`serve` (pid " + ProcessHandle.current().pid() + ", repo repo); `mvn ota:clean` in repo repo stops them");
        assertThat(ActivationRegistry.take(session, "a/ota.yaml")).isEmpty();
    }

    @Test
    void atTheEndOfAFailedBuildTheyAreStopped() throws Exception {
        MavenSession session = session();
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        ActivationRegistry.add(session, "a/ota.yaml", List.of(started("serve", gone.pid())));
        List<String> lines = new java.util.ArrayList<>();
        ActivationRegistry.publishSessionEnd(session, Map.of());
        @SuppressWarnings("unchecked")
        java.util.function.BiConsumer<Boolean, java.util.function.Consumer<String>> atEnd =
                (java.util.function.BiConsumer<Boolean, java.util.function.Consumer<String>>) session.getRepositorySession()
                        .getData().get(ActivationRegistry.SESSION_END_KEY);
        atEnd.accept(true, lines::add);
        assertThat(lines).containsExactly("the build failed before ota:deactivate; stopping 1 producer(s) ota:activate started",
                "`serve` (pid " + gone.pid() + ") had already stopped");
        assertThat(ActivationRegistry.take(session, "a/ota.yaml")).isEmpty();
    }
}
