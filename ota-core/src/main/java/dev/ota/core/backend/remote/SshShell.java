package dev.ota.core.backend.remote;

import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.Interrupts;
import dev.ota.core.backend.posix.ScriptProbe;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeAttempt;
import dev.ota.core.probe.ProbeSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import javax.net.SocketFactory;
import net.schmizz.keepalive.KeepAlive;
import net.schmizz.keepalive.KeepAliveProvider;
import net.schmizz.keepalive.KeepAliveRunner;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.OpenFailException;
import net.schmizz.sshj.connection.channel.direct.DirectConnection;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.method.AuthMethod;
import net.schmizz.sshj.userauth.method.AuthPublickey;

/**
 * The {@code ssh} provider over sshj: one connection per remote boundary, opened on first use and
 * shared by every step; OpenSSH's own sources of truth ({@code ~/.ssh/config} or
 * {@code remote.ssh.config_file}, {@code known_hosts}, the agent, the default identities or
 * {@code remote.ssh.identity_file}); strict host-key checking; readiness through
 * {@code direct-tcpip} channels, so it is observed on the remote plane.
 */
public final class SshShell implements RemoteShell {

    static final List<String> DEFAULT_IDENTITIES = List.of("id_ed25519", "id_ecdsa", "id_rsa");
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** How long opening a channel may take; the keep-alive notices a dead link sooner. */
    private static final Duration CHANNEL_TIMEOUT = Duration.ofSeconds(20);
    /** Keep-alive requests every 2 s; 3 unanswered ones mean the connection is gone. */
    private static final int KEEP_ALIVE_SECONDS = 2;
    private static final int KEEP_ALIVE_MISSES = 3;

    /** Where {@code user@host[:port]} or an alias leads, and how to authenticate there. */
    record Resolved(String user, String host, int port, String alias, List<Path> identities, List<Path> knownHosts,
            Path agentSocket) {}

    private final RemoteEndpoint endpoint;
    private final Map<String, String> environment;
    private final ExecutorService io = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ota-ssh-io");
        t.setDaemon(true);
        return t;
    });
    private SSHClient client;
    private Resolved resolved;
    private volatile String broken;

    /** @param environment the build's environment ({@code HOME}, {@code SSH_AUTH_SOCK}) */
    public SshShell(RemoteEndpoint endpoint, Map<String, String> environment) {
        this.endpoint = endpoint;
        this.environment = environment;
    }

    @Override
    public synchronized String describe() {
        if (resolved == null) {
            return "ssh " + endpoint.target();
        }
        String where = "ssh " + resolved.user() + "@" + resolved.host() + ":" + resolved.port();
        return resolved.alias() == null ? where : where + " (" + resolved.alias() + ")";
    }

    @Override
    public synchronized String resolvedTarget() {
        if (resolved == null) {
            try {
                resolved = resolve();
            } catch (BackendException e) {
                return endpoint.target();
            }
        }
        return resolved.user() + "@" + resolved.host() + ":" + resolved.port();
    }

    @Override
    public String broken() {
        return broken;
    }

    // ---- connecting -----------------------------------------------------------------------------

    /** Parses the target and applies the SSH config, without touching the network. */
    Resolved resolve() throws BackendException {
        String target = endpoint.target();
        String user = null;
        String hostPart = target;
        int at = target.lastIndexOf('@');
        if (at >= 0) {
            user = target.substring(0, at);
            hostPart = target.substring(at + 1);
        }
        Integer port = null;
        String host = hostPart;
        if (hostPart.startsWith("[") && hostPart.contains("]")) {
            int close = hostPart.indexOf(']');
            host = hostPart.substring(1, close);
            String rest = hostPart.substring(close + 1);
            port = rest.startsWith(":") ? port(rest.substring(1), target) : null;
        } else if (hostPart.indexOf(':') > 0 && hostPart.indexOf(':') == hostPart.lastIndexOf(':')) {
            host = hostPart.substring(0, hostPart.indexOf(':'));
            port = port(hostPart.substring(hostPart.indexOf(':') + 1), target);
        }
        if (host.isBlank() || (user != null && user.isBlank())) {
            throw new BackendException("remote target `" + target + "` is not `user@host[:port]` or an SSH host alias;"
                    + " fix `remote.target`");
        }
        Path home = home();
        Path sshDir = home.resolve(".ssh");
        Path configFile = endpoint.sshConfigFile() != null ? expand(endpoint.sshConfigFile(), home) : sshDir.resolve("config");
        if (endpoint.sshConfigFile() != null && !Files.isRegularFile(configFile)) {
            throw new BackendException("`remote.ssh.config_file` " + configFile + " does not exist; fix the path or remove it"
                    + " to use " + sshDir.resolve("config"));
        }
        SshConfigFile.HostSettings settings;
        try {
            settings = SshConfigFile.read(configFile).lookup(host);
        } catch (IOException | IllegalArgumentException e) {
            throw new BackendException("cannot read the SSH config " + configFile + ": " + e.getMessage(), e);
        }
        String hostName = settings.hostName() != null ? settings.hostName() : host;
        String effectiveUser = user != null ? user : settings.user() != null ? settings.user()
                : System.getProperty("user.name");
        int effectivePort = port != null ? port : settings.port() != null ? settings.port() : 22;
        List<Path> identities = new ArrayList<>();
        if (endpoint.sshIdentityFile() != null) {
            Path id = expand(endpoint.sshIdentityFile(), home);
            if (!Files.isRegularFile(id)) {
                throw new BackendException("`remote.ssh.identity_file` " + id + " does not exist; fix the path or remove it"
                        + " to use the agent and the default identities");
            }
            identities.add(id);
        } else if (!settings.identityFiles().isEmpty()) {
            settings.identityFiles().stream().map(f -> expand(f, home)).filter(Files::isRegularFile).forEach(identities::add);
        } else {
            DEFAULT_IDENTITIES.stream().map(sshDir::resolve).filter(Files::isRegularFile).forEach(identities::add);
        }
        String sock = environment.get("SSH_AUTH_SOCK");
        Path agent = sock == null || sock.isBlank() || !Files.exists(Path.of(sock)) ? null : Path.of(sock);
        List<Path> knownHosts = List.of(sshDir.resolve("known_hosts"), Path.of("/etc/ssh/ssh_known_hosts"));
        return new Resolved(effectiveUser, hostName, effectivePort, hostName.equals(host) ? null : host,
                List.copyOf(identities), knownHosts, agent);
    }

    private static int port(String s, String target) throws BackendException {
        try {
            int p = Integer.parseInt(s);
            if (p < 1 || p > 65535) {
                throw new NumberFormatException();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new BackendException("remote target `" + target + "` has port `" + s + "`, which is not 1-65535");
        }
    }

    private Path home() {
        String h = environment.get("HOME");
        return Path.of(h == null || h.isBlank() ? System.getProperty("user.home") : h);
    }

    private static Path expand(String path, Path home) {
        if (path.equals("~")) {
            return home;
        }
        if (path.startsWith("~/")) {
            return home.resolve(path.substring(2));
        }
        return Path.of(path.replace("%d", home.toString()));
    }

    @Override
    public synchronized void connect() throws BackendException {
        if (broken != null) {
            throw new BackendException(broken);
        }
        if (client != null && client.isConnected() && client.isAuthenticated()) {
            return;
        }
        if (client != null) {
            // an established connection dropped: this build step does not silently reconnect
            broken = "the SSH connection to " + describe() + " was lost; check the host and the network, then run the"
                    + " build again";
            closeQuietly(client);
            throw new BackendException(broken);
        }
        Resolved r = resolve();
        resolved = r;
        KnownHostsVerifier verifier;
        try {
            verifier = new KnownHostsVerifier(r.knownHosts());
        } catch (IOException e) {
            throw new BackendException("cannot read known_hosts (" + r.knownHosts() + "): " + e.getMessage(), e);
        }
        DefaultConfig config = new DefaultConfig();
        config.setLoggerFactory(SshLogging.QUIET);
        config.setKeepAliveProvider(KeepAliveProvider.KEEP_ALIVE);
        SSHClient c = new SSHClient(config);
        c.addHostKeyVerifier(verifier);
        c.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
        c.setSocketFactory(NoDelaySockets.INSTANCE);
        // the keep-alive thread starts on connect, and only when enabled before it
        KeepAlive keepAlive = c.getConnection().getKeepAlive();
        keepAlive.setKeepAliveInterval(KEEP_ALIVE_SECONDS);
        if (keepAlive instanceof KeepAliveRunner runner) {
            runner.setMaxAliveCount(KEEP_ALIVE_MISSES);
        }
        c.getConnection().setTimeoutMs((int) CHANNEL_TIMEOUT.toMillis());
        String where = r.host() + ":" + r.port();
        try {
            c.connect(r.host(), r.port());
        } catch (TransportException e) {
            closeQuietly(c);
            if (verifier.refusal() != null) {
                throw new BackendException("cannot connect to " + describe() + ": " + verifier.refusal(), e);
            }
            throw new BackendException("cannot connect to " + describe() + ": " + e.getMessage(), e);
        } catch (UnknownHostException e) {
            closeQuietly(c);
            throw new BackendException("cannot reach SSH host `" + r.host() + "` of remote target `" + endpoint.target()
                    + "`: unknown host; check the name (or its HostName in the SSH config)", e);
        } catch (ConnectException | NoRouteToHostException | SocketTimeoutException e) {
            closeQuietly(c);
            throw new BackendException("cannot reach the SSH server at " + where + " (remote target `" + endpoint.target()
                    + "`): " + e.getMessage() + "; check the host is up and sshd listens there — `ssh " + endpoint.target()
                    + " true` must work outside ota first", e);
        } catch (IOException e) {
            closeQuietly(c);
            throw new BackendException("cannot connect to the SSH server at " + where + ": " + e.getMessage(), e);
        }
        List<AuthMethod> methods = new ArrayList<>();
        List<String> tried = new ArrayList<>();
        if (r.agentSocket() != null) {
            SshAgent agent = new SshAgent(r.agentSocket());
            try {
                for (SshAgent.Identity id : agent.identities()) {
                    AgentAuth m = new AgentAuth(agent, id);
                    methods.add(m);
                    tried.add(m.toString());
                }
            } catch (IOException e) {
                tried.add("agent at " + r.agentSocket() + " (unusable: " + e.getMessage() + ")");
            }
        }
        for (Path id : r.identities()) {
            try {
                methods.add(new AuthPublickey(c.loadKeys(id.toString())));
                tried.add(id.toString());
            } catch (IOException | RuntimeException e) {
                tried.add(id + " (unreadable: " + e.getMessage() + ")");
            }
        }
        if (methods.isEmpty()) {
            closeQuietly(c);
            throw new BackendException("no SSH identity to authenticate to " + describe() + " with: " + (tried.isEmpty()
                    ? "no agent (SSH_AUTH_SOCK is unset), no `remote.ssh.identity_file`, no IdentityFile in the SSH config and"
                            + " none of ~/.ssh/" + String.join(", ~/.ssh/", DEFAULT_IDENTITIES)
                    : String.join("; ", tried)) + "; add a key (ssh-keygen) and authorize it on the host, or set"
                    + " `remote.ssh.identity_file`");
        }
        try {
            c.auth(r.user(), methods);
        } catch (UserAuthException e) {
            closeQuietly(c);
            throw new BackendException("SSH authentication as `" + r.user() + "` to " + where + " failed; tried "
                    + String.join(", ", tried) + ". Fix: authorize one of these keys for `" + r.user() + "` on the host"
                    + " (~/.ssh/authorized_keys there), or point `remote.ssh.identity_file` (or IdentityFile in the SSH config)"
                    + " at a key the host accepts", e);
        } catch (TransportException e) {
            closeQuietly(c);
            throw new BackendException("the SSH connection to " + where + " broke during authentication: " + e.getMessage(), e);
        }
        client = c;
    }

    /** The connected client, or why there is none. */
    private synchronized SSHClient client() throws BackendException {
        connect();
        return client;
    }

    /** Turns a failure on an open connection into "lost" once the transport is down. */
    private BackendException failure(String what, Exception e) {
        SSHClient c;
        synchronized (this) {
            c = client;
        }
        if (c == null || !c.isConnected() || disconnected(e)) {
            String lost = "the SSH connection to " + describe() + " was lost (" + rootMessage(e) + ")";
            broken = lost + "; check the host and the network, then run the build again";
            return new BackendException(broken, e);
        }
        return new BackendException(what + " on " + describe() + " failed: " + rootMessage(e), e);
    }

    /** Whether sshj says the transport is gone (keep-alive unanswered, peer closed...). */
    private static boolean disconnected(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof net.schmizz.sshj.common.SSHException x
                    && x.getDisconnectReason() != net.schmizz.sshj.common.DisconnectReason.UNKNOWN) {
                return true;
            }
        }
        return false;
    }

    // ---- commands -------------------------------------------------------------------------------

    @Override
    public ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout)
            throws BackendException, InterruptedException {
        return run(shellFlags, script, args, timeout, true);
    }

    @Override
    public ScriptResult runToEnd(String shellFlags, String script, List<String> args, Duration timeout)
            throws BackendException {
        return Interrupts.uninterruptibly(() -> run(shellFlags, script, args, timeout, false));
    }

    private ScriptResult run(String shellFlags, String script, List<String> args, Duration timeout, boolean interruptible)
            throws BackendException, InterruptedException {
        SSHClient c = client();
        boolean interrupted = false;
        try (Session session = c.startSession()) {
            Session.Command cmd = session.exec(ShellQuote.shCommand(shellFlags, script, args));
            Future<byte[]> out = io.submit(() -> cmd.getInputStream().readAllBytes());
            Future<byte[]> err = io.submit(() -> cmd.getErrorStream().readAllBytes());
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    waitClosed(cmd, c, deadline, "a command");
                    break;
                } catch (InterruptedException e) {
                    if (interruptible) {
                        throw e;
                    }
                    interrupted = true;
                }
            }
            return new ScriptResult(exit(cmd), new String(bytes(getQuietly(out)), StandardCharsets.UTF_8),
                    new String(bytes(getQuietly(err)), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw failure("running a command", e);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #get} that keeps an interrupt for the caller instead of throwing it. */
    private static <T> T getQuietly(Future<T> f) {
        return Interrupts.uninterruptibly(() -> get(f));
    }

    @Override
    public int stream(String shellFlags, String script, List<String> args, Consumer<String> lines)
            throws BackendException, InterruptedException {
        SSHClient c = client();
        try (Session session = c.startSession()) {
            Session.Command cmd = session.exec(ShellQuote.shCommand(shellFlags, script, args));
            Future<?> out = io.submit(() -> pump(cmd.getInputStream(), lines));
            Future<?> err = io.submit(() -> pump(cmd.getErrorStream(), lines));
            waitClosed(cmd, c, Long.MAX_VALUE, "the task");
            get(out);
            get(err);
            return exit(cmd);
        } catch (IOException e) {
            throw failure("running the task", e);
        }
    }

    /** Waits for a channel to close; interruptible, and fails fast when the connection dies. */
    private void waitClosed(Session.Command cmd, SSHClient c, long deadline, String what)
            throws BackendException, InterruptedException {
        while (cmd.isOpen()) {
            if (Thread.interrupted()) {
                throw new InterruptedException("interrupted while " + what + " ran on " + describe());
            }
            if (!c.isConnected()) {
                throw failure(what, new IOException("connection closed"));
            }
            if (System.nanoTime() > deadline) {
                throw new BackendException(what + " on " + describe() + " did not finish in time");
            }
            try {
                cmd.join(200, TimeUnit.MILLISECONDS);
            } catch (ConnectionException e) {
                if (e.getCause() instanceof InterruptedException) { // sshj swallows the thread's flag
                    throw new InterruptedException("interrupted while " + what + " ran on " + describe());
                }
                // the wait timed out (or the channel broke: the loop checks the connection)
            }
        }
        if (cmd.getExitStatus() == null && cmd.getExitSignal() == null) {
            // no exit status: the channel died with the connection (whose teardown may lag a little)
            for (int i = 0; i < 20 && c.isConnected() && broken == null; i++) {
                Thread.sleep(50);
            }
            throw failure(what, new IOException("the connection closed before " + what + " reported its exit status"));
        }
    }

    private static int exit(Session.Command cmd) {
        Integer status = cmd.getExitStatus();
        return status == null ? -1 : status;
    }

    private static void pump(InputStream in, Consumer<String> lines) {
        try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.accept(line);
                }
            }
        } catch (IOException ignored) {
            // the channel closed; the exit status says how it ended
        }
    }

    private static <T> T get(Future<T> f) throws InterruptedException {
        try {
            return f.get(5, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            f.cancel(true);
            return null;
        }
    }

    private static byte[] bytes(byte[] b) {
        return b == null ? new byte[0] : b;
    }

    // ---- probes on the remote plane -------------------------------------------------------------

    @Override
    public Probe probe(ProbeSpec spec) {
        if (ProbeSpec.HTTP.equals(spec.kind()) && !"http".equalsIgnoreCase(spec.scheme())) {
            return RemoteShell.super.probe(spec); // TLS: curl/wget on the remote host
        }
        if (!ProbeSpec.TCP.equals(spec.kind()) && !ProbeSpec.HTTP.equals(spec.kind())) {
            throw new IllegalArgumentException("probe " + spec.label() + ": unknown kind `" + spec.kind() + "` (tcp or http)");
        }
        return number -> {
            long start = System.nanoTime();
            String detail;
            try {
                detail = ProbeSpec.TCP.equals(spec.kind()) ? tcp(spec) : http(spec);
            } catch (BackendException e) {
                detail = e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                detail = "interrupted";
            }
            return new ProbeAttempt(number, detail.startsWith("ready"), detail, Duration.ofNanos(System.nanoTime() - start));
        };
    }

    private String plane() {
        return "on " + describe() + " via direct-tcpip";
    }

    /** Opens a direct-tcpip channel (sshd connects on the remote plane); an immediate close is not ready. */
    private String tcp(ProbeSpec spec) throws BackendException, InterruptedException {
        DirectConnection dc = open(spec);
        if (dc == null) {
            return "connection refused on the remote plane (" + spec.host() + ":" + spec.port() + ")";
        }
        try {
            Future<Integer> first = io.submit(() -> dc.getInputStream().read());
            try {
                int b = first.get(200, TimeUnit.MILLISECONDS);
                return b < 0 ? "connection closed at once by " + spec.host() + ":" + spec.port() : "ready (tcp accept " + plane() + ")";
            } catch (TimeoutException e) {
                first.cancel(true);
                return "ready (tcp accept " + plane() + ")";
            } catch (ExecutionException e) {
                return "connection reset by " + spec.host() + ":" + spec.port();
            }
        } finally {
            closeQuietly(dc);
        }
    }

    /** One HTTP/1.1 request over a direct-tcpip channel. */
    private String http(ProbeSpec spec) throws BackendException, InterruptedException {
        DirectConnection dc = open(spec);
        if (dc == null) {
            return "connection refused on the remote plane (" + spec.host() + ":" + spec.port() + ")";
        }
        try {
            StringBuilder req = new StringBuilder();
            String path = spec.path().startsWith("/") ? spec.path() : "/" + spec.path();
            req.append(spec.method()).append(' ').append(path).append(" HTTP/1.1\r\n");
            req.append("Host: ").append(spec.host().contains(":") ? "[" + spec.host() + "]" : spec.host()).append(':')
                    .append(spec.port()).append("\r\n");
            spec.headers().forEach((k, v) -> req.append(k).append(": ").append(v).append("\r\n"));
            req.append("Connection: close\r\nUser-Agent: ota-maven\r\n\r\n");
            Future<byte[]> exchange = io.submit(() -> {
                OutputStream out = dc.getOutputStream();
                out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return readLimited(dc.getInputStream(), 1 << 20);
            });
            byte[] response;
            try {
                response = exchange.get(spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                exchange.cancel(true);
                return "no HTTP response within " + spec.timeout().toMillis() + " ms";
            } catch (ExecutionException e) {
                return "HTTP exchange failed: " + rootMessage(e);
            }
            HttpResponse parsed = HttpResponse.parse(response);
            return ScriptProbe.httpVerdict(spec, parsed.status(), parsed.status() == 0 ? "no HTTP response (connection closed)"
                    : parsed.body(), plane());
        } finally {
            closeQuietly(dc);
        }
    }

    /** A direct-tcpip channel to the probed endpoint, or null when sshd could not connect to it. */
    private DirectConnection open(ProbeSpec spec) throws BackendException, InterruptedException {
        SSHClient c = client();
        Future<DirectConnection> opening = io.submit(() -> c.newDirectConnection(spec.host(), spec.port()));
        try {
            return opening.get(spec.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            opening.cancel(true);
            if (!c.isConnected()) {
                throw failure("a readiness probe", e);
            }
            throw new BackendException("no answer from " + describe() + " to open " + spec.host() + ":" + spec.port()
                    + " within " + spec.timeout().toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof OpenFailException) {
                return null;
            }
            throw failure("a readiness probe", e.getCause() instanceof Exception x ? x : e);
        }
    }

    private static byte[] readLimited(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (out.size() < limit && (n = in.read(buf)) >= 0) {
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    /**
     * Sockets with {@code TCP_NODELAY}, set before they connect. Every step here is a small request
     * awaiting a small answer (key exchange, authentication, channel opens, short commands); with
     * Nagle's algorithm a small write that follows one not yet acknowledged waits for the server's
     * delayed ACK (40 ms on Linux): about 44 ms each in connecting, in a command and in a probe
     * (docs/performance.md, remote reuse). OpenSSH's client sets it on its sessions too.
     */
    private static final class NoDelaySockets extends SocketFactory {
        static final NoDelaySockets INSTANCE = new NoDelaySockets();

        @Override
        public Socket createSocket() throws IOException {
            Socket s = new Socket();
            s.setTcpNoDelay(true);
            return s;
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return connected(new InetSocketAddress(host, port), null);
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
            return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
        }

        private Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
            Socket s = createSocket();
            if (local != null) {
                s.bind(local);
            }
            s.connect(remote);
            return s;
        }
    }

    // ---- closing --------------------------------------------------------------------------------

    @Override
    public synchronized void close() {
        if (client != null) {
            closeQuietly(client);
            client = null;
        }
        io.shutdownNow();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
