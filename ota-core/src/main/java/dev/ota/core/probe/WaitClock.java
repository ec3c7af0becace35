package dev.ota.core.probe;

import java.time.Duration;

/** Time for {@link ReadinessWaiter}: the real clock, or a fake one that tests advance on sleep. */
public interface WaitClock {

    /** Monotonic time in nanoseconds (as {@link System#nanoTime()}). */
    long nanoTime();

    /** Sleeps; an interrupt ends the sleep with {@link InterruptedException}. */
    void sleep(Duration duration) throws InterruptedException;

    WaitClock SYSTEM = new WaitClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
            if (!duration.isNegative() && !duration.isZero()) {
                Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
            } else if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }

        @Override
        public String toString() {
            return "WaitClock.SYSTEM";
        }
    };
}
