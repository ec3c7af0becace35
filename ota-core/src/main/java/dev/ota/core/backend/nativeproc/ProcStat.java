package dev.ota.core.backend.nativeproc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of Linux {@code /proc/<pid>/stat} the native backend needs.
 *
 * @param state one-letter process state ({@code R}, {@code S}, {@code Z} …)
 * @param pgrp process group id
 * @param session session id
 * @param startTime field 22: time the process started after boot, in clock ticks; stable across
 *     {@code exec}, so together with the pid it identifies one process (pids are reused)
 */
public record ProcStat(long pid, String comm, char state, long ppid, long pgrp, long session, long startTime) {

    static final Path PROC = Path.of("/proc");

    /** Zombies ({@code Z}) and dead tasks ({@code X}) have exited; they only wait to be reaped. */
    public boolean exited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** Whether the process group of this process is led by it (it is the leader ota started). */
    public boolean leadsGroup() {
        return pgrp == pid;
    }

    /** Whether Linux {@code /proc} is available on this machine. */
    public static boolean procAvailable() {
        return Files.isReadable(PROC.resolve("self").resolve("stat"));
    }

    /** The stat of {@code pid}, empty when there is no such process (or it just vanished). */
    public static Optional<ProcStat> read(long pid) {
        if (pid <= 0) {
            return Optional.empty();
        }
        try {
            String text = Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"), StandardCharsets.UTF_8);
            return Optional.ofNullable(parse(text));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether the process that was started as ({@code pid}, {@code startTime}) is still running:
     * the pid exists, is not a zombie and has the same start time.
     */
    public static boolean running(long pid, long startTime) {
        return read(pid).filter(s -> !s.exited() && s.startTime == startTime).isPresent();
    }

    /** Every process currently listed in {@code /proc}. */
    public static List<ProcStat> all() {
        List<ProcStat> out = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (name.isEmpty() || !name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                read(Long.parseLong(name)).ifPresent(out::add);
            }
        } catch (IOException e) {
            // no /proc: nothing to list
        }
        return out;
    }

    /**
     * Parses one stat line. The command name (field 2) is in parentheses and may itself contain
     * spaces and parentheses, so fields are counted from the last {@code ')'}.
     */
    public static ProcStat parse(String text) {
        int open = text.indexOf('(');
        int close = text.lastIndexOf(')');
        if (open < 0 || close < open) {
            return null;
        }
        long pid = Long.parseLong(text.substring(0, open).trim());
        String comm = text.substring(open + 1, close);
        String[] f = text.substring(close + 1).trim().split("\\s+");
        // f[0] is field 3 (state), so field n is f[n - 3]
        if (f.length < 20) {
            return null;
        }
        return new ProcStat(
                pid,
                comm,
                f[0].charAt(0),
                Long.parseLong(f[1]),
                Long.parseLong(f[2]),
                Long.parseLong(f[3]),
                Long.parseLong(f[19]));
    }
}
