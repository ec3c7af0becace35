package dev.ota.core.backend.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ota.core.activate.Live;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sshj transport against a real OpenSSH server in its own network namespace. */
class SshShellTest {

    @TempDir
    static Path work;

    @RegisterExtension
    static final SshTestHostExtension DEVBOX = new SshTestHostExtension();

    private static SshTestHost host() {
        return DEVBOX.host();
    }

    private static Map<String, String> env(Path home) {
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        env.put("PATH", System.getenv("PATH"));
        return env;
    }

    private static SshShell shell(String target, String identity) {
        return new SshShell(new RemoteEndpoint("ssh", target, null, null, identity), env(host().home()));
    }

    /** A HOME whose .ssh holds only the given known_hosts text (and no keys). */
    private static Path homeWithKnownHosts(String name, String knownHosts) throws Exception {
        Path home = work.resolve(name);
        Files.createDirectories(home.resolve(".ssh"));
        Files.writeString(home.resolve(".ssh/known_hosts"), knownHosts);
        return home;
    }

    @Test
    void aliasFromTheSshConfigResolvesAndHostileArgumentsArriveLiterally() throws Exception {
        try (SshShell shell = shell(host().alias(), null)) {
            String hostile = "a b'c\"$(touch /tmp/ota-pwned)`id`;|&* $HOME \\n";
            ScriptResult r = shell.run("-c", "printf '%s' \"$1\"; echo err >&2; exit 3", List.of(hostile), Duration.ofSeconds(20));
            assertThat(r.stdout()).isEqualTo(hostile);
            assertThat(r.stderr().trim()).isEqualTo("err");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(Path.of("/tmp/ota-pwned")).doesNotExist();
            assertThat(shell.describe()).isEqualTo("ssh " + host().user() + "@" + host().address() + ":22 (devbox)");
            assertThat(shell.resolvedTarget()).isEqualTo(host().user() + "@" + host().address() + ":22");
        }
    }

    @Test
    void oneConnectionServesEveryStep() throws Exception {
        long before = acceptedLogins();
        try (SshShell shell = shell(host().alias(), null)) {
            for (int i = 0; i < 3; i++) {
                shell.run("-c", "true", List.of(), Duration.ofSeconds(20));
            }
            shell.stream("-c", "echo x", List.of(), line -> {});
            shell.probe(spec(ProbeSpec.TCP, 22, "/", null)).attempt(1);
        }
        Thread.sleep(200); // sshd writes its log line asynchronously
        assertThat(acceptedLogins() - before).isEqualTo(1);
    }

    private static long acceptedLogins() throws Exception {
        return Files.readAllLines(host().sshdLog()).stream().filter(l -> l.contains("Accepted publickey")).count();
    }

    @Test
    void userAtHostWithAnExplicitIdentityFileConnects() throws Exception {
        try (SshShell shell = shell(host().user() + "@" + host().address() + ":22", host().clientKey().toString())) {
            assertThat(shell.run("-c", "echo ok", List.of(), Duration.ofSeconds(20)).stdout()).isEqualTo("ok\n");
        }
    }

    @Test
    void streamedOutputLinesAndExitCode() throws Exception {
        try (SshShell shell = shell(host().alias(), null)) {
            List<String> lines = new ArrayList<>();
            int code = shell.stream("-c", "echo one; echo two >&2; echo three; exit 5", List.of(), lines::add);
            assertThat(code).isEqualTo(5);
            assertThat(lines).containsExactlyInAnyOrder("one", "two", "three");
        }
    }

    @Test
    void anUnknownHostKeyIsRefusedWithTheFix() throws Exception {
        Path home = homeWithKnownHosts("unknown-home", "");
        SshShell shell = new SshShell(new RemoteEndpoint("ssh", host().user() + "@" + host().address(), null, null,
                host().clientKey().toString()), env(home));
        assertThatThrownBy(shell::connect).isInstanceOf(BackendException.class)
                .hasMessageContaining("host key of " + host().address())
                .hasMessageContaining("is not in " + home.resolve(".ssh/known_hosts"))
                .hasMessageContaining("never accepts unknown host keys")
                .hasMessageContaining("ssh-keyscan " + host().address());
        assertThat(Files.readString(home.resolve(".ssh/known_hosts"))).as("nothing is added").isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedAsAPossibleAttack() throws Exception {
        Path other = host().generateKey("impostor");
        String otherPub = Files.readString(Path.of(other + ".pub"), StandardCharsets.UTF_8).trim();
        String[] parts = otherPub.split(" ");
        Path home = homeWithKnownHosts("changed-home", host().address() + " " + parts[0] + " " + parts[1] + "\n");
        SshShell shell = new SshShell(new RemoteEndpoint("ssh", host().user() + "@" + host().address(), null, null,
                host().clientKey().toString()), env(home));
        assertThatThrownBy(shell::connect).isInstanceOf(BackendException.class)
                .hasMessageContaining("has CHANGED")
                .hasMessageContaining("ssh-keygen -R '" + host().address() + "'");
    }

    @Test
    void aKeyTheHostDoesNotAcceptFailsNamingTheIdentityTried() throws Exception {
        Path wrong = host().generateKey("wrong");
        try (SshShell shell = shell(host().user() + "@" + host().address(), wrong.toString())) {
            assertThatThrownBy(shell::connect).isInstanceOf(BackendException.class)
                    .hasMessageContaining("SSH authentication as `" + host().user() + "`")
                    .hasMessageContaining(wrong.toString())
                    .hasMessageContaining("authorized_keys");
        }
    }

    @Test
    void noSshServerListeningFailsWithHostAndPort() throws Exception {
        try (SshShell shell = shell(host().user() + "@" + host().address() + ":2222", host().clientKey().toString())) {
            assertThatThrownBy(shell::connect).isInstanceOf(BackendException.class)
                    .hasMessageContaining("cannot reach the SSH server at " + host().address() + ":2222")
                    .hasMessageContaining("ssh " + host().user() + "@" + host().address() + ":2222 true");
        }
    }

    @Test
    void keysFromTheSshAgentAuthenticate() throws Exception {
        Path sock = work.resolve("agent.sock");
        Process agent = new ProcessBuilder("ssh-agent", "-D", "-a", sock.toString()).redirectErrorStream(true)
                .redirectOutput(work.resolve("agent.log").toFile()).start();
        try {
            for (int i = 0; i < 100 && !Files.exists(sock); i++) {
                Thread.sleep(50);
            }
            ProcessBuilder addKey = new ProcessBuilder("ssh-add", host().clientKey().toString()).redirectErrorStream(true);
            addKey.environment().put("SSH_AUTH_SOCK", sock.toString());
            Process add = addKey.start();
            String said = new String(add.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(add.waitFor()).as(said).isZero();
            // a HOME with the host key but no private keys: only the agent can authenticate
            Path home = homeWithKnownHosts("agent-home", Files.readString(host().knownHosts()));
            Map<String, String> env = env(home);
            env.put("SSH_AUTH_SOCK", sock.toString());
            try (SshShell shell = new SshShell(new RemoteEndpoint("ssh", host().user() + "@" + host().address(), null, null, null),
                    env)) {
                assertThat(shell.run("-c", "echo via-agent", List.of(), Duration.ofSeconds(20)).stdout()).isEqualTo("via-agent\n");
            }
        } finally {
            agent.destroy();
        }
    }

    @Test
    void probesRunOnTheRemotePlaneThroughDirectTcpip() throws Exception {
        int port = Live.freePort();
        Path www = work.resolve("www");
        Files.createDirectories(www);
        Files.writeString(www.resolve("health"), "healthy\n");
        Process httpd = host().startInNamespace(List.of("busybox", "httpd", "-f", "-p", "127.0.0.1:" + port, "-h", www.toString()),
                work.resolve("httpd.log"));
        try (SshShell shell = shell(host().alias(), null)) {
            ProbeSpec tcp = spec(ProbeSpec.TCP, port, "/", null);
            ProbeAttempt ready = awaitReady(shell, tcp);
            assertThat(ready.detail()).contains("via direct-tcpip");
            assertThat(host().reachableFromHost("127.0.0.1", port)).as("the host's loopback is another plane").isFalse();

            ProbeAttempt http = shell.probe(spec(ProbeSpec.HTTP, port, "/health", "healthy")).attempt(1);
            assertThat(http.ready()).as(http.detail()).isTrue();
            assertThat(http.detail()).contains("HTTP 200");
            ProbeAttempt missing = shell.probe(spec(ProbeSpec.HTTP, port, "/nope", null)).attempt(1);
            assertThat(missing.ready()).isFalse();
            assertThat(missing.detail()).isEqualTo("HTTP 404");
            ProbeAttempt lacks = shell.probe(spec(ProbeSpec.HTTP, port, "/health", "absent")).attempt(1);
            assertThat(lacks.ready()).isFalse();
            assertThat(lacks.detail()).contains("body lacks");

            ProbeAttempt closed = shell.probe(spec(ProbeSpec.TCP, port + 1 > 65535 ? port - 1 : port + 1, "/", null)).attempt(1);
            assertThat(closed.ready()).isFalse();
            assertThat(closed.detail()).contains("connection refused on the remote plane");
        } finally {
            httpd.destroyForcibly();
        }
    }

    private static ProbeAttempt awaitReady(SshShell shell, ProbeSpec spec) throws InterruptedException {
        ProbeAttempt last = null;
        for (int i = 0; i < 100; i++) {
            last = shell.probe(spec).attempt(i + 1);
            if (last.ready()) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not ready: " + last.detail());
    }

    private static ProbeSpec spec(String kind, int port, String path, String body) {
        return new ProbeSpec("dev.http", kind, "127.0.0.1", port, "http", "GET", path, Map.of(), List.of(), body,
                Duration.ofMillis(100), Duration.ofSeconds(2), 3, Duration.ZERO);
    }

    @Test
    void aDroppedConnectionFailsClearlyAndFast() throws Exception {
        try (SshShell shell = shell(host().alias(), null)) {
            shell.run("-c", "true", List.of(), Duration.ofSeconds(20));
            host().cutNetwork();
            try {
                long start = System.nanoTime();
                assertThatThrownBy(() -> shell.run("-c", "sleep 60", List.of(), Duration.ofSeconds(60)))
                        .isInstanceOf(BackendException.class)
                        .hasMessageContaining("SSH connection to " + shell.describe() + " was lost");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(30));
                assertThat(shell.broken()).contains("was lost");
                assertThatThrownBy(() -> shell.run("-c", "true", List.of(), Duration.ofSeconds(5)))
                        .hasMessageContaining("was lost");
            } finally {
                host().restoreNetwork();
            }
        }
    }
}
