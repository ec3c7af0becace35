package dev.ota.core.backend.posix;

import dev.ota.core.backend.BackendException;
import java.time.Duration;

/** Runs one of the {@link PosixScripts} ({@code sh -c script ota args...}) on a plane and collects its output. */
@FunctionalInterface
public interface ScriptRunner {

    ScriptResult run(String script, Duration timeout, String... args) throws BackendException, InterruptedException;
}
