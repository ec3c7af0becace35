package dev.ota.core.backend.nativeproc;

import dev.ota.core.backend.Backend;
import dev.ota.core.backend.LogTail;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.probe.Liveness;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The {@code native} backend: workloads are processes on this (Linux) host.
 *
 * <p><b>Process model.</b> Every workload is started as {@code setsid -- <argv…>} (util-linux).
 * The JVM's child is never a process group leader, so {@code setsid} does not fork: it calls
 * {@code setsid(2)} and {@code exec}s the workload in place. The pid the JVM sees is therefore the
 * workload itself, and it leads its own session and process group ({@code pgid == sid == pid}):
 * Ctrl-C on the build's terminal does not reach it, it outlives the Maven JVM, and signalling the
 * group reaches every process it spawned (unless one of them deliberately left the group, which
 * the session and descendant sweeps of {@link #stop} catch). {@link #startService} verifies this
 * before it returns.
 *
 * <p>Without {@code setsid} the backend still works but cannot isolate workloads: they share the
 * build's process group (so Ctrl-C on the build may stop a "persistent" service), and a stop can
 * only reach the processes that are still descendants of the workload. {@link #warning()} says so.
 *
 * <p><b>Identity.</b> A workload is its pid together with its start time (field 22 of
 * {@code /proc/<pid>/stat}, clock ticks since boot, unchanged by {@code exec}). Pids are reused;
 * nothing is signalled unless both match.
 */
public final class NativeBackend implements Backend {

    public static final String FAMILY = "native";

    /** Grace between SIGTERM and SIGKILL when an attached workload is interrupted. */
    public static final Duration DEFAULT_STOP_GRACE = Duration.ofSeconds(10);

    /** Grace for attached workloads stopped because the JVM shuts down (shutdown hooks must be quick). */
    private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(3);

    /** How long {@code setsid} may take to detach a freshly started process. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** How long to wait for processes to vanish after SIGKILL. */
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    /** After an attached workload exited, how long to keep reading output its leftovers may still hold open. */
    private static final Duration DRAIN_AFTER_EXIT = Duration.ofSeconds(1);

    private static final long POLL_MS = 20;

    /** Exited services whose exit codes are kept before the oldest are forgotten (long-lived JVMs such as mvnd). */
    private static final int MAX_REMEMBERED = 256;
    private static final File DEV_NULL = new File("/dev/null");
    private static final Object EOF = new Object();

    private final Path setsid;
    private final Duration attachedStopGrace;
    private final String identity;

    /** Services this JVM started, so their exit codes stay known, also after a stop ({@code pid -> process}). */
    private final Map<Long, Started> children = new ConcurrentHashMap<>();

    private record Started(Process process, long startTime) {}

    /** A process found while stopping a tree: the JDK handle checks the start time again before signalling. */
    private record Member(ProcessHandle handle, long startTime) {}

    public NativeBackend() {
        this(DEFAULT_STOP_GRACE);
    }

    /** @param attachedStopGrace grace between SIGTERM and SIGKILL when an attached workload is interrupted */
    public NativeBackend(Duration attachedStopGrace) {
        this(findSetsid().orElse(null), attachedStopGrace);
    }

    /** @param setsid the {@code setsid} binary, or null to run without session isolation */
    NativeBackend(Path setsid, Duration attachedStopGrace) {
        this.setsid = setsid;
        this.attachedStopGrace = Objects.requireNonNull(attachedStopGrace, "attachedStopGrace");
        this.identity = FAMILY + "@" + hostname();
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Whether workloads get their own session and process group ({@code setsid} was found). */
    public boolean sessionIsolation() {
        return setsid != null;
    }

    /** A warning for the build log when this backend runs degraded, empty otherwise. */
    public Optional<String> warning() {
        if (!ProcStat.procAvailable()) {
            return Optional.of("the native backend needs Linux /proc; native workloads cannot be started here");
        }
        if (setsid == null) {
            return Optional.of("setsid (util-linux) was not found on PATH: native services share the build's process"
                    + " group, so Ctrl-C on the build may stop them, and stopping a service only reaches processes"
                    + " that are still its descendants. Install util-linux to isolate them.");
        }
        return Optional.empty();
    }

    // ---- start ----------------------------------------------------------------------------------

    @Override
    public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
        requireProc();
        if (spec.logFile() == null) {
            throw new BackendException("cannot start service " + spec.task() + ": no log file given");
        }
        Path log = spec.logFile().toAbsolutePath();
        try {
            Files.createDirectories(log.getParent());
            // FileOutputStream, not an (interruptible) channel: a start may race a Ctrl-C interrupt.
            try (java.io.FileOutputStream out = new java.io.FileOutputStream(log.toFile(), true)) {
                out.write(("=== ota: starting " + spec.task() + " at " + Instant.now() + " ===\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new BackendException("cannot write the log file of " + spec.task() + " (" + log + "): " + e.getMessage(), e);
        }
        ProcessBuilder pb = builder(spec);
        pb.redirectInput(Redirect.from(DEV_NULL));
        pb.redirectErrorStream(true);
        pb.redirectOutput(Redirect.appendTo(log.toFile()));
        Process process = start(pb, spec);
        long startTime = settle(process, spec);
        if (children.size() >= MAX_REMEMBERED) {
            children.values().removeIf(s -> !s.process().isAlive());
        }
        children.put(process.pid(), new Started(process, startTime));
        return new WorkloadHandle(FAMILY, process.pid(), startTime, log);
    }

    @Override
    public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException {
        requireProc();
        Objects.requireNonNull(output, "output");
        if (Thread.interrupted()) {
            throw new InterruptedException("interrupted before " + spec.task() + " started");
        }
        ProcessBuilder pb = builder(spec);
        pb.redirectInput(Redirect.from(DEV_NULL));
        pb.redirectErrorStream(true);
        Process process = start(pb, spec);
        WorkloadHandle handle = new WorkloadHandle(FAMILY, process.pid(), settle(process, spec), null);

        // The workload has its own session, so Ctrl-C on the build does not reach it: if the JVM
        // shuts down (SIGINT, SIGTERM, System.exit) while it runs, stop its tree on the way out.
        Thread onShutdown = new Thread(() -> stopQuietly(handle, min(attachedStopGrace, SHUTDOWN_GRACE)),
                "ota-stop-" + spec.task());
        boolean hooked = addShutdownHook(onShutdown);

        BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        AtomicBoolean abandoned = new AtomicBoolean();
        Thread reader = new Thread(() -> pump(process, lines, abandoned), "ota-output-" + spec.task());
        reader.setDaemon(true);
        reader.start();
        try {
            long exitedAt = 0;
            while (true) {
                Object item = lines.poll(POLL_MS * 5, TimeUnit.MILLISECONDS);
                if (item == EOF) {
                    break;
                }
                if (item != null) {
                    output.accept((String) item);
                }
                if (!process.isAlive()) {
                    // Output may stay open in background processes the workload left behind: stop waiting for it.
                    long now = System.nanoTime();
                    if (exitedAt == 0) {
                        exitedAt = now;
                    } else if (now - exitedAt > DRAIN_AFTER_EXIT.toNanos()) {
                        abandoned.set(true);
                        break;
                    }
                }
            }
            return process.waitFor();
        } catch (InterruptedException e) {
            abandoned.set(true);
            stopQuietly(handle, attachedStopGrace);
            throw e;
        } catch (RuntimeException | Error e) {
            abandoned.set(true);
            stopQuietly(handle, attachedStopGrace);
            throw e;
        } finally {
            if (hooked) {
                removeShutdownHook(onShutdown);
            }
        }
    }

    private static boolean addShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().addShutdownHook(hook);
            return true;
        } catch (IllegalStateException e) {
            return false; // already shutting down
        }
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down: the hook runs (or ran) and stops the tree
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static void pump(Process process, BlockingQueue<Object> lines, AtomicBoolean abandoned) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!abandoned.get()) {
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // stream closed: the workload is gone
        } finally {
            lines.add(EOF);
        }
    }

    private ProcessBuilder builder(WorkloadSpec spec) throws BackendException {
        if (spec.cwd() != null && !Files.isDirectory(spec.cwd())) {
            throw new BackendException("cannot start " + spec.task() + ": working directory " + spec.cwd() + " does not exist");
        }
        List<String> command = new ArrayList<>();
        if (setsid != null) {
            command.add(setsid.toString());
            command.add("--");
        }
        command.addAll(spec.argv());
        ProcessBuilder pb = new ProcessBuilder(command);
        if (spec.cwd() != null) {
            pb.directory(spec.cwd().toFile());
        }
        pb.environment().putAll(spec.env());
        return pb;
    }

    private static Process start(ProcessBuilder pb, WorkloadSpec spec) throws BackendException {
        try {
            return pb.start();
        } catch (IOException e) {
            throw new BackendException("cannot start " + spec.task() + " (" + spec.argv().get(0) + "): " + e.getMessage(), e);
        }
    }

    /**
     * Waits until {@code setsid} has made the new process a session leader (microseconds after
     * {@code start()}), and returns its start time ({@code -1} when it exited before it could be
     * read). Refuses to go on when the process is not the leader of its own session, since
     * stopping its tree would then be unreliable.
     */
    private long settle(Process process, WorkloadSpec spec) throws BackendException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        long startTime = -1;
        while (true) {
            Optional<ProcStat> stat = ProcStat.read(process.pid());
            if (stat.isPresent()) {
                startTime = stat.get().startTime();
                if (setsid == null || stat.get().session() == process.pid()) {
                    return startTime;
                }
            }
            if (!process.isAlive()) {
                return startTime;
            }
            if (System.nanoTime() > deadline) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new BackendException("cannot start " + spec.task() + ": pid " + process.pid()
                        + " did not become the leader of its own session under " + setsid);
            }
            LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(200));
        }
    }

    // ---- observe --------------------------------------------------------------------------------

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return FAMILY.equals(handle.backend()) && handle.pid() > 0 && ProcStat.running(handle.pid(), handle.startTime());
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return () -> {
            Started started = children.get(handle.pid());
            if (started != null && started.startTime() == handle.startTime()) {
                Process p = started.process();
                return p.isAlive() ? OptionalInt.empty() : OptionalInt.of(p.exitValue());
            }
            return isAlive(handle) ? OptionalInt.empty() : OptionalInt.of(-1);
        };
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        return handle.logFile() == null ? List.of() : LogTail.read(handle.logFile(), lines);
    }

    // ---- stop -----------------------------------------------------------------------------------

    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        if (!FAMILY.equals(handle.backend())) {
            throw new BackendException("the native backend cannot stop a " + handle.backend() + " workload (pid " + handle.pid() + ")");
        }
        long pid = handle.pid();
        if (pid <= 0) {
            return true; // recorded before the start, never started
        }
        Optional<ProcStat> leader = ProcStat.read(pid);
        if (leader.isPresent() && leader.get().startTime() != handle.startTime()) {
            throw new BackendException("refusing to stop pid " + pid + ": it started at tick " + leader.get().startTime()
                    + " but ota recorded tick " + handle.startTime()
                    + ", so the pid now belongs to a process ota did not start");
        }
        // When the leader is gone, its group and session ids cannot have been reused while any member
        // is left (Linux keeps a pid allocated while it names a group or session), so they are still ours.
        boolean group = leader.map(ProcStat::leadsGroup).orElse(true);
        boolean gone = terminate(pid, handle.startTime(), group, grace == null ? Duration.ZERO : grace);
        Started own = children.get(pid);
        if (gone && own != null && own.startTime() == handle.startTime()) {
            awaitReaped(own.process()); // so liveness() reports its exit code right away
        }
        return gone;
    }

    private static void awaitReaped(Process process) {
        boolean interrupted = false;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            while (process.isAlive() && System.nanoTime() < deadline) {
                try {
                    process.waitFor(POLL_MS, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    interrupted = true;
                    break;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void stopQuietly(WorkloadHandle handle, Duration grace) {
        try {
            stop(handle, grace);
        } catch (BackendException e) {
            // the pid belongs to someone else now: nothing of ours to stop
        }
    }

    /**
     * SIGTERM to the group and every member found, wait up to {@code grace} (re-scanning for new
     * members), then SIGKILL until nothing is left. An interrupt cuts the grace short and is
     * restored on return.
     */
    private boolean terminate(long pid, long startTime, boolean group, Duration grace) {
        ProcStat self = ProcStat.read(ProcessHandle.current().pid()).orElse(null);
        if (self != null && (self.pgrp() == pid || self.session() == pid)) {
            group = false; // never sweep the build's own group or session
        }
        boolean interrupted = Thread.interrupted();
        Map<Long, Member> known = new LinkedHashMap<>();
        Set<Long> signalled = new HashSet<>();

        collect(pid, startTime, group, known);
        if (group) {
            signalGroup(pid, "TERM");
        }
        term(known, signalled);
        long deadline = System.nanoTime() + grace.toNanos();
        while (!interrupted && System.nanoTime() < deadline) {
            if (gone(known, pid, startTime, group)) {
                return done(true, false);
            }
            interrupted = pause();
            collect(pid, startTime, group, known);
            term(known, signalled);
        }

        long killDeadline = System.nanoTime() + KILL_WAIT.toNanos();
        while (true) {
            collect(pid, startTime, group, known);
            if (gone(known, pid, startTime, group)) {
                return done(true, interrupted);
            }
            if (group) {
                signalGroup(pid, "KILL");
            }
            for (Member m : known.values()) {
                m.handle().destroyForcibly();
            }
            if (System.nanoTime() > killDeadline) {
                boolean result = gone(known, pid, startTime, group);
                return done(result, interrupted);
            }
            interrupted |= pause();
        }
    }

    private static boolean done(boolean result, boolean interrupted) {
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result;
    }

    /** Sleeps one poll interval; returns true when interrupted (and then does not sleep further). */
    private static boolean pause() {
        if (Thread.currentThread().isInterrupted()) {
            Thread.interrupted();
            return true;
        }
        try {
            Thread.sleep(POLL_MS);
            return false;
        } catch (InterruptedException e) {
            return true;
        }
    }

    private static void term(Map<Long, Member> known, Set<Long> signalled) {
        for (Member m : known.values()) {
            if (signalled.add(m.handle().pid())) {
                m.handle().destroy();
            }
        }
    }

    /**
     * Adds to {@code known} the leader (if it is still the recorded process), the members of its
     * group and session (when {@code group}) that started no earlier than it, and all their
     * descendants, from one scan of {@code /proc}. Never the build's JVM or its ancestors.
     */
    private static void collect(long pid, long startTime, boolean group, Map<Long, Member> known) {
        List<ProcStat> all = ProcStat.all();
        Map<Long, List<ProcStat>> byParent = new HashMap<>();
        for (ProcStat s : all) {
            byParent.computeIfAbsent(s.ppid(), k -> new ArrayList<>()).add(s);
        }
        Set<Long> protectedPids = new HashSet<>();
        ProcessHandle me = ProcessHandle.current();
        protectedPids.add(me.pid());
        for (Optional<ProcessHandle> p = me.parent(); p.isPresent(); p = p.get().parent()) {
            protectedPids.add(p.get().pid());
        }

        List<ProcStat> roots = new ArrayList<>();
        for (ProcStat s : all) {
            if (s.exited()) {
                continue;
            }
            boolean isLeader = s.pid() == pid && s.startTime() == startTime;
            boolean isMember = group && (s.pgrp() == pid || s.session() == pid) && s.startTime() >= startTime;
            if (isLeader || isMember) {
                roots.add(s);
            }
        }
        List<ProcStat> queue = new ArrayList<>(roots);
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < queue.size(); i++) {
            ProcStat s = queue.get(i);
            if (!seen.add(s.pid()) || protectedPids.contains(s.pid())) {
                continue;
            }
            if (!s.exited() && !known.containsKey(s.pid())) {
                ProcessHandle.of(s.pid()).ifPresent(h -> known.put(s.pid(), new Member(h, s.startTime())));
            }
            queue.addAll(byParent.getOrDefault(s.pid(), List.of()));
        }
    }

    /** Whether every known member is gone and (for a group) no live process is left in the group or session. */
    private static boolean gone(Map<Long, Member> known, long pid, long startTime, boolean group) {
        for (Member m : known.values()) {
            if (ProcStat.running(m.handle().pid(), m.startTime())) {
                return false;
            }
        }
        if (ProcStat.running(pid, startTime)) {
            return false;
        }
        if (group) {
            for (ProcStat s : ProcStat.all()) {
                if (!s.exited() && (s.pgrp() == pid || s.session() == pid) && s.startTime() >= startTime) {
                    return false;
                }
            }
        }
        return true;
    }

    /** {@code kill -s <signal> -- -<pgid>}: one atomic signal to every process of the group. */
    private static void signalGroup(long pgid, String signal) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", "kill -s " + signal + " -- -" + pgid);
        pb.redirectInput(Redirect.from(DEV_NULL));
        pb.redirectOutput(Redirect.DISCARD);
        pb.redirectError(Redirect.DISCARD);
        boolean interrupted = false;
        try {
            Process kill = pb.start();
            while (true) {
                try {
                    if (!kill.waitFor(5, TimeUnit.SECONDS)) {
                        kill.destroyForcibly();
                    }
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (IOException e) {
            // no sh: the per-process signals still go out
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---- environment ----------------------------------------------------------------------------

    private static void requireProc() throws BackendException {
        if (!ProcStat.procAvailable()) {
            throw new BackendException("the native backend needs Linux /proc to track processes; it is not available here");
        }
    }

    /** {@code setsid} from {@code PATH}, then the usual system directories. */
    static Optional<Path> findSetsid() {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            for (String d : path.split(File.pathSeparator)) {
                if (!d.isEmpty()) {
                    dirs.add(d);
                }
            }
        }
        dirs.addAll(List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin"));
        for (String d : dirs) {
            Path candidate = Path.of(d, "setsid");
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        String env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.trim();
    }

    /** The build host itself: requirement checks run where native workloads do. */
    @Override
    public dev.ota.core.backend.posix.ScriptRunner planeRunner() {
        return new dev.ota.core.fulfill.NativeScriptRunner();
    }
}
