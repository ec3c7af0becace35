package dev.ota.maven.plugin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class InputCollectorTest {

    @Test
    void takesOnlyPropertiesWithTheInputPrefix() {
        Properties user = props("ota.input.base_url", "http://127.0.0.1:9999", "ota.task", "sandbox", "other", "x");

        assertThat(InputCollector.collect(null, null, user)).containsExactly(Map.entry("base_url", "http://127.0.0.1:9999"));
    }

    @Test
    void commandLineWinsOverSystemPropertiesWhichWinOverPom() {
        Map<String, String> pom = new LinkedHashMap<>();
        pom.put("base_url", "from-pom");
        pom.put("region", "eu");
        pom.put("mode", "pom-mode");
        Properties system = props("ota.input.base_url", "from-system", "ota.input.mode", "system-mode");
        Properties user = props("ota.input.base_url", "from-cli");

        assertThat(InputCollector.collect(pom, system, user))
                .containsExactly(
                        Map.entry("base_url", "from-cli"), Map.entry("mode", "system-mode"), Map.entry("region", "eu"));
    }

    @Test
    void ignoresTheBarePrefixAndBlankPomNames() {
        Map<String, String> pom = new LinkedHashMap<>();
        pom.put(" ", "x");
        pom.put("empty", null);
        Properties user = props("ota.input.", "nameless");

        assertThat(InputCollector.collect(pom, null, user)).containsExactly(Map.entry("empty", ""));
    }

    @Test
    void emptyEverywhereGivesNoInputs() {
        assertThat(InputCollector.collect(null, new Properties(), null)).isEmpty();
    }

    private static Properties props(String... keyValues) {
        Properties p = new Properties();
        for (int i = 0; i < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
