package dev.ota.core.receipt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Writes receipts under {@code <otaDir>/receipts/} (the plugin passes {@code target/ota}):
 * <ul>
 *   <li>{@code <yyyyMMdd'T'HHmmss.SSS'Z'>-<goal>-<task>.json}, named after the receipt's
 *       {@code finished_at} in UTC (without a task: {@code <timestamp>-<goal>.json}; a name that is
 *       taken gets {@code -2}, {@code -3}, ...); never overwritten;</li>
 *   <li>{@code latest.json}, replaced atomically (temp file + atomic move) by every write;</li>
 * </ul>
 * and keeps the newest {@value #DEFAULT_KEEP} timestamped receipts (by name, i.e. by time), never
 * touching {@code latest.json} or files it did not name. No temp file outlives a write.
 */
public final class ReceiptWriter {

    public static final int DEFAULT_KEEP = 50;
    public static final String DIRECTORY = "receipts";
    public static final String LATEST = "latest.json";

    static final DateTimeFormatter FILE_TIMESTAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    /** Names this writer gives: timestamp, goal, optional task, optional collision counter. */
    static final Pattern RECEIPT_NAME =
            Pattern.compile("^\\d{8}T\\d{6}\\.\\d{3}Z-(run|activate|deactivate|clean)(-[A-Za-z0-9._-]+)?\\.json$");
    private static final int MAX_TASK_CHARS = 80;
    private static final String TEMP_PREFIX = ".receipt-";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;
    private final int keep;

    /** @param otaDir the ota output directory, normally {@code target/ota} */
    public ReceiptWriter(Path otaDir) {
        this(otaDir, DEFAULT_KEEP);
    }

    public ReceiptWriter(Path otaDir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be >= 1: " + keep);
        }
        this.directory = otaDir.resolve(DIRECTORY);
        this.keep = keep;
    }

    /** {@code <otaDir>/receipts}. */
    public Path directory() {
        return directory;
    }

    public Path latest() {
        return directory.resolve(LATEST);
    }

    /**
     * Writes the receipt and {@code latest.json}, then prunes old receipts.
     *
     * @return the timestamped receipt file
     */
    public Path write(Receipt receipt) throws IOException {
        Files.createDirectories(directory);
        byte[] json = (ReceiptJson.toJson(receipt) + "\n").getBytes(StandardCharsets.UTF_8);
        Path written = writeNew(json, baseName(receipt));
        replace(latest(), json);
        prune();
        return written;
    }

    /** Timestamped receipt files, newest first. */
    public List<Path> list() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory)) {
            for (Path p : stream) {
                if (RECEIPT_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p)) {
                    files.add(p);
                }
            }
        }
        files.sort(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed());
        return files;
    }

    /** {@code <timestamp>-<goal>-<task>.json} for a receipt (without collision counter). */
    public static String fileName(Receipt receipt) {
        return baseName(receipt) + ".json";
    }

    /**
     * A task name as it may appear in a file name: letters, digits, {@code .}, {@code _} and
     * {@code -} are kept, anything else becomes {@code _}; no leading dot; at most 80 characters.
     */
    public static String fileSafe(String name) {
        StringBuilder out = new StringBuilder();
        for (char c : name.toCharArray()) {
            boolean keepChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == '-';
            out.append(keepChar ? c : '_');
        }
        if (out.length() > 0 && out.charAt(0) == '.') {
            out.setCharAt(0, '_');
        }
        if (out.length() > MAX_TASK_CHARS) {
            out.setLength(MAX_TASK_CHARS);
        }
        return out.length() == 0 ? "_" : out.toString();
    }

    private static String baseName(Receipt receipt) {
        String base = FILE_TIMESTAMP.format(receipt.finishedAt()) + "-" + receipt.goal().word();
        return receipt.task() == null || receipt.task().isEmpty() ? base : base + "-" + fileSafe(receipt.task());
    }

    /**
     * Publishes the content under the first free name {@code base.json}, {@code base-2.json}, ...
     * The complete temp file is hard-linked to the new name (atomic, fails if the name is taken);
     * where hard links are not available it is moved.
     */
    private Path writeNew(byte[] json, String base) throws IOException {
        Path tmp = temp(json);
        try {
            for (int n = 1; ; n++) {
                Path target = directory.resolve(n == 1 ? base + ".json" : base + "-" + n + ".json");
                if (Files.exists(target)) {
                    continue;
                }
                try {
                    Files.createLink(target, tmp);
                    return target;
                } catch (FileAlreadyExistsException taken) {
                    // raced with another writer: try the next name
                } catch (UnsupportedOperationException | IOException noLinks) {
                    if (Files.exists(target)) {
                        continue;
                    }
                    Files.move(tmp, target);
                    return target;
                }
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void replace(Path target, byte[] json) throws IOException {
        Path tmp = temp(json);
        try {
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private Path temp(byte[] json) throws IOException {
        Path tmp = Files.createTempFile(directory, TEMP_PREFIX, TEMP_SUFFIX);
        try {
            Files.write(tmp, json);
            return tmp;
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    /** Deletes all but the newest {@code keep} timestamped receipts. */
    private void prune() throws IOException {
        List<Path> files = list();
        for (int i = keep; i < files.size(); i++) {
            Files.deleteIfExists(files.get(i));
        }
    }
}
