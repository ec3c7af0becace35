package dev.ota.core.fulfill;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.ChildProcesses;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link ScriptRunner} for the host ota-maven runs on: {@code sh -c script ota args...} as a
 * child process, stdin from {@code /dev/null}, bounded by the timeout (then the process and its
 * descendants are killed).
 */
public final class NativeScriptRunner implements ScriptRunner {


    private final Map<String, String> environment;
    private final Path workingDirectory;

    /** Runs with this process's environment, in its working directory. */
    public NativeScriptRunner() {
        this(Map.of(), null);
    }

    /**
     * @param environment set on top of this process's environment (e.g. a task's {@code PATH})
     * @param workingDirectory where the script runs, or {@code null} for this process's
     */
    public NativeScriptRunner(Map<String, String> environment, Path workingDirectory) {
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
    }

    @Override
    public ScriptResult run(String script, Duration timeout, String... args) throws BackendException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "ota"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().putAll(environment);
        if (workingDirectory != null) {
            pb.directory(workingDirectory.toFile());
        }
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BackendException("cannot run `sh` on this host: " + e.getMessage(), e);
        }
        CompletableFuture<String> out = ChildProcesses.readAll(p.getInputStream());
        CompletableFuture<String> err = ChildProcesses.readAll(p.getErrorStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            if (!p.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                ChildProcesses.destroyTree(p);
                throw new BackendException("a script on this host did not finish within " + timeout.toSeconds() + " s");
            }
            // A descendant that outlived sh may still hold the pipes: do not wait past the deadline for them.
            long left = Math.max(TimeUnit.SECONDS.toNanos(1), deadline - System.nanoTime());
            return new ScriptResult(p.exitValue(), out.get(left, TimeUnit.NANOSECONDS), err.get(left, TimeUnit.NANOSECONDS));
        } catch (InterruptedException e) {
            ChildProcesses.destroyTree(p);
            throw e;
        } catch (TimeoutException e) {
            ChildProcesses.destroyTree(p);
            throw new BackendException("a script on this host left a process holding its output past " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new BackendException("cannot read the output of a script on this host: " + e.getCause().getMessage(), e);
        }
    }


}
