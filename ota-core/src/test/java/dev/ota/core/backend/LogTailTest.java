package dev.ota.core.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void lastLinesOfALargeFileAcrossChunkBoundaries() throws IOException {
        Path log = dir.resolve("big.log");
        List<String> lines = IntStream.range(0, 5000)
                .mapToObj(i -> "line " + i + " " + "x".repeat(i % 97))
                .collect(Collectors.toList());
        Files.write(log, lines);
        assertThat(LogTail.read(log, 20)).containsExactlyElementsOf(lines.subList(4980, 5000));
        assertThat(LogTail.read(log, 1)).containsExactly(lines.get(4999));
    }

    @Test
    void withoutTrailingNewlineCrlfAndUtf8() throws IOException {
        Path log = dir.resolve("odd.log");
        Files.writeString(log, "a\r\nb\nübung ✓\nlast", StandardCharsets.UTF_8);
        assertThat(LogTail.read(log, 3)).containsExactly("b", "übung ✓", "last");
        assertThat(LogTail.read(log, 10)).containsExactly("a", "b", "übung ✓", "last");
    }

    @Test
    void emptyMissingAndNonPositive() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.log"));
        assertThat(LogTail.read(empty, 5)).isEmpty();
        assertThat(LogTail.read(dir.resolve("missing.log"), 5)).isEmpty();
        Files.writeString(empty, "x\n");
        assertThat(LogTail.read(empty, 0)).isEmpty();
        assertThat(LogTail.read(empty, 5)).containsExactly("x");
    }

    @Test
    void aHugeLastLineIsCappedNotLoadedWhole() throws IOException {
        Path log = dir.resolve("huge.log");
        List<String> lines = new ArrayList<>(List.of("first", "y".repeat(3 << 20)));
        Files.write(log, lines);
        List<String> tail = LogTail.read(log, 2);
        assertThat(tail).hasSize(1);
        assertThat(tail.get(0).length()).isLessThanOrEqualTo(2 << 20);
    }
}
