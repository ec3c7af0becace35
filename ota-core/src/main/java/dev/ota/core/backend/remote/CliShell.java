package dev.ota.core.backend.remote;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.ChildProcesses;
import dev.ota.core.backend.Interrupts;
import dev.ota.core.backend.posix.ScriptResult;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code tsh}, {@code kubectl} and {@code daytona} providers: every remote step is one run of
 * the provider's own CLI, so its login, context and config apply exactly as on the command line.
 * <ul>
 *   <li>{@code tsh ssh <target> -- <command>} (one quoted command string, as for ssh)</li>
 *   <li>{@code kubectl exec <target> -- sh <flags> <script> ota <args...>} (the current kube context)</li>
 *   <li>{@code daytona exec <target> -- sh -c <command>}</li>
 * </ul>
 */
public final class CliShell implements RemoteShell {


    private final RemoteEndpoint endpoint;
    private final Map<String, String> environment;
    private Path executable;

    /** @param environment the build's environment (its {@code PATH} finds the CLI) */
    public CliShell(RemoteEndpoint endpoint, Map<String, String> environment) {
        if (!List.of("tsh", "kubectl", "daytona").contains(endpoint.provider())) {
            throw new IllegalArgumentException("not a CLI provider: " + endpoint.provider());
        }
        this.endpoint = endpoint;
        this.environment = environment;
    }

    @Override
    public String describe() {
        return switch (endpoint.provider()) {
            case "tsh" -> "tsh ssh " + endpoint.target();
            case "kubectl" -> "kubectl exec " + endpoint.target();
            default -> "daytona exec " + endpoint.target();
        };
    }

    @Override
    public String resolvedTarget() {
        return endpoint.target();
    }

    @Override
    public synchronized void connect() throws BackendException {
        if (executable != null) {
            return;
        }
        String name = endpoint.provider();
        String path = environment.getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                executable = candidate;
                return;
            }
        }
        throw new BackendException("remote provider `" + name + "` runs through the `" + name + "` command, and none is on"
                + " PATH; install it and check that `" + example() + "` works outside ota, or choose another"
                + " `remote.provider`");
    }

    private String example() {
        return switch (endpoint.provider()) {
            case "tsh" -> "tsh ssh " + endpoint.target() + " true";
            case "kubectl" -> "kubectl exec " + endpoint.target() + " -- true";
            default -> "daytona exec " + endpoint.target() + " -- true";
        };
    }

    /** The exact argv that runs {@code sh <flags> <script> ota <args...>} on the target. */
    List<String> argv(String shellFlags, String script, List<String> args) {
        List<String> argv = new ArrayList<>();
        argv.add(executable == null ? endpoint.provider() : executable.toString());
        switch (endpoint.provider()) {
            case "tsh" -> argv.addAll(List.of("ssh", endpoint.target(), "--", ShellQuote.shCommand(shellFlags, script, args)));
            case "kubectl" -> {
                argv.addAll(List.of("exec", endpoint.target(), "--", "sh", shellFlags, script, "ota"));
                argv.addAll(args);
            }
            default -> argv.addAll(List.of("exec", endpoint.target(), "--", "sh", "-c",
                    ShellQuote.shCommand(shellFlags, script, args)));
        }
        return argv;
    }

    private Process start(List<String> argv, boolean mergeErrors) throws BackendException {
        ProcessBuilder pb = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(mergeErrors);
        pb.environment().clear();
        pb.environment().putAll(environment);
        try {
            return pb.start();
        } catch (IOException e) {
            throw new BackendException("cannot run `" + argv.get(0) + "` for remote provider `" + endpoint.provider() + "`: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout)
            throws BackendException, InterruptedException {
        return run(shellFlags, script, args, timeout, true);
    }

    private ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout, boolean interruptible)
            throws BackendException, InterruptedException {
        connect();
        Process p = start(argv(shellFlags, script, args), false);
        CompletableFuture<String> out = ChildProcesses.readAll(p.getInputStream());
        CompletableFuture<String> err = ChildProcesses.readAll(p.getErrorStream());
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                        ChildProcesses.destroyTree(p);
                        throw new BackendException("`" + describe() + "` did not finish within " + timeout.toSeconds() + " s");
                    }
                    break;
                } catch (InterruptedException e) {
                    if (interruptible) {
                        ChildProcesses.destroyTree(p);
                        throw e;
                    }
                    interrupted = true;
                }
            }
            return new ScriptResult(p.exitValue(), out.join(), err.join());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public ScriptResult runToEnd(String shellFlags, String script, List<String> args, Duration timeout)
            throws BackendException {
        return Interrupts.uninterruptibly(() -> run(shellFlags, script, args, timeout, false));
    }

    @Override
    public int stream(String shellFlags, String script, List<String> args, Consumer<String> lines)
            throws BackendException, InterruptedException {
        connect();
        Process p = start(argv(shellFlags, script, args), true);
        CompletableFuture<Void> pump = CompletableFuture.runAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    lines.accept(line);
                }
            } catch (IOException ignored) {
                // the CLI ended
            }
        }, ChildProcesses.READERS);
        try {
            int code = p.waitFor();
            pump.get(5, TimeUnit.SECONDS);
            return code;
        } catch (InterruptedException e) {
            ChildProcesses.destroyTree(p);
            throw e;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return p.exitValue();
        }
    }



    @Override
    public void close() {
        // nothing stays open between CLI runs
    }
}
