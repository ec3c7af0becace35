package dev.ota.core.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.ota.core.backend.Backend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.FileLockInterruptionException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;

/**
 * ota-maven's durable state of one repository, under {@code <repo>/.ota/state/}:
 *
 * <pre>
 * .ota/state/ownership-id               token of this repo checkout (derived from its path), created once
 * .ota/state/services/&lt;task&gt;.json      one {@link ServiceRecord} per started service
 * .ota/state/logs/&lt;task&gt;.log           the service's stdout and stderr
 * .ota/state/locks/&lt;identity&gt;.lock     start-or-join lock per producer identity
 * </pre>
 *
 * File names are the task (or identity) when it is a plain name ({@code [A-Za-z0-9_-][A-Za-z0-9._-]*}),
 * otherwise a sanitized form plus a short hash so different names never share a file. Records are
 * written atomically (temp file in the same directory, then an atomic rename), so a reader — or a
 * build killed mid-write — never sees a partial record.
 *
 * <p>Instances are cheap and thread-safe; locks are shared by every instance of this JVM. I/O
 * failures surface as {@link UncheckedIOException} naming the file.
 */
public final class StateStore {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}");
    private static final String OWNERSHIP_LOCK = ".ownership-id";

    /** In-JVM half of the locks: {@link FileChannel#lock} excludes other processes only. */
    private static final ConcurrentHashMap<Path, Semaphore> JVM_LOCKS = new ConcurrentHashMap<>();

    private static final ObjectMapper MAPPER = mapper();

    private final Path root;

    /** @param stateDir the {@code .ota/state} directory (created on first write) */
    public StateStore(Path stateDir) {
        this.root = stateDir.toAbsolutePath().normalize();
    }

    /** The store of the repository (or contract directory) {@code repoRoot}: {@code <repoRoot>/.ota/state}. */
    public static StateStore forRepo(Path repoRoot) {
        return new StateStore(repoRoot.resolve(".ota").resolve("state"));
    }

    public Path root() {
        return root;
    }

    public Path servicesDir() {
        return root.resolve("services");
    }

    public Path logsDir() {
        return root.resolve("logs");
    }

    public Path locksDir() {
        return root.resolve("locks");
    }

    /** {@code logs/<task>.log} (the directory is created by the backend when it starts the service). */
    public Path logFile(String task) {
        return logsDir().resolve(safeName(task) + ".log");
    }

    /** {@code services/<task>.json}. */
    public Path recordFile(String task) {
        return servicesDir().resolve(safeName(task) + ".json");
    }

    // ---- records --------------------------------------------------------------------------------

    /** The record of {@code task}, empty when there is none. */
    public Optional<ServiceRecord> read(String task) {
        Path file = recordFile(task);
        try {
            return Optional.of(parse(file));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes (or replaces) the record of {@code record.task()} atomically. */
    public void write(ServiceRecord record) {
        if (record.task() == null || record.task().isBlank()) {
            throw new IllegalArgumentException("a service record needs a task");
        }
        Path file = recordFile(record.task());
        try {
            writeAtomically(file, MAPPER.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write service record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the record of {@code task}; true when there was one. */
    public boolean delete(String task) {
        Path file = recordFile(task);
        try {
            return Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete service record " + file + ": " + e.getMessage(), e);
        }
    }

    /** Every readable record, by task. Unreadable files are skipped; {@link #unreadableRecords()} names them. */
    public List<ServiceRecord> list() {
        List<ServiceRecord> out = new ArrayList<>();
        for (Path file : recordFiles()) {
            try {
                out.add(parse(file));
            } catch (NoSuchFileException e) {
                // deleted meanwhile
            } catch (IOException e) {
                // reported by unreadableRecords()
            }
        }
        out.sort(Comparator.comparing(ServiceRecord::task));
        return out;
    }

    /** Record files that cannot be parsed (hand-edited or from an incompatible version), with the reason. */
    public List<String> unreadableRecords() {
        List<String> out = new ArrayList<>();
        for (Path file : recordFiles()) {
            try {
                parse(file);
            } catch (NoSuchFileException e) {
                // deleted meanwhile
            } catch (IOException e) {
                out.add(file + ": " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * Records that no longer describe a running process of {@code backend}'s family: the process
     * is gone (or a zombie) or its pid now belongs to a process with another start time. A record
     * written before a start (pid 0) is stale only when no build holds its identity lock, i.e. the
     * build that wrote it died before it could record the process. Records of other backend
     * families are not judged.
     */
    public List<ServiceRecord> staleRecords(Backend backend) {
        List<ServiceRecord> stale = new ArrayList<>();
        for (ServiceRecord r : list()) {
            if (!backend.family().equals(r.backend())) {
                continue;
            }
            if (r.started()) {
                if (!backend.isAlive(r.handle())) {
                    stale.add(r);
                }
            } else if (r.identity() == null) {
                stale.add(r);
            } else {
                Optional<Lock> probe = tryLock(r.identity());
                if (probe.isPresent()) {
                    probe.get().close();
                    stale.add(r);
                }
            }
        }
        return stale;
    }

    private List<Path> recordFiles() {
        Path dir = servicesDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir, "*.json")) {
            for (Path f : stream) {
                if (!f.getFileName().toString().startsWith(".")) {
                    files.add(f);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    private static ServiceRecord parse(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        try {
            return MAPPER.readValue(bytes, ServiceRecord.class);
        } catch (IOException e) {
            throw new IOException("unreadable service record " + file + ": " + e.getMessage(), e);
        }
    }

    // ---- locks ----------------------------------------------------------------------------------

    /**
     * Takes the exclusive lock of a producer identity, waiting as long as another build (another
     * process, or another thread of this JVM) holds it. Release it by closing the returned lock.
     *
     * @throws InterruptedException when the waiting thread is interrupted (nothing is held then)
     */
    public Lock lock(String identity) throws InterruptedException {
        try {
            return acquire(lockFile(identity), identity, true).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + identity + ": " + e.getMessage(), e);
        }
    }

    /** Takes the lock of {@code identity} if nobody holds it, without waiting. */
    public Optional<Lock> tryLock(String identity) {
        try {
            return acquire(lockFile(identity), identity, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + identity + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            throw new IllegalStateException("tryLock does not wait", e);
        }
    }

    /** Who holds (or last held) the lock of {@code identity}, e.g. {@code pid 4242 since 2025-…}, for waiting messages. */
    public Optional<String> lockHolder(String identity) {
        try {
            String text = Files.readString(lockFile(identity), StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? Optional.empty() : Optional.of(text);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@code locks/<identity>.lock}. */
    public Path lockFile(String identity) {
        return locksDir().resolve(safeName(identity) + ".lock");
    }

    private Optional<Lock> acquire(Path file, String name, boolean wait) throws IOException, InterruptedException {
        // One key per real file, however the state directory was spelled (FileChannel locks are per JVM and file).
        Files.createDirectories(file.getParent());
        Path key = file.getParent().toRealPath().resolve(file.getFileName());
        Semaphore local = JVM_LOCKS.computeIfAbsent(key, k -> new Semaphore(1));
        if (wait) {
            local.acquire();
        } else if (!local.tryAcquire()) {
            return Optional.empty();
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock fileLock;
            try {
                fileLock = wait ? channel.lock() : channel.tryLock();
            } catch (FileLockInterruptionException | AsynchronousCloseException e) {
                // the thread was interrupted while waiting (AsynchronousCloseException covers ClosedByInterruptException)
                Thread.interrupted();
                throw new InterruptedException("interrupted while waiting for the lock of " + name);
            }
            if (fileLock == null) {
                channel.close();
                local.release();
                return Optional.empty();
            }
            String holder = "pid " + ProcessHandle.current().pid() + " since " + Instant.now() + "\n";
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(holder.getBytes(StandardCharsets.UTF_8)), 0);
            return Optional.of(new Lock(name, file, channel, fileLock, local));
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // closing releases any file lock
                }
            }
            local.release();
            throw e;
        }
    }

    /**
     * An exclusive lock on one identity, held across processes (a POSIX file lock) and across the
     * threads of this JVM. The lock file itself stays (deleting lock files would race).
     */
    public static final class Lock implements AutoCloseable {
        private final String name;
        private final Path file;
        private final FileChannel channel;
        private final FileLock fileLock;
        private final Semaphore local;
        private boolean closed;

        private Lock(String name, Path file, FileChannel channel, FileLock fileLock, Semaphore local) {
            this.name = name;
            this.file = file;
            this.channel = channel;
            this.fileLock = fileLock;
            this.local = local;
        }

        public String name() {
            return name;
        }

        public Path file() {
            return file;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                if (fileLock.isValid()) {
                    fileLock.release();
                }
            } catch (IOException e) {
                // closing the channel below releases it anyway
            }
            try {
                channel.close();
            } catch (IOException e) {
                // nothing more to release
            }
            local.release();
        }
    }

    // ---- ownership ------------------------------------------------------------------------------

    /**
     * The ownership token of this repo checkout ({@code .ota/state/ownership-id}, 32 hex
     * digits), created on first use and stable afterwards; concurrent first uses agree on one value.
     */
    public String ownershipId() {
        Path file = root.resolve("ownership-id");
        try {
            return ownershipId(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file + ": " + e.getMessage(), e);
        }
    }

    private String ownershipId(Path file) throws IOException {
        Optional<String> existing = readOwnership(file);
        if (existing.isPresent()) {
            return existing.get();
        }
        try (Lock ignored = acquire(locksDir().resolve(OWNERSHIP_LOCK + ".lock"), "ownership-id", true).orElseThrow()) {
            existing = readOwnership(file);
            if (existing.isPresent()) {
                return existing.get();
            }
            String id = derivedOwnershipId();
            writeAtomically(file, (id + "\n").getBytes(StandardCharsets.UTF_8));
            return id;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the lock of " + file, e);
        }
    }

    /**
     * The ownership id without creating anything: the stored one, else the value a first use would
     * store. Plans name containers with it.
     */
    public String ownershipIdPreview() {
        try {
            return readOwnership(root.resolve("ownership-id")).orElseGet(this::derivedOwnershipId);
        } catch (IOException e) {
            return derivedOwnershipId();
        }
    }

    /**
     * Derived from the checkout's directory, so a lost {@code ownership-id} comes back with the same
     * value and the containers it labelled are not stranded.
     */
    private String derivedOwnershipId() {
        Path repo = root.getParent() != null && root.getParent().getParent() != null ? root.getParent().getParent() : root;
        Path real;
        try {
            real = repo.toRealPath();
        } catch (IOException e) {
            real = repo;
        }
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(("ota-ownership|" + real).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always available", e);
        }
    }

    private static Optional<String> readOwnership(Path file) throws IOException {
        try {
            String id = Files.readString(file, StandardCharsets.UTF_8).trim();
            return id.matches("[0-9a-f]{16,64}") ? Optional.of(id) : Optional.empty();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    /**
     * A file-name-safe form of a task or identity: the name itself when it is plain, otherwise
     * the name with unsafe characters replaced by {@code _}, plus {@code -} and 8 hex digits of
     * its SHA-256 (so {@code a/b} and {@code a_b} stay apart). Never starts with a dot.
     */
    public static String safeName(String name) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("empty name");
        }
        if (PLAIN.matcher(name).matches()) {
            return name;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < name.length() && sb.length() < 80; i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
                    || (c == '.' && sb.length() > 0);
            sb.append(ok ? c : '_');
        }
        return sb + "-" + sha256(name).substring(0, 8);
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) throws IOException {
        dev.ota.core.io.AtomicFiles.write(target, bytes);
    }

    private static ObjectMapper mapper() {
        SimpleModule time = new SimpleModule("ota-state-time");
        time.addSerializer(Instant.class, new StdSerializer<>(Instant.class) {
            @Override
            public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                gen.writeString(value.toString());
            }
        });
        time.addDeserializer(Instant.class, new StdDeserializer<>(Instant.class) {
            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                String text = p.getValueAsString();
                try {
                    return text == null || text.isBlank() ? null : Instant.parse(text);
                } catch (DateTimeParseException e) {
                    return (Instant) ctxt.handleWeirdStringValue(Instant.class, text, "not an ISO-8601 instant");
                }
            }
        });
        return new ObjectMapper()
                .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .registerModule(time);
    }
}
