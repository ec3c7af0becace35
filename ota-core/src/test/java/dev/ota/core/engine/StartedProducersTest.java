package dev.ota.core.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.activate.TargetActivation;
import dev.ota.core.backend.WorkloadHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class StartedProducersTest {

    @Test
    void roundTripsWhatIsNeededToStopAProducerWithoutItsContract() {
        WorkloadHandle handle = new WorkloadHandle("container:abc123", 42, 7777, Path.of("/srv/app/.ota/state/logs/api.log"));
        TargetActivation started = new TargetActivation("it", "catalog", "api", "http", "ensure_ready", "started_ready", true,
                true, "no record", handle, null, "http://127.0.0.1:18111/", Duration.ofMillis(5), Path.of("/srv/app/catalog"));
        TargetActivation reusedWithoutProcess = new TargetActivation("it", "x", "y", "http", "manual", "manual", false, false,
                "", null, null, null, Duration.ZERO, null);

        List<StartedProducers.Entry> entries = StartedProducers.fromJson(
                StartedProducers.toJson(List.of(started, reusedWithoutProcess)));

        assertThat(entries).singleElement().satisfies(e -> {
            assertThat(e.producer()).isEqualTo("api");
            assertThat(e.repo()).isEqualTo(Path.of("/srv/app/catalog"));
            assertThat(e.handle()).isEqualTo(handle);
            assertThat(e.consumer()).isEqualTo("it");
            assertThat(e.target()).isEqualTo("catalog");
            assertThat(e.url()).isEqualTo("http://127.0.0.1:18111/");
        });
    }

    @Test
    void rejectsTextThatIsNotAList() {
        assertThatThrownBy(() -> StartedProducers.fromJson("{not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a started-producers list");
    }
}
