package dev.ota.core.backend.remote;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptProbe;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeSpec;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * How ota-maven executes on one remote boundary: an SSH connection (sshj) or a provider CLI
 * ({@code tsh}, {@code kubectl}, {@code daytona}). Everything runs as {@code sh <flags> <script>
 * ota <args...>}, so scripts see their arguments as {@code $1...} and values are never re-parsed.
 */
public interface RemoteShell extends AutoCloseable {

    /** {@code ssh root@10.0.0.2:22}, {@code kubectl exec pod/dev}: for messages. */
    String describe();

    /** The target as it resolved ({@code root@10.0.0.2:22} for an SSH alias); the declared one by default. */
    String resolvedTarget();

    /** Opens the connection (SSH) or checks the CLI is there; idempotent. */
    void connect() throws BackendException, InterruptedException;

    /** Runs a script and collects its output, bounded by {@code timeout}. */
    ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout)
            throws BackendException, InterruptedException;

    /**
     * Like {@link #run}, but an interrupt does not cut it short (it is kept for the caller): for
     * steps whose result must not be lost, such as the pid of a service just started.
     */
    ScriptResult runToEnd(String shellFlags, String script, List<String> args, Duration timeout) throws BackendException;

    /**
     * Runs a script attached, passing each output line (stdout and stderr) to {@code lines}, and
     * returns its exit code. Interrupting the caller abandons the channel and rethrows; stopping the
     * remote process is the caller's job (it knows the pid file).
     */
    int stream(String shellFlags, String script, List<String> args, Consumer<String> lines)
            throws BackendException, InterruptedException;

    /** A readiness probe on the remote plane; by default one of the probe scripts run remotely. */
    default Probe probe(ProbeSpec spec) {
        return new ScriptProbe(runner(), spec, "on " + describe());
    }

    /** This shell as a {@link ScriptRunner} of control scripts ({@code sh -c}). */
    default ScriptRunner runner() {
        return (script, timeout, args) -> run("-c", script, List.of(args), timeout);
    }

    /** Whether the connection broke (then every further step fails fast with the same reason). */
    default String broken() {
        return null;
    }

    @Override
    void close();
}
