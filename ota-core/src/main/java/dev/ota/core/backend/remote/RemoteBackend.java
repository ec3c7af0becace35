package dev.ota.core.backend.remote;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.Interrupts;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.posix.PosixProcess;
import dev.ota.core.backend.posix.PosixScripts;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.posix.ScriptRunner;
import dev.ota.core.probe.Liveness;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One remote boundary (a shared remote backend or a remote context): workloads run in
 * {@code remote.cwd} on the target, services detached in a new session with their pid, exit code
 * and log under a per-repo state directory on the remote side ({@code <cwd>/.ota/state/remote-<id>}),
 * one-shot tasks attached; stop walks the process tree there. Every step goes through one
 * {@link RemoteShell}, so one SSH connection serves the whole build.
 */
public final class RemoteBackend implements Backend {

    public static final String FAMILY = "remote";
    static final Duration SHORT = Duration.ofSeconds(30);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** Checks the plane and creates the state directory. Args: cwd (or empty), ownership id. */
    static final String PREPARE = """
            cwd=$1; id=$2
            if [ -n "$cwd" ]; then cd "$cwd" 2>/dev/null || { echo "OTA_NO_CWD"; exit 3; }; else cd "$HOME" 2>/dev/null || cd /; fi
            [ -r /proc/self/stat ] || { echo "OTA_NO_PROC"; exit 4; }
            d="$(pwd)/.ota/state/remote-$id"
            mkdir -p "$d/logs" 2>/dev/null || { echo "OTA_NO_STATE $d"; exit 5; }
            echo "OTA_CWD $(pwd)"
            echo "OTA_STATE $d"
            """;

    private final RemoteEndpoint endpoint;
    private final RemoteShell shell;
    private final String unit;
    private final String ownershipId;
    private final Consumer<String> log;
    private String cwd;
    private String stateDir;
    private BackendException failed;
    private BoundaryEvidence evidence;

    /**
     * @param unit {@code shared_backend:<name>} or {@code context:<name>}; null for a backend that
     *     only checks and stops recorded workloads
     * @param ownershipId the repo's ownership id (names the remote state directory)
     */
    public RemoteBackend(RemoteEndpoint endpoint, RemoteShell shell, String unit, String ownershipId, Consumer<String> log) {
        this.endpoint = endpoint;
        this.shell = shell;
        this.unit = unit;
        this.ownershipId = ownershipId;
        this.log = log;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String identity() {
        return FAMILY + ":" + endpoint.display();
    }

    public RemoteEndpoint endpoint() {
        return endpoint;
    }

    /** The target as it resolved ({@code root@10.0.0.2:22} for an SSH alias). */
    public String resolvedTarget() {
        return shell.resolvedTarget();
    }

    @Override
    public synchronized Optional<BoundaryEvidence> boundary() {
        return Optional.ofNullable(evidence);
    }

    @Override
    public String unreachable() {
        return shell.broken();
    }

    // ---- the boundary ---------------------------------------------------------------------------

    /** Connects, checks {@code remote.cwd} and creates the remote state directory (once per run). */
    @Override
    public synchronized void prepare() throws BackendException, InterruptedException {
        if (stateDir != null) {
            return;
        }
        if (failed != null) {
            throw new BackendException(failed.getMessage(), failed);
        }
        try {
            shell.connect();
            ScriptResult r = shell.run("-c", PREPARE, List.of(endpoint.cwd() == null ? "" : endpoint.cwd(),
                    ownershipId == null ? "handles" : ownershipId), SHORT);
            String out = r.stdout();
            if (out.contains("OTA_NO_CWD")) {
                throw new BackendException("`remote.cwd` " + endpoint.cwd() + " does not exist on " + shell.describe()
                        + " (or is not readable); create it there, or fix `remote.cwd`");
            }
            if (out.contains("OTA_NO_PROC")) {
                throw new BackendException(shell.describe() + " has no readable /proc; ota-maven tracks remote workloads"
                        + " through /proc and needs a Linux remote plane");
            }
            cwd = value(out, "OTA_CWD ");
            stateDir = value(out, "OTA_STATE ");
            if (r.exitCode() != 0 || cwd == null || stateDir == null) {
                throw new BackendException("cannot prepare " + shell.describe() + " (exit " + r.exitCode() + "): "
                        + r.message());
            }
            evidence = new BoundaryEvidence(unit, "persistent", null, null, null, "connected", shell.describe(), Map.of(),
                    endpoint.provider(), shell.resolvedTarget(), endpoint.cwd());
            log.accept("remote " + (unit == null ? "" : unit + " ") + "on " + shell.describe() + ": connected; cwd " + cwd
                    + ", state " + stateDir);
        } catch (BackendException e) {
            failed = e;
            throw e;
        }
    }

    private static String value(String out, String key) {
        for (String line : out.split("\\R")) {
            if (line.startsWith(key)) {
                return line.substring(key.length()).trim();
            }
        }
        return null;
    }

    /** The script prefix every workload runs after: cwd, state dir and the planned env, all literal. */
    private String prefix(WorkloadSpec spec) throws BackendException {
        Map<String, String> env = new LinkedHashMap<>(spec.env());
        env.put("OTA_WORKSPACE", cwd);
        for (String name : env.keySet()) {
            if (!ENV_NAME.matcher(name).matches()) {
                throw new BackendException("env `" + name + "` of `" + spec.task() + "` is not a valid shell variable name, so"
                        + " it cannot be passed to " + shell.describe() + "; rename it");
            }
        }
        return "cd " + ShellQuote.quote(cwd) + " || exit 96\n" + stateExport(stateDir) + ShellQuote.exports(env);
    }

    private static String stateExport(String dir) {
        return "OTA_STATE_DIR=" + ShellQuote.quote(dir) + "; export OTA_STATE_DIR\n";
    }

    // ---- workloads ------------------------------------------------------------------------------

    @Override
    public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
        // an interrupt must not cut the start short: a started service whose pid never came back
        // could not be stopped. The flag is restored, so the caller stops it at its next wait.
        return Interrupts.uninterruptibly(() -> start(spec));
    }

    private WorkloadHandle start(WorkloadSpec spec) throws BackendException {
        try {
            prepare();
            String logFile = stateDir + "/logs/" + spec.task() + ".log";
            List<String> args = new ArrayList<>(List.of(logFile));
            args.addAll(spec.argv());
            // a login shell, so the user's profile sets PATH as in an interactive session
            ScriptResult r = shell.runToEnd("-lc", prefix(spec) + PosixScripts.START_SERVICE, args, SHORT);
            String out = lastLine(r.stdout());
            if (r.exitCode() == 0 && out.matches("\\d+ EXITED")) {
                return new WorkloadHandle(endpoint.handleBackend(), Long.parseLong(out.split(" ")[0]), -1, Path.of(logFile));
            }
            ProcStat stat = r.exitCode() == 0 ? ProcStat.parse(out) : null;
            if (stat == null && shell.broken() != null) {
                throw new BackendException("could not start `" + spec.task() + "`: " + shell.broken());
            }
            if (stat == null) {
                throw new BackendException("could not start `" + spec.task() + "` on " + shell.describe() + " (exit "
                        + r.exitCode() + "): " + r.message());
            }
            return new WorkloadHandle(endpoint.handleBackend(), stat.pid(), stat.startTime(), Path.of(logFile));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while starting `" + spec.task() + "` on " + shell.describe());
        }
    }

    private static String lastLine(String out) {
        String[] lines = out.strip().split("\\R");
        return lines[lines.length - 1].trim();
    }

    @Override
    public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException {
        prepare();
        String pidFile = stateDir + "/attached." + UUID.randomUUID() + ".pid";
        List<String> args = new ArrayList<>(List.of(pidFile));
        args.addAll(spec.argv());
        String script = prefix(spec) + PosixScripts.RUN_ATTACHED;
        Thread hook = new Thread(() -> killAttached(pidFile), "ota-remote-attached-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return shell.stream("-lc", script, args, output);
        } catch (InterruptedException e) {
            killAttached(pidFile);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** Stops an attached workload's tree on the remote side (interrupt or JVM shutdown). */
    private void killAttached(String pidFile) {
        boolean interrupted = Thread.interrupted();
        try {
            shell.run("-c", "p=$(cat \"$1\" 2>/dev/null) && [ -n \"$p\" ] && sh -c \"$2\" ota \"$p\" -1 5; rm -f \"$1\"",
                    List.of(pidFile, PosixScripts.STOP_TREE), Duration.ofSeconds(40));
        } catch (BackendException | InterruptedException | RuntimeException e) {
            log.accept("could not stop the attached workload on " + shell.describe() + ": " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Control scripts for a recorded workload: its state dir is its log's grandparent. */
    private ScriptRunner runnerFor(WorkloadHandle handle) {
        Path logDir = handle.logFile() == null ? null : handle.logFile().getParent();
        String dir = logDir == null || logDir.getParent() == null ? null : logDir.getParent().toString();
        String prefix = dir == null ? "" : stateExport(dir);
        return (script, timeout, args) -> shell.run("-c", prefix + script, List.of(args), timeout);
    }

    private PosixProcess state(WorkloadHandle handle) throws BackendException, InterruptedException {
        return PosixProcess.of(runnerFor(handle), handle.pid(), handle.startTime(), SHORT);
    }

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return PosixProcess.alive(() -> state(handle));
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        // a lost connection ends the wait (unreachable() says why); anything else is "unknown"
        return PosixProcess.liveness(() -> state(handle),
                () -> shell.broken() != null ? OptionalInt.of(-1) : OptionalInt.empty());
    }

    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        boolean interrupted = Thread.interrupted(); // cleanup must run even on an interrupted thread
        try {
            long seconds = Math.max(1, grace.toSeconds());
            ScriptResult r = runnerFor(handle).run(PosixScripts.STOP_TREE, grace.plusSeconds(30), Long.toString(handle.pid()),
                    Long.toString(handle.startTime()), Long.toString(seconds));
            return r.stdout().contains("GONE");
        } catch (InterruptedException e) {
            interrupted = true;
            throw new BackendException("interrupted while stopping pid " + handle.pid() + " on " + shell.describe());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        if (handle.logFile() == null) {
            return List.of();
        }
        try {
            ScriptResult r = runnerFor(handle).run(PosixScripts.TAIL, SHORT, handle.logFile().toString(), Integer.toString(lines));
            return r.stdout().isEmpty() ? List.of() : List.of(r.stdout().split("\\R"));
        } catch (BackendException e) {
            return List.of("(the remote log " + handle.logFile() + " could not be read: " + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        }
    }

    @Override
    public Probe probe(ProbeSpec spec) {
        return shell.probe(spec);
    }

    /** Scripts on the remote target in a login shell, so the profile's PATH counts as for workloads. */
    @Override
    public ScriptRunner planeRunner() throws BackendException, InterruptedException {
        prepare();
        return (script, timeout, args) -> shell.run("-lc", script, List.of(args), timeout);
    }
}
