package dev.ota.core.backend;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reads the last lines of a (possibly large, still growing) log file from its end. */
public final class LogTail {

    private static final int CHUNK = 8192;
    private static final long MAX_BYTES = 1 << 20;

    private LogTail() {}

    /** The last {@code n} lines of {@code file} (fewer when it has fewer), empty when it cannot be read. */
    public static List<String> read(Path file, int n) {
        if (n <= 0 || file == null || !Files.isRegularFile(file)) {
            return List.of();
        }
        try (SeekableByteChannel ch = Files.newByteChannel(file)) {
            long size = ch.size();
            long pos = size;
            int newlines = 0;
            List<byte[]> chunks = new ArrayList<>();
            long collected = 0;
            while (pos > 0 && newlines <= n && collected < MAX_BYTES) {
                int len = (int) Math.min(CHUNK, pos);
                pos -= len;
                ByteBuffer buf = ByteBuffer.allocate(len);
                ch.position(pos);
                while (buf.hasRemaining() && ch.read(buf) > 0) {
                    // fill
                }
                byte[] bytes = buf.array();
                int read = buf.position();
                for (int i = 0; i < read; i++) {
                    if (bytes[i] == '\n') {
                        newlines++;
                    }
                }
                chunks.add(0, read == len ? bytes : Arrays.copyOf(bytes, read));
                collected += read;
            }
            ByteArrayOutputStream all = new ByteArrayOutputStream((int) collected);
            for (byte[] c : chunks) {
                all.write(c);
            }
            String text = all.toString(StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
            if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
                lines.remove(lines.size() - 1); // the text ended with a newline
            }
            if (pos > 0 && lines.size() > n) {
                lines.remove(0); // a partial first line (kept, truncated, only when it is all there is)
            }
            List<String> out = new ArrayList<>();
            for (String l : lines.subList(Math.max(0, lines.size() - n), lines.size())) {
                out.add(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            }
            return out;
        } catch (IOException e) {
            return List.of();
        }
    }
}
