package dev.ota.core.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSH test host against the real OpenSSH client: the remote backend's tests build on these guarantees. */
class SshTestHostTest {

    @TempDir
    static Path workDir;

    private static SshTestHost host;

    @BeforeAll
    static void startHost() throws Exception {
        host = SshTestHost.start(workDir.resolve("host"));
    }

    @AfterAll
    static void stopHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void opensshClientRunsACommandThroughTheAlias() throws Exception {
        Ssh r = ssh(List.of("-F", host.sshConfig().toString()), host.alias(), "echo", "hi");

        assertThat(r.exit).as(r.describe()).isZero();
        assertThat(r.stdout).isEqualTo("hi\n");
    }

    @Test
    void aKeyFromGenerateKeyIsRefused() throws Exception {
        Path stranger = host.generateKey("stranger");

        Ssh r = ssh(List.of("-F", "/dev/null", "-i", stranger.toString(), "-o", "IdentitiesOnly=yes"),
                host.user() + "@" + host.address(), "echo", "hi");

        assertThat(r.exit).as(r.describe()).isEqualTo(255);
        assertThat(r.stderr).contains("Permission denied (publickey)");
        assertThat(r.stdout).isEmpty();
    }

    @Test
    void aLoopbackListenerInTheNamespaceIsInvisibleFromTheHost() throws Exception {
        // A bound, non-listening socket without SO_REUSEADDR keeps other host processes off the port,
        // so "refused on the host" below cannot be spoiled by a concurrent build, and refuses itself.
        try (Socket reservation = new Socket()) {
            reservation.setReuseAddress(false);
            reservation.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = reservation.getLocalPort();
            Path docroot = Files.createDirectories(workDir.resolve("www"));
            Process httpd = host.startInNamespace(
                    List.of("busybox", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", docroot.toString()),
                    workDir.resolve("httpd.log"));
            try {
                String probe = "exec 3<>/dev/tcp/127.0.0.1/" + port;
                assertThat(eventually(() -> host.runInNamespace(Duration.ofSeconds(5), "bash", "-c", probe) == 0))
                        .as("listener reachable inside the namespace; httpd: %s", read(workDir.resolve("httpd.log")))
                        .isTrue();

                assertThat(host.reachableFromHost("127.0.0.1", port)).isFalse();
                assertThat(host.reachableFromHost(host.address(), port)).as("bound to the namespace's loopback only").isFalse();
            } finally {
                httpd.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void cutNetworkDropsTheLinkAndRestoreNetworkBringsItBack() throws Exception {
        host.cutNetwork();
        try {
            assertThat(host.reachableFromHost(host.address(), host.port())).isFalse();
        } finally {
            host.restoreNetwork();
        }
        assertThat(eventually(() -> host.reachableFromHost(host.address(), host.port()))).isTrue();
    }

    @Test
    void killSessionsEndsOpenSessionsButKeepsTheListener() throws Exception {
        List<String> command = sshCommand(List.of("-F", host.sshConfig().toString()), host.alias(), "sleep", "617");
        Path log = workDir.resolve("session.log");
        Process session = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertThat(eventually(() -> remoteSleepRunning())).as("session up; ssh: %s", read(log)).isTrue();

            host.killSessions();

            assertThat(session.waitFor(10, TimeUnit.SECONDS)).as("ssh ends when its session is killed").isTrue();
            assertThat(session.exitValue()).isEqualTo(255);
            assertThat(remoteSleepRunning()).isFalse();
        } finally {
            session.destroyForcibly();
        }
        Ssh again = ssh(List.of("-F", host.sshConfig().toString()), host.alias(), "echo", "hi");
        assertThat(again.exit).as(again.describe()).isZero();
    }

    @Test
    void closeKillsTheNamespaceProcessesAndRemovesTheNamespace(@TempDir Path dir) throws Exception {
        SshTestHost own = SshTestHost.start(dir);
        String namespace = own.namespace();
        Process sleeper = own.startInNamespace(List.of("sleep", "600"), dir.resolve("sleep.log"));
        List<Long> pids = netnsPids(namespace);
        assertThat(pids).as("sshd and sleep").hasSizeGreaterThanOrEqualTo(2).contains(sleeper.pid());
        assertThat(run("ip", "netns", "list")).contains(namespace);

        own.close();
        own.close();

        assertThat(run("ip", "netns", "list")).doesNotContain(namespace);
        assertThat(run("ip", "-o", "addr")).doesNotContain(own.hostSideAddress() + "/");
        assertThat(sleeper.waitFor(5, TimeUnit.SECONDS)).isTrue();
        assertThat(eventually(() -> pids.stream().noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))))
                .as("processes %s gone", pids)
                .isTrue();
    }

    @Test
    void aFailedStartRemovesWhatItCreated(@TempDir Path dir) throws Exception {
        // ssh-keygen refuses to overwrite this, after the namespace and the veth exist.
        Files.createDirectories(dir.resolve("home/.ssh"));
        Files.writeString(dir.resolve("home/.ssh/id_ed25519"), "in the way");

        Throwable failure = catchThrowable(() -> SshTestHost.start(dir));

        assertThat(failure).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ssh-keygen failed")
                .hasMessageContaining(".ci/ssh-prereqs.sh");
        Matcher ns = Pattern.compile("namespace (ota-ssh-[0-9a-f]+)").matcher(failure.getMessage());
        assertThat(ns.find()).as(failure.getMessage()).isTrue();
        assertThat(run("ip", "netns", "list")).doesNotContain(ns.group(1));
        assertThat(run("ip", "-o", "link")).doesNotContain(ns.group(1).replace("ota-ssh-", "ota"));
    }

    private static boolean remoteSleepRunning() {
        return ProcessHandle.allProcesses().anyMatch(p -> p.info().command().orElse("").endsWith("/sleep")
                && p.info().arguments().map(a -> List.of(a).equals(List.of("617"))).orElse(false));
    }

    private record Ssh(int exit, String stdout, String stderr) {
        String describe() {
            return "exit " + exit + "\nstdout: " + stdout + "\nstderr: " + stderr + "\nsshd log:\n" + read(host.sshdLog());
        }
    }

    private static List<String> sshCommand(List<String> options, String target, String... remote) {
        List<String> command = new ArrayList<>(List.of("ssh"));
        command.addAll(options);
        command.addAll(List.of(
                "-o", "UserKnownHostsFile=" + host.knownHosts(),
                "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "StrictHostKeyChecking=yes",
                "-o", "BatchMode=yes",
                "-o", "ConnectTimeout=5",
                target));
        command.addAll(List.of(remote));
        return command;
    }

    private static Ssh ssh(List<String> options, String target, String... remote) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(sshCommand(options, target, remote));
        Map<String, String> env = pb.environment();
        env.put("HOME", host.home().toString());
        env.remove("SSH_AUTH_SOCK");
        Path out = Files.createTempFile(workDir, "ssh", ".out");
        Path err = Files.createTempFile(workDir, "ssh", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ssh timed out: " + read(err));
        }
        return new Ssh(p.exitValue(), read(out), read(err));
    }

    private static List<Long> netnsPids(String namespace) throws Exception {
        return run("ip", "netns", "pids", namespace).lines().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
        return output;
    }

    private static boolean eventually(Callable<Boolean> condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (condition.call()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.call();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}
