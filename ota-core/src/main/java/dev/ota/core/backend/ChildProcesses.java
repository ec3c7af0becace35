package dev.ota.core.backend;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Reading and ending the short-lived helper processes ota-maven runs (provider CLIs, local scripts). */
public final class ChildProcesses {

    /**
     * One daemon thread per stream, never the common ForkJoinPool, whose few threads long attached
     * reads would hold (starving every later step); daemon, so a grandchild that keeps a pipe open
     * never keeps the JVM alive.
     */
    public static final Executor READERS = task -> {
        Thread t = new Thread(task, "ota-child-output");
        t.setDaemon(true);
        t.start();
    };

    private ChildProcesses() {}

    /** The whole stream as text, read in the background ("" when it breaks). */
    public static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }, READERS);
    }

    /** Kills the process and every descendant at once. */
    public static void destroyTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
