package dev.ota.core.backend;

/** Steps that must run to their end although the thread is interrupted (the interrupt is kept). */
public final class Interrupts {

    /** A step that may be interrupted while it waits. */
    @FunctionalInterface
    public interface Step<T, E extends Exception> {
        T run() throws E, InterruptedException;
    }

    private Interrupts() {}

    /**
     * Runs {@code step} to its end even when the thread is interrupted before or while it waits
     * (the step is retried, so it must be safe to repeat a wait); the interrupt is restored for
     * the caller to act on.
     */
    public static <T, E extends Exception> T uninterruptibly(Step<T, E> step) throws E {
        boolean interrupted = Thread.interrupted();
        try {
            while (true) {
                try {
                    return step.run();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
