package dev.ota.core.receipt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReceiptWriterTest {

    @TempDir
    Path dir;

    private Path otaDir() {
        return dir.resolve("target").resolve("ota");
    }

    /** A READY run receipt of {@code task} finished at START + offset ms. */
    private static Receipt at(long offsetMillis, Goal goal, String task) {
        TestClock clock = new TestClock(Receipts.START);
        ReceiptBuilder b = Receipts.builder(goal, task, clock);
        clock.advance(offsetMillis);
        return b.succeed();
    }

    @Test
    void writesTimestampedReceiptAndLatest() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        Receipt receipt = Receipts.success();
        Path written = writer.write(receipt);

        assertThat(written).isEqualTo(otaDir().resolve("receipts").resolve("20260412T101011.343Z-run-sandbox.json"));
        assertThat(written).isRegularFile();
        assertThat(writer.latest()).isEqualTo(otaDir().resolve("receipts/latest.json")).isRegularFile();
        assertThat(Files.readString(writer.latest())).isEqualTo(Files.readString(written));
        assertThat(Files.readString(written)).endsWith("}\n");
        assertThat(ReceiptJson.read(written)).isEqualTo(receipt);
        SchemaSupport.assertValid(new ObjectMapper().readTree(written.toFile()));
        SchemaSupport.assertValid(new ObjectMapper().readTree(writer.latest().toFile()));
    }

    @Test
    void fileNamesCarryGoalAndFileSafeTask() {
        assertThat(ReceiptWriter.fileName(at(0, Goal.ACTIVATE, "api:reload-check")))
                .isEqualTo("20260412T101010.123Z-activate-api_reload-check.json");
        assertThat(ReceiptWriter.fileName(at(0, Goal.DEACTIVATE, "it")))
                .isEqualTo("20260412T101010.123Z-deactivate-it.json");
        assertThat(ReceiptWriter.fileName(Receipts.cleaned())).isEqualTo("20260412T101010.123Z-clean.json");
        assertThat(ReceiptWriter.fileSafe("../../etc/passwd")).isEqualTo("_._.._etc_passwd");
        assertThat(ReceiptWriter.fileSafe("web ui/é")).isEqualTo("web_ui__");
        assertThat(ReceiptWriter.fileSafe(".hidden")).isEqualTo("_hidden");
        assertThat(ReceiptWriter.fileSafe("")).isEqualTo("_");
        assertThat(ReceiptWriter.fileSafe("x".repeat(200))).hasSize(80);
        assertThat(ReceiptWriter.RECEIPT_NAME.matcher(ReceiptWriter.fileName(at(0, Goal.RUN, "a:b c"))).matches())
                .isTrue();
    }

    @Test
    void latestFollowsTheNewestWrite() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        writer.write(at(0, Goal.ACTIVATE, "it"));
        Path second = writer.write(at(1000, Goal.DEACTIVATE, "it"));
        assertThat(ReceiptJson.read(writer.latest()).goal()).isEqualTo(Goal.DEACTIVATE);
        assertThat(Files.readString(writer.latest())).isEqualTo(Files.readString(second));
        assertThat(writer.list()).extracting(p -> p.getFileName().toString()).containsExactly(
                "20260412T101011.123Z-deactivate-it.json", "20260412T101010.123Z-activate-it.json");
    }

    @Test
    void sameMillisecondDoesNotOverwrite() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        Path first = writer.write(at(0, Goal.RUN, "sandbox"));
        Path second = writer.write(at(0, Goal.RUN, "sandbox"));
        Path third = writer.write(at(0, Goal.RUN, "sandbox"));
        assertThat(first.getFileName()).hasToString("20260412T101010.123Z-run-sandbox.json");
        assertThat(second.getFileName()).hasToString("20260412T101010.123Z-run-sandbox-2.json");
        assertThat(third.getFileName()).hasToString("20260412T101010.123Z-run-sandbox-3.json");
        assertThat(writer.list()).hasSize(3);
    }

    @Test
    void keepsTheNewestFiftyAndNeverLatestOrForeignFiles() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        Files.createDirectories(writer.directory());
        Path notes = Files.writeString(writer.directory().resolve("notes.txt"), "mine");
        Path foreignJson = Files.writeString(writer.directory().resolve("baseline.json"), "{}");
        List<Path> written = new ArrayList<>();
        for (int i = 0; i < 55; i++) {
            written.add(writer.write(at(i * 1000L, i % 2 == 0 ? Goal.RUN : Goal.ACTIVATE, "t" + i)));
        }
        List<Path> kept = writer.list();
        assertThat(kept).hasSize(ReceiptWriter.DEFAULT_KEEP);
        assertThat(kept.get(0)).isEqualTo(written.get(54));
        assertThat(kept.get(49)).isEqualTo(written.get(5));
        for (int i = 0; i < 5; i++) {
            assertThat(written.get(i)).doesNotExist();
        }
        assertThat(writer.latest()).isRegularFile();
        assertThat(Files.readString(writer.latest())).isEqualTo(Files.readString(written.get(54)));
        assertThat(notes).hasContent("mine");
        assertThat(foreignJson).hasContent("{}");
        assertThat(names()).hasSize(50 + 3);
    }

    @Test
    void keepIsConfigurable() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir(), 3);
        for (int i = 0; i < 6; i++) {
            writer.write(at(i, Goal.RUN, "sandbox"));
        }
        assertThat(writer.list()).extracting(p -> p.getFileName().toString()).containsExactly(
                "20260412T101010.128Z-run-sandbox.json", "20260412T101010.127Z-run-sandbox.json",
                "20260412T101010.126Z-run-sandbox.json");
        assertThatThrownBy(() -> new ReceiptWriter(otaDir(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void leavesNoTempFiles() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        for (int i = 0; i < 5; i++) {
            writer.write(at(i, Goal.RUN, "sandbox"));
        }
        assertThat(names()).allMatch(n -> n.equals(ReceiptWriter.LATEST) || ReceiptWriter.RECEIPT_NAME.matcher(n).matches())
                .hasSize(6);
    }

    @Test
    void aFailedWriteLeavesNoTempFilesAndKeepsTheOldLatest() throws IOException {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        writer.write(at(0, Goal.RUN, "sandbox"));
        String before = Files.readString(writer.latest());
        // make latest.json impossible to replace: a non-empty directory in its place
        Files.delete(writer.latest());
        Files.createDirectories(writer.latest().resolve("blocker"));
        assertThatThrownBy(() -> writer.write(at(1000, Goal.RUN, "sandbox"))).isInstanceOf(IOException.class);
        assertThat(names()).noneMatch(n -> n.endsWith(".tmp") || n.startsWith("."));
        // the timestamped receipt of the failed write exists and is complete
        assertThat(writer.list()).hasSize(2);
        assertThat(ReceiptJson.read(writer.list().get(1))).isNotNull();
        assertThat(before).contains("\"status\" : \"READY\"");
    }

    @Test
    void concurrentWritersNeitherCollideNorLeaveTempFiles() throws Exception {
        ReceiptWriter writer = new ReceiptWriter(otaDir());
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Path>> futures = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return writer.write(at(0, Goal.RUN, "sandbox"));
                }));
            }
            go.countDown();
            List<Path> paths = new ArrayList<>();
            for (Future<Path> f : futures) {
                paths.add(f.get(20, TimeUnit.SECONDS));
            }
            assertThat(paths).doesNotHaveDuplicates().hasSize(16);
        } finally {
            pool.shutdownNow();
        }
        assertThat(writer.list()).hasSize(16);
        assertThat(names()).hasSize(17).noneMatch(n -> n.endsWith(".tmp"));
        SchemaSupport.assertValid(new ObjectMapper().readTree(writer.latest().toFile()));
    }

    private List<String> names() throws IOException {
        try (Stream<Path> files = Files.list(otaDir().resolve("receipts"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
