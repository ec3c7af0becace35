package dev.ota.core.backend.remote;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real OpenSSH server for the remote backend's tests, alone in a network namespace of its own.
 * The host reaches it only through a veth pair this class creates, so the tests touch no real
 * network, a service bound to the namespace's loopback stays invisible from the host's, and the
 * link can be made to drop. Needs root, iproute2 and openssh-server; it never skips: a machine
 * without them fails with a message naming {@code .ci/ssh-prereqs.sh}.
 *
 * <p>{@link #home()} is a HOME-like directory whose {@code .ssh} holds the client key, a
 * {@code known_hosts} line for the server's key and a {@code config} with the alias
 * {@link #alias()}. OpenSSH's client takes {@code ~} from the password database, not from
 * {@code HOME}: pass {@code -F} and {@code UserKnownHostsFile} explicitly.
 */
public final class SshTestHost implements AutoCloseable {

    private static final String SSHD = "/usr/sbin/sshd";
    private static final String PREREQS =
            "SSH test host needs root, iproute2 and openssh-server; run .ci/ssh-prereqs.sh";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(5);
    private static final int PORT = 22;
    private static final String ALIAS = "devbox";
    /** Paths go unquoted into sshd_config and ssh_config, where blanks split and '%' expands. */
    private static final Pattern PLAIN_PATH = Pattern.compile("[A-Za-z0-9._/+-]+");
    private static final Pattern KEY_NAME = Pattern.compile("[A-Za-z0-9._-]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path workDir;
    private final String ip;
    private final String sshKeygen;
    private final List<String> extraConfig;
    private final String namespace;
    private final String hostVeth;
    private final String nsVeth;
    private final Thread shutdownHook = new Thread(this::tearDownQuietly, "ssh-test-host-cleanup");

    // Set while starting; tearDown undoes only what was actually created.
    private boolean namespaceCreated;
    private boolean vethCreated;
    private Process sshd;
    private boolean tornDown;

    private String address;
    private String hostSideAddress;
    private Path sshdDir;
    private Path keysDir;
    private Path home;
    private Path clientKey;
    private Path hostPublicKey;
    private Path sshdLog;
    private Path pidFile;

    private SshTestHost(Path workDir, String ip, String sshKeygen, List<String> extraConfig) {
        this.workDir = workDir;
        this.ip = ip;
        this.sshKeygen = sshKeygen;
        this.extraConfig = List.copyOf(extraConfig);
        byte[] random = new byte[4];
        RANDOM.nextBytes(random);
        String id = HexFormat.of().formatHex(random);
        this.namespace = "ota-ssh-" + id;
        // Interface names are limited to 15 characters.
        this.hostVeth = "ota" + id + "h";
        this.nsVeth = "ota" + id + "n";
    }

    /**
     * Creates the namespace, its veth link, keys, config and HOME, and starts sshd; returns once
     * sshd accepts TCP from the host. On any failure, removes what it created and throws.
     */
    public static SshTestHost start(Path workDir) throws Exception {
        return start(workDir, List.of());
    }

    /**
     * Like {@link #start(Path)}, with more {@code sshd_config} lines after the fixed ones (for
     * example {@code SetEnv NAME=value} for every session); sshd must accept them.
     */
    public static SshTestHost start(Path workDir, List<String> extraSshdConfig) throws Exception {
        for (String line : extraSshdConfig) {
            if (line.contains("\n") || line.contains("\r")) {
                throw new IllegalArgumentException("an sshd_config line must be one line: " + line);
            }
        }
        List<String> missing = new ArrayList<>();
        if (!isRoot()) {
            missing.add("not root");
        }
        Optional<String> ip = findTool("ip");
        Optional<String> keygen = findTool("ssh-keygen");
        ip.ifPresentOrElse(p -> { }, () -> missing.add("no ip"));
        keygen.ifPresentOrElse(p -> { }, () -> missing.add("no ssh-keygen"));
        if (!Files.isExecutable(Path.of(SSHD))) {
            missing.add("no " + SSHD);
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException(PREREQS + " (" + String.join(", ", missing) + ")");
        }
        Path dir = workDir.toAbsolutePath().normalize();
        if (!PLAIN_PATH.matcher(dir.toString()).matches()) {
            throw new IllegalArgumentException("SSH test host work dir must be a plain path (no blanks or '%'): " + dir);
        }
        SshTestHost host = new SshTestHost(dir, ip.get(), keygen.get(), extraSshdConfig);
        Runtime.getRuntime().addShutdownHook(host.shutdownHook);
        try {
            host.setUp();
            return host;
        } catch (Exception | Error e) {
            try {
                host.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new IllegalStateException("cannot start the SSH test host (namespace " + host.namespace + ", removed): "
                    + e.getMessage() + "\n" + PREREQS, e);
        }
    }

    private void setUp() throws IOException, InterruptedException {
        Files.createDirectories(workDir);
        sshdDir = privateDir(workDir.resolve("sshd"));
        keysDir = privateDir(workDir.resolve("keys"));
        home = privateDir(workDir.resolve("home"));
        Path dotSsh = privateDir(home.resolve(".ssh"));

        ip("netns", "add", namespace);
        namespaceCreated = true;
        ip("link", "add", hostVeth, "type", "veth", "peer", "name", nsVeth, "netns", namespace);
        vethCreated = true;
        assignSubnet();
        ip("link", "set", hostVeth, "up");
        ip("-n", namespace, "addr", "add", address + "/30", "dev", nsVeth);
        ip("-n", namespace, "link", "set", "lo", "up");
        ip("-n", namespace, "link", "set", nsVeth, "up");

        Path hostKey = keygen(sshdDir.resolve("ssh_host_ed25519_key"), "ota-ssh-test-host");
        hostPublicKey = pub(hostKey);
        clientKey = keygen(dotSsh.resolve("id_ed25519"), "ota-ssh-test-client");
        Path authorizedKeys = sshdDir.resolve("authorized_keys");
        writePrivate(authorizedKeys, Files.readString(pub(clientKey)));

        pidFile = sshdDir.resolve("sshd.pid");
        Path config = sshdDir.resolve("sshd_config");
        List<String> configLines = new ArrayList<>(List.of(
                "# One test run's sshd, alone in network namespace " + namespace + ".",
                "HostKey " + hostKey,
                "ListenAddress 0.0.0.0",
                "Port " + PORT,
                "PidFile " + pidFile,
                "AuthorizedKeysFile " + authorizedKeys,
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                // Without PAM, sshd refuses accounts whose password is locked with '!' (not '*').
                "UsePAM no",
                "PermitRootLogin prohibit-password",
                // The work dir lives under a shared temp dir; sshd would reject its ownership chain.
                "StrictModes no",
                "AllowTcpForwarding yes",
                "LogLevel VERBOSE",
                "Subsystem sftp internal-sftp",
                "UseDNS no",
                "PrintMotd no",
                "PrintLastLog no",
                // Tests may open many connections at once; the default 10:30:100 drops some.
                "MaxStartups 100",
                "MaxSessions 100"));
        configLines.addAll(extraConfig);
        configLines.add("");
        writePrivate(config, String.join("\n", configLines));

        String[] hostKeyFields = Files.readString(hostPublicKey).trim().split("\\s+");
        writePrivate(dotSsh.resolve("known_hosts"), address + " " + hostKeyFields[0] + " " + hostKeyFields[1] + "\n");
        writePrivate(dotSsh.resolve("config"), String.join("\n",
                "Host " + ALIAS,
                "    HostName " + address,
                "    User " + user(),
                "    Port " + PORT,
                "    IdentityFile " + clientKey,
                ""));

        // sshd's privilege-separation chroot; Debian creates it only when its service starts.
        Path privsep = Path.of("/run/sshd");
        if (!Files.isDirectory(privsep)) {
            Files.createDirectories(privsep, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        Result check = exec(COMMAND_TIMEOUT, List.of(SSHD, "-t", "-f", config.toString()));
        if (check.exit != 0) {
            throw new IOException("sshd rejects its config: " + check.output);
        }
        sshdLog = sshdDir.resolve("sshd.log");
        sshd = new ProcessBuilder(ip, "netns", "exec", namespace, SSHD, "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(sshdLog.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        awaitSshd();
    }

    /** A random /30 of 10.231.0.0/16 that no host interface overlaps. */
    private void assignSubnet() throws IOException, InterruptedException {
        for (int attempt = 0; attempt < 32; attempt++) {
            long net = (10L << 24) | (231L << 16) | ((long) RANDOM.nextInt(256) << 8) | (RANDOM.nextInt(64) * 4L);
            if (overlapsHostAddress(net, null)) {
                continue;
            }
            ip("addr", "add", dotted(net + 1) + "/30", "dev", hostVeth);
            // A concurrent run may have taken the same /30 between the check and the add.
            if (overlapsHostAddress(net, hostVeth)) {
                ip("addr", "flush", "dev", hostVeth);
                continue;
            }
            hostSideAddress = dotted(net + 1);
            address = dotted(net + 2);
            return;
        }
        throw new IOException("no free /30 in 10.231.0.0/16 after 32 attempts");
    }

    private boolean overlapsHostAddress(long net, String exceptDevice) throws IOException, InterruptedException {
        // Lines look like: "4: eth0    inet 192.0.2.2/24 brd 192.0.2.255 scope global eth0\ ..."
        for (String line : ip("-o", "-4", "addr", "show").split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 4 || !f[2].equals("inet")) {
                continue;
            }
            String device = f[1].replaceFirst("@.*", "");
            if (device.equals(exceptDevice)) {
                continue;
            }
            String[] cidr = f[3].split("/");
            int prefix = cidr.length > 1 ? Integer.parseInt(cidr[1]) : 32;
            long size = 1L << (32 - prefix);
            long start = parseDotted(cidr[0]) & ~(size - 1);
            if (start < net + 4 && net < start + size) {
                return true;
            }
        }
        return false;
    }

    private void awaitSshd() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                throw new IOException("sshd exited with " + sshd.exitValue() + ": " + readLog());
            }
            if (reachableFromHost(address, PORT)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new IOException("sshd did not accept TCP on " + address + ":" + PORT + " within "
                + START_TIMEOUT.toSeconds() + " s: " + readLog());
    }

    public String address() {
        return address;
    }

    public String hostSideAddress() {
        return hostSideAddress;
    }

    public int port() {
        return PORT;
    }

    public String user() {
        return System.getProperty("user.name");
    }

    public Path home() {
        return home;
    }

    public Path clientKey() {
        return clientKey;
    }

    public Path knownHosts() {
        return home.resolve(".ssh").resolve("known_hosts");
    }

    public Path sshConfig() {
        return home.resolve(".ssh").resolve("config");
    }

    public String alias() {
        return ALIAS;
    }

    public String namespace() {
        return namespace;
    }

    public Path hostPublicKey() {
        return hostPublicKey;
    }

    public Path sshdLog() {
        return sshdLog;
    }

    /** A new ed25519 key pair that sshd does not accept; returns the private key. */
    public Path generateKey(String name) throws IOException, InterruptedException {
        if (!KEY_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name must be a plain file name: " + name);
        }
        Path key = keysDir.resolve(name);
        if (Files.exists(key)) {
            throw new IllegalArgumentException("key exists already: " + key);
        }
        return keygen(key, "ota-ssh-test-" + name);
    }

    /** Starts argv inside the namespace, stdout and stderr to log. */
    public Process startInNamespace(List<String> argv, Path log) throws IOException {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        command.addAll(argv);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs argv inside the namespace and returns its exit code; output is appended to workDir/netns-exec.log. */
    public int runInNamespace(Duration timeout, String... argv) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ip, "netns", "exec", namespace));
        command.addAll(List.of(argv));
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(workDir.resolve("netns-exec.log").toFile()))
                .start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new IOException("timed out after " + timeout + " in " + namespace + ": " + String.join(" ", argv));
        }
        return p.exitValue();
    }

    /** Takes the namespace side of the link down: open connections stall, new ones fail. */
    public void cutNetwork() throws IOException, InterruptedException {
        ip("-n", namespace, "link", "set", nsVeth, "down");
    }

    /** Brings the link back and waits until sshd answers again (neighbour discovery takes a moment). */
    public void restoreNetwork() throws IOException, InterruptedException {
        ip("-n", namespace, "link", "set", nsVeth, "up");
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!reachableFromHost(address, PORT)) {
            if (System.nanoTime() > deadline) {
                throw new IOException("sshd at " + address + " is not reachable after the link came back up");
            }
            Thread.sleep(100);
        }
    }

    /** Kills every process below the sshd listener (the per-connection sshd and its sessions); the listener stays. */
    public void killSessions() throws IOException, InterruptedException {
        long listener = Long.parseLong(Files.readString(pidFile).trim());
        List<Long> pids = ProcessHandle.of(listener)
                .map(h -> h.descendants().map(ProcessHandle::pid).toList())
                .orElseThrow(() -> new IOException("sshd listener " + listener + " is gone: " + readLog()));
        killAll(pids);
    }

    public boolean reachableFromHost(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Kills everything in the namespace and removes the veth and the namespace. Idempotent. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs (or ran) tearDown itself
        }
        tearDown();
    }

    private void tearDownQuietly() {
        try {
            tearDown();
        } catch (RuntimeException e) {
            System.err.println("SSH test host cleanup: " + e.getMessage());
        }
    }

    private synchronized void tearDown() {
        if (tornDown) {
            return;
        }
        tornDown = true;
        List<String> failures = new ArrayList<>();
        try {
            if (namespaceCreated) {
                // Repeat: a process may fork (sshd accepting) between the listing and the kill.
                for (int round = 0; round < 5; round++) {
                    List<Long> pids = namespacePids();
                    if (pids.isEmpty()) {
                        break;
                    }
                    killAll(pids);
                }
            }
            if (sshd != null) {
                sshd.destroyForcibly();
                sshd.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            }
            if (vethCreated) {
                // Deleting either end removes the pair; the namespace's deletion would too.
                Result r = exec(COMMAND_TIMEOUT, List.of(ip, "link", "del", hostVeth));
                if (r.exit != 0 && !r.output.contains("Cannot find device")) {
                    failures.add("ip link del " + hostVeth + ": " + r.output);
                }
            }
            if (namespaceCreated) {
                Result r = exec(COMMAND_TIMEOUT, List.of(ip, "netns", "del", namespace));
                if (r.exit != 0) {
                    failures.add("ip netns del " + namespace + ": " + r.output);
                }
            }
        } catch (IOException e) {
            failures.add(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add("interrupted");
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("SSH test host cleanup failed: " + String.join("; ", failures));
        }
    }

    private List<Long> namespacePids() throws IOException, InterruptedException {
        Result r = exec(COMMAND_TIMEOUT, List.of(ip, "netns", "pids", namespace));
        if (r.exit != 0) {
            throw new IOException("ip netns pids " + namespace + ": " + r.output);
        }
        return r.output.lines().map(String::trim).filter(s -> !s.isEmpty()).map(Long::parseLong).toList();
    }

    private static void killAll(List<Long> pids) throws InterruptedException {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        long deadline = System.nanoTime() + KILL_TIMEOUT.toNanos();
        while (pids.stream().anyMatch(SshTestHost::running) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /** Alive and not a zombie (a zombie whose parent is not the JVM may linger unreaped). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
            return state != 'Z' && state != 'X';
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    private Path keygen(Path key, String comment) throws IOException, InterruptedException {
        Result r = exec(COMMAND_TIMEOUT, List.of(sshKeygen, "-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", key.toString()));
        if (r.exit != 0) {
            throw new IOException("ssh-keygen failed for " + key + ": " + r.output);
        }
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Files.setPosixFilePermissions(pub(key), PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    private static Path pub(Path key) {
        return key.resolveSibling(key.getFileName() + ".pub");
    }

    private static Path privateDir(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }

    private String readLog() {
        try {
            return sshdLog == null ? "(no log)" : Files.readString(sshdLog);
        } catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    /** Runs ip with args; returns its output, throws on a non-zero exit. */
    private String ip(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        Result r = exec(COMMAND_TIMEOUT, command);
        if (r.exit != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + r.exit + "): " + r.output.trim());
        }
        return r.output;
    }

    private record Result(int exit, String output) {}

    private static Result exec(Duration timeout, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        // The commands run here print little; reading before waiting cannot fill the pipe.
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        return new Result(p.exitValue(), output);
    }

    private static boolean isRoot() {
        try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
            // "Uid:	real	effective	saved	fs"
            return lines.filter(l -> l.startsWith("Uid:"))
                    .map(l -> l.split("\\s+")[2])
                    .anyMatch("0"::equals);
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }

    private static Optional<String> findTool(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/sbin:/usr/bin:/bin";
        return Stream.of(path.split(":"))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, name))
                .filter(Files::isExecutable)
                .map(Path::toString)
                .findFirst();
    }

    private static String dotted(long a) {
        return ((a >> 24) & 255) + "." + ((a >> 16) & 255) + "." + ((a >> 8) & 255) + "." + (a & 255);
    }

    private static long parseDotted(String s) {
        long a = 0;
        for (String part : s.split("\\.")) {
            a = (a << 8) | Long.parseLong(part);
        }
        return a;
    }
}
