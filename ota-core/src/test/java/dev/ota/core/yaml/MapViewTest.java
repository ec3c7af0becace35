package dev.ota.core.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ota.core.diagnostics.Diagnostic;
import dev.ota.core.diagnostics.Diagnostics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The located YAML view: merge keys, typed getters, unknown keys and hints. */
class MapViewTest {

    private final Diagnostics diags = new Diagnostics();

    private MapView parse(String yaml) {
        return YamlDocument.parse(yaml.getBytes(StandardCharsets.UTF_8), "contract", new ReadContext("f.yaml", diags))
                .orElseThrow();
    }

    @Test
    void mergeKeysExplicitWinsEarlierMergeWinsAndNothingIsReportedTwice() {
        MapView root = parse("""
                a: &a { x: from-a, y: from-a }
                b: &b { y: from-b, z: from-b, <<: *a }
                c:
                  <<: [*a, *b, *a, *b]
                  x: own
                """);
        MapView c = root.map("c");
        assertThat(c.string("x")).isEqualTo("own");
        assertThat(c.string("y")).isEqualTo("from-a");
        assertThat(c.string("z")).isEqualTo("from-b");
        assertThat(c.keys()).containsExactly("x", "y", "z");
        c.finish(Set.of("x", "y", "z"), Set.of());
        assertThat(diags.sorted()).isEmpty();
    }

    @Test
    void typedGettersReportAndReturnNull() {
        MapView root = parse("port: eighty\nflag: maybe\nlist: scalar\nok: 8080\n");
        assertThat(root.integer("port")).isNull();
        assertThat(root.bool("flag")).isNull();
        assertThat(root.stringList("list")).isNull();
        assertThat(root.integer("ok")).isEqualTo(8080);
        assertThat(diags.sorted()).extracting(Diagnostic::code).containsExactly("OTA_TYPE", "OTA_TYPE", "OTA_TYPE");
        assertThat(diags.sorted()).extracting(d -> d.location().line()).containsExactly(1, 2, 3);
    }

    @Test
    void nullValueIsAnEmptyMapping() {
        MapView root = parse("env:\n");
        assertThat(root.map("env").isEmpty()).isTrue();
        assertThat(diags.sorted()).isEmpty();
    }

    @Test
    void unknownKeyGetsHintAndNotImplementedKeyIsDeferred() {
        MapView root = parse("tsks: {}\nchecks: {}\n");
        root.finish(Set.of("tasks"), Set.of("checks"));
        assertThat(diags.sorted()).singleElement().satisfies(d -> {
            assertThat(d.code()).isEqualTo("OTA_UNKNOWN_KEY");
            assertThat(d.fix()).isEqualTo("did you mean `tasks`?");
        });
        root.context().reportUnsupported();
        assertThat(diags.warnings()).extracting(Diagnostic::code).containsExactly("OTA_FIELD_NOT_SUPPORTED");
    }

    @Test
    void closestNeedsASmallDistance() {
        assertThat(Nodes.closest("contxt", List.of("context", "extends"))).isEqualTo("context");
        assertThat(Nodes.closest("zzzz", List.of("context", "extends"))).isNull();
        assertThat(Nodes.distance("kitten", "sitting")).isEqualTo(3);
    }
}
