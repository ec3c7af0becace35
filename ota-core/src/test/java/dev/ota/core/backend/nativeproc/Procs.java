package dev.ota.core.backend.nativeproc;

import dev.ota.core.backend.WorkloadHandle;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Test support for real processes: waits, /proc checks, and a reaper that SIGKILLs every process
 * a test started (with its group and descendants), whatever happened in the test.
 */
public final class Procs implements AutoCloseable {

    /** pid -> start time of everything to kill at the end. */
    private final Map<Long, Long> tracked = new LinkedHashMap<>();

    public synchronized WorkloadHandle track(WorkloadHandle handle) {
        tracked.put(handle.pid(), handle.startTime());
        return handle;
    }

    public synchronized void track(long pid) {
        ProcStat.read(pid).ifPresent(s -> tracked.put(pid, s.startTime()));
    }

    /** Tracks the pid and every current member of its session and group, and their descendants. */
    public synchronized List<ProcStat> trackTree(long pid) {
        List<ProcStat> tree = tree(pid);
        for (ProcStat s : tree) {
            tracked.put(s.pid(), s.startTime());
        }
        return tree;
    }

    /** The live processes of a workload: its session and group members and all their descendants. */
    public static List<ProcStat> tree(long pid) {
        List<ProcStat> all = ProcStat.all();
        List<ProcStat> out = new ArrayList<>();
        for (ProcStat s : all) {
            if (!s.exited() && (s.pid() == pid || s.pgrp() == pid || s.session() == pid)) {
                out.add(s);
            }
        }
        for (int i = 0; i < out.size(); i++) {
            long parent = out.get(i).pid();
            for (ProcStat s : all) {
                if (s.ppid() == parent && !s.exited() && out.stream().noneMatch(o -> o.pid() == s.pid())) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** SIGKILL to everything tracked (group, descendants, process) whose start time still matches. */
    @Override
    public synchronized void close() {
        for (Map.Entry<Long, Long> e : tracked.entrySet()) {
            long pid = e.getKey();
            Optional<ProcStat> s = ProcStat.read(pid);
            if (s.isEmpty() || s.get().startTime() != e.getValue()) {
                continue;
            }
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            h.ifPresent(ph -> ph.descendants().forEach(ProcessHandle::destroyForcibly));
            if (s.get().leadsGroup() && s.get().pgrp() != ownGroup()) {
                try {
                    new ProcessBuilder("sh", "-c", "kill -s KILL -- -" + pid)
                            .redirectOutput(Redirect.DISCARD).redirectError(Redirect.DISCARD)
                            .start().waitFor();
                } catch (IOException | InterruptedException ex) {
                    // best effort
                }
            }
            h.ifPresent(ProcessHandle::destroyForcibly);
        }
        tracked.clear();
    }

    public static long ownGroup() {
        return ProcStat.read(ProcessHandle.current().pid()).orElseThrow().pgrp();
    }

    public static long ownSession() {
        return ProcStat.read(ProcessHandle.current().pid()).orElseThrow().session();
    }

    /** Whether the process started as ({@code pid}, {@code startTime}) no longer runs (zombies count as gone). */
    public static boolean gone(ProcStat s) {
        return !ProcStat.running(s.pid(), s.startTime());
    }

    public static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }

    /** Waits until the file has a line containing {@code text}; returns that line. */
    public static String awaitLine(Path file, String text, Duration timeout) throws InterruptedException {
        String[] found = new String[1];
        await(() -> {
            try {
                if (!Files.exists(file)) {
                    return false;
                }
                for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                    if (line.contains(text)) {
                        found[0] = line;
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        }, timeout, "a line with '" + text + "' in " + file);
        return found[0];
    }

    /** The java launcher of the running JVM. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A class path made of the locations the given classes were loaded from. */
    public static String classpath(Class<?>... classes) {
        List<String> entries = new ArrayList<>();
        for (Class<?> c : classes) {
            try {
                String p = Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
                if (!entries.contains(p)) {
                    entries.add(p);
                }
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /** A test resource as a file. */
    public static Path resource(String name) {
        try {
            return Path.of(Procs.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
