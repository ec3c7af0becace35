package it;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/** Fails on purpose: the build must fail, and dev must still be stopped. */
class BrokenIT {

    @Test
    void failsOnPurpose() {
        fail("deliberate failure of activate-failing-build");
    }
}
