package dev.ota.core.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.backend.nativeproc.Procs;
import dev.ota.core.backend.posix.ScriptResult;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tsh, kubectl and daytona shells against stand-in executables on PATH that record their argv
 * and run the command on this machine ({@link ProviderStandIns}): the exact command lines ota
 * builds, literal arguments, streaming, interrupts and a missing CLI.
 */
class CliShellTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path tmp;

    private ProviderStandIns standIns;
    private Procs procs;

    @BeforeEach
    void setUp() throws Exception {
        standIns = ProviderStandIns.create(tmp.resolve("bin"));
        Files.createDirectories(tmp.resolve("home"));
        procs = new Procs();
    }

    @AfterEach
    void tearDown() {
        procs.close();
    }

    private static String target(String provider) {
        return switch (provider) {
            case "tsh" -> "dev@host";
            case "kubectl" -> "pod/dev";
            default -> "ws-1";
        };
    }

    private CliShell shell(String provider) {
        return new CliShell(new RemoteEndpoint(provider, target(provider), null, null, null),
                standIns.environment(tmp.resolve("home")));
    }

    /** POSIX single quoting, written out here independently of {@link ShellQuote}. */
    private static String q(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** The argv each provider's CLI must receive for {@code sh <flags> <script> ota <args...>}. */
    private List<String> expectedArgv(String provider, String flags, String script, List<String> args) {
        String exe = standIns.executable(provider).toString();
        StringBuilder command = new StringBuilder("sh " + flags + " " + q(script) + " ota");
        args.forEach(a -> command.append(' ').append(q(a)));
        List<String> argv = new ArrayList<>();
        switch (provider) {
            case "tsh" -> argv.addAll(List.of(exe, "ssh", target(provider), "--", command.toString()));
            case "kubectl" -> {
                argv.addAll(List.of(exe, "exec", target(provider), "--", "sh", flags, script, "ota"));
                argv.addAll(args);
            }
            default -> argv.addAll(List.of(exe, "exec", target(provider), "--", "sh", "-c", command.toString()));
        }
        return argv;
    }

    private int invocations(String tool) {
        try {
            return standIns.invocations(tool).size();
        } catch (IOException | AssertionError e) {
            return -1; // a record being appended
        }
    }

    private String hostile() {
        return "a b'c\"$(touch " + tmp.resolve("pwned") + ")`id`;|&*\n$HOME";
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void runReturnsOutputAndExitCodeWithHostileArgumentsLiteral(String provider) throws Exception {
        try (CliShell shell = shell(provider)) {
            List<String> args = List.of(hostile(), "", "-n", "two  words", "it's \\ \"quoted\"");
            String script = "for a in \"$@\"; do printf '<%s>' \"$a\"; done; echo 'to stderr' >&2; exit 3";
            ScriptResult r = shell.run("-c", script, args, WAIT);

            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(r.stdout()).isEqualTo("<" + String.join("><", args) + ">");
            assertThat(r.stderr()).isEqualTo("to stderr\n");
            assertThat(tmp.resolve("pwned")).doesNotExist();

            List<String> recorded = standIns.last(provider).argv();
            assertThat(recorded).containsExactlyElementsOf(expectedArgv(provider, "-c", script, args));
            assertThat(recorded).containsExactlyElementsOf(shell.argv("-c", script, args));
        }
    }

    @Test
    void commandLinesAreExactlyAsDocumented() throws Exception {
        String script = "echo \"$1\"";
        List<String> args = List.of("it's");
        String exe;
        try (CliShell shell = shell("tsh")) {
            assertThat(shell.run("-c", script, args, WAIT).stdout()).isEqualTo("it's\n");
            exe = standIns.executable("tsh").toString();
            assertThat(standIns.last("tsh").argv())
                    .containsExactly(exe, "ssh", "dev@host", "--", "sh -c 'echo \"$1\"' ota 'it'\\''s'");
        }
        try (CliShell shell = shell("kubectl")) {
            assertThat(shell.run("-lc", script, args, WAIT).stdout()).isEqualTo("it's\n");
            exe = standIns.executable("kubectl").toString();
            assertThat(standIns.last("kubectl").argv())
                    .containsExactly(exe, "exec", "pod/dev", "--", "sh", "-lc", "echo \"$1\"", "ota", "it's");
        }
        try (CliShell shell = shell("daytona")) {
            assertThat(shell.run("-c", script, args, WAIT).stdout()).isEqualTo("it's\n");
            exe = standIns.executable("daytona").toString();
            assertThat(standIns.last("daytona").argv())
                    .containsExactly(exe, "exec", "ws-1", "--", "sh", "-c", "sh -c 'echo \"$1\"' ota 'it'\\''s'");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void describeAndTarget(String provider) {
        try (CliShell shell = shell(provider)) {
            assertThat(shell.resolvedTarget()).isEqualTo(target(provider));
            assertThat(shell.describe()).isEqualTo(switch (provider) {
                case "tsh" -> "tsh ssh dev@host";
                case "kubectl" -> "kubectl exec pod/dev";
                default -> "daytona exec ws-1";
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void streamPassesLinesAndTheExitCode(String provider) throws Exception {
        try (CliShell shell = shell(provider)) {
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            String script = "echo one; echo two >&2; printf '%s\\n' \"$1\"; exit 5";
            int code = shell.stream("-c", script, List.of(hostile()), lines::add);

            assertThat(code).isEqualTo(5);
            List<String> expected = new ArrayList<>(List.of("one", "two"));
            expected.addAll(List.of(hostile().split("\n")));
            assertThat(lines).containsExactlyElementsOf(expected);
            assertThat(tmp.resolve("pwned")).doesNotExist();
            assertThat(standIns.last(provider).argv()).containsExactlyElementsOf(expectedArgv(provider, "-c", script,
                    List.of(hostile())));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void interruptingStreamReturnsAndLeavesNoLocalProcess(String provider) throws Exception {
        Path pidFile = tmp.resolve("script.pid");
        try (CliShell shell = shell(provider)) {
            AtomicReference<Throwable> thrown = new AtomicReference<>();
            List<String> lines = Collections.synchronizedList(new ArrayList<>());
            Thread t = new Thread(() -> {
                try {
                    shell.stream("-c", "echo $$ > \"$1\"; echo waiting; sleep 30; echo not-interrupted", List.of(pidFile.toString()),
                            lines::add);
                    thrown.set(new AssertionError("stream returned without an interrupt"));
                } catch (Throwable e) {
                    thrown.set(e);
                }
            }, "cli-stream-" + provider);
            t.setDaemon(true);
            t.start();

            Procs.await(() -> lines.contains("waiting"), WAIT, "the script to start");
            long cliPid = standIns.last(provider).pid();
            long scriptPid = Long.parseLong(Files.readString(pidFile).trim());
            List<ProcStat> local = new ArrayList<>(Procs.tree(cliPid));
            Optional<ProcessHandle> cli = ProcessHandle.of(cliPid);
            assertThat(cli).as("the CLI process").isPresent();
            cli.get().descendants().forEach(d -> ProcStat.read(d.pid()).ifPresent(local::add));
            procs.trackTree(cliPid);
            assertThat(local).extracting(ProcStat::pid).contains(cliPid, scriptPid);
            assertThat(local).extracting(ProcStat::comm).contains("sleep");

            t.interrupt();
            t.join(WAIT.toMillis());
            assertThat(t.isAlive()).as("stream still blocked after the interrupt").isFalse();
            assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
            assertThat(lines).doesNotContain("not-interrupted");

            // the CLI is the JVM's own child: it is reaped, so /proc/<pid> disappears
            Procs.await(() -> !Files.exists(Path.of("/proc", Long.toString(cliPid))), WAIT, "/proc/" + cliPid + " to go");
            // its descendants are orphans once it dies; reaping them is pid 1's job, so a lingering zombie counts as gone
            for (ProcStat s : local) {
                Procs.await(() -> Procs.gone(s), WAIT, "pid " + s.pid() + " (" + s.comm() + ") to stop");
            }
        }
    }

    @Test
    void longAttachedStreamsDoNotStarveOtherSteps() throws Exception {
        // more long attached tasks than the common ForkJoinPool has threads: a probe or status
        // check meanwhile must still collect its output
        int streams = Math.max(2, ForkJoinPool.getCommonPoolParallelism()) + 1;
        List<Thread> threads = new ArrayList<>();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        try (CliShell shell = shell("kubectl")) {
            try {
                for (int i = 0; i < streams; i++) {
                    Thread t = new Thread(() -> {
                        try {
                            shell.stream("-c", "echo waiting; exec sleep 300", List.of(), lines::add);
                        } catch (Exception e) {
                            // interrupted at the end of the test
                        }
                    }, "cli-long-stream-" + i);
                    t.setDaemon(true);
                    t.start();
                    threads.add(t);
                }
                Procs.await(() -> invocations("kubectl") == streams, WAIT, streams + " CLI processes to start");
                standIns.invocations("kubectl").forEach(i -> procs.trackTree(i.pid()));
                // each stream's output is delivered while it runs, however many run
                Procs.await(() -> lines.stream().filter("waiting"::equals).count() == streams, WAIT,
                        "the first line of each of " + streams + " streams");

                AtomicReference<Object> result = new AtomicReference<>();
                Thread probe = new Thread(() -> {
                    try {
                        result.set(shell.run("-c", "echo ready", List.of(), WAIT));
                    } catch (Exception e) {
                        result.set(e);
                    }
                }, "cli-run-meanwhile");
                probe.setDaemon(true);
                probe.start();
                probe.join(WAIT.toMillis() * 2);
                assertThat(probe.isAlive()).as("run() blocked while " + streams + " streams are attached").isFalse();
                assertThat(result.get()).isInstanceOf(ScriptResult.class);
                assertThat(((ScriptResult) result.get()).stdout()).isEqualTo("ready\n");
            } finally {
                threads.forEach(Thread::interrupt);
                for (Thread t : threads) {
                    t.join(WAIT.toMillis());
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void runThatOutlivesItsTimeoutIsStopped(String provider) throws Exception {
        Path pidFile = tmp.resolve("slow.pid");
        try (CliShell shell = shell(provider)) {
            assertThatThrownBy(() -> shell.run("-c", "echo $$ > \"$1\"; sleep 30", List.of(pidFile.toString()),
                    Duration.ofSeconds(1)))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("did not finish within 1 s")
                    .hasMessageContaining(shell.describe());
            long cliPid = standIns.last(provider).pid();
            Procs.await(() -> !Files.exists(Path.of("/proc", Long.toString(cliPid))), WAIT, "/proc/" + cliPid + " to go");
            if (Files.exists(pidFile)) {
                long scriptPid = Long.parseLong(Files.readString(pidFile).trim());
                Procs.await(() -> ProcStat.read(scriptPid).map(ProcStat::exited).orElse(true), WAIT, "the script to stop");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsh", "kubectl", "daytona"})
    void missingCliIsNamedWithTheExampleCommand(String provider) throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        // a file of the right name that cannot be executed is not the CLI either
        Path notExecutable = Files.createDirectories(tmp.resolve("noexec")).resolve(provider);
        Files.writeString(notExecutable, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        Map<String, String> env = new HashMap<>();
        env.put("PATH", empty + ":" + notExecutable.getParent() + "::" + tmp.resolve("nonexistent"));
        env.put("HOME", tmp.resolve("home").toString());
        String example = switch (provider) {
            case "tsh" -> "tsh ssh dev@host true";
            case "kubectl" -> "kubectl exec pod/dev -- true";
            default -> "daytona exec ws-1 -- true";
        };
        try (CliShell shell = new CliShell(new RemoteEndpoint(provider, target(provider), null, null, null), env)) {
            assertThatThrownBy(shell::connect)
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("remote provider `" + provider + "` runs through the `" + provider
                            + "` command, and none is on PATH")
                    .hasMessageContaining("`" + example + "`");
            assertThatThrownBy(() -> shell.run("-c", "true", List.of(), WAIT))
                    .isInstanceOf(BackendException.class)
                    .hasMessageContaining("none is on PATH");
        }
        assertThat(standIns.invocations(provider)).isEmpty();
    }

    @Test
    void onlyCliProvidersAreAccepted() {
        assertThatThrownBy(() -> new CliShell(new RemoteEndpoint("ssh", "dev@host", null, null, null), Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a CLI provider: ssh");
    }

    @Test
    void standInRecordsSurviveEveryByte() {
        byte[] data = ("PID 12\nARGC 3\n4\n/x/y\n0\n\n5\na\nb\n\n\nEND\n"
                + "PID 13\nARGC 1\n6\n\u00e9\u00e9\u00e9\nEND\n").getBytes(StandardCharsets.UTF_8);
        assertThat(ProviderStandIns.parse(data)).containsExactly(
                new ProviderStandIns.Invocation(12, List.of("/x/y", "", "a\nb\n\n")),
                new ProviderStandIns.Invocation(13, List.of("\u00e9\u00e9\u00e9")));
    }
}
