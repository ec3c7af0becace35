package dev.ota.core.backend.posix;

import dev.ota.core.backend.nativeproc.ProcStat;

/** What a recorded pid on an exec-only plane is now, from the output of {@link PosixScripts#STAT}. */
public sealed interface PosixProcess permits PosixProcess.Running, PosixProcess.Exited, PosixProcess.Gone {

    /** Still the recorded process (pid and start ticks match). */
    record Running(ProcStat stat) implements PosixProcess {}

    /** The recorded process ended with this exit code (its wrapper wrote it). */
    record Exited(int code) implements PosixProcess {}

    /** Gone without an exit code, or the pid now belongs to another process. */
    record Gone() implements PosixProcess {}

    /**
     * Reads the output of {@link PosixScripts#STAT} for a process started at {@code startTicks}: a
     * stat line while the pid exists, then {@code EXIT <code>} when the wrapper wrote one. A zombie
     * with the recorded start ticks has exited, with the written code when there is one.
     */
    public static PosixProcess parse(String statOutput, long startTicks) {
        ProcStat stat = null;
        Integer code = null;
        for (String line : statOutput.trim().split("\\R")) {
            String l = line.trim();
            if (l.startsWith("EXIT ")) {
                try {
                    code = Integer.parseInt(l.substring(5).trim());
                } catch (NumberFormatException e) {
                    code = -1;
                }
            } else if (stat == null && !l.isEmpty() && !l.equals("GONE")) {
                stat = ProcStat.parse(l);
            }
        }
        boolean same = stat != null && stat.startTime() == startTicks;
        if (same && !stat.exited()) {
            return new Running(stat);
        }
        if (code != null && (stat == null || same)) {
            return new Exited(code);
        }
        return new Gone();
    }

    /** Runs {@link PosixScripts#STAT} for {@code pid} and reads it. */
    public static PosixProcess of(ScriptRunner runner, long pid, long startTicks, java.time.Duration timeout)
            throws dev.ota.core.backend.BackendException, InterruptedException {
        return parse(runner.run(PosixScripts.STAT, timeout, Long.toString(pid)).stdout(), startTicks);
    }

    /** Asks a plane what a recorded pid is now. */
    @FunctionalInterface
    interface Query {
        PosixProcess get() throws dev.ota.core.backend.BackendException, InterruptedException;
    }

    /** Whether the recorded process still runs; false when the plane cannot be asked. */
    static boolean alive(Query query) {
        try {
            return query.get() instanceof Running;
        } catch (dev.ota.core.backend.BackendException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A liveness view for readiness waits: empty while it runs, its exit code once it has ended,
     * {@code unanswered} when the plane cannot be asked.
     */
    static dev.ota.core.probe.Liveness liveness(Query query, java.util.function.Supplier<java.util.OptionalInt> unanswered) {
        return () -> {
            try {
                return query.get().exitCode();
            } catch (dev.ota.core.backend.BackendException e) {
                return unanswered.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.OptionalInt.empty();
            }
        };
    }

    /** The exit code a liveness view reports: empty while running, -1 when gone without a code. */
    default java.util.OptionalInt exitCode() {
        if (this instanceof Running) {
            return java.util.OptionalInt.empty();
        }
        return java.util.OptionalInt.of(this instanceof Exited e ? e.code() : -1);
    }
}
