package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.Volume;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.PosixScripts;
import dev.ota.core.backend.posix.ScriptProbe;
import dev.ota.core.backend.posix.ScriptResult;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.backend.nativeproc.ProcStat;
import dev.ota.core.io.AtomicFiles;
import dev.ota.core.probe.Liveness;
import dev.ota.core.probe.Probe;
import dev.ota.core.probe.ProbeSpec;
import dev.ota.core.state.StateStore;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One persistent container ota-maven owns (a shared container backend or a persistent container
 * context): created on first need, reused while its shape matches, recreated on drift. Service
 * workloads run in it detached through {@code exec}, one-shot tasks attached; stopping a workload
 * stops its process tree and leaves the container running.
 */
public final class ContainerBackend implements Backend {

    public static final String FAMILY = "container";

    /** Keeps the container alive doing nothing; {@code --init} reaps the workloads' orphans. */
    static final List<String> KEEP_ALIVE = List.of("/bin/sh", "-c",
            "trap 'exit 0' TERM INT; while :; do sleep 3600 & wait $!; done");

    private static final Pattern PORT_IN_MESSAGE = Pattern.compile("(?:(\\d+\\.\\d+\\.\\d+\\.\\d+|\\[?[0-9a-fA-F:]+\\]?):)?(\\d{1,5})");

    private final DockerEngine engine;
    private final ContainerBoundary boundary;
    private final StateStore state;
    private final Consumer<String> log;
    private final ContainerWorkloads workloads;
    private String containerId;
    private BackendException failed;
    private BoundaryEvidence evidence;
    private Map<Integer, String> published = Map.of();

    public ContainerBackend(DockerEngine engine, ContainerBoundary boundary, StateStore state, Consumer<String> log) {
        this.engine = engine;
        this.boundary = boundary;
        this.state = state;
        this.log = log;
        this.workloads = new ContainerWorkloads(engine);
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public String identity() {
        return FAMILY + ":" + boundary.name();
    }

    public ContainerBoundary definition() {
        return boundary;
    }

    @Override
    public synchronized Optional<BoundaryEvidence> boundary() {
        return Optional.ofNullable(evidence);
    }

    /** Container port → published {@code host:port}, read back from the engine after start. */
    public synchronized Map<Integer, String> publishedPorts() {
        return published;
    }

    // ---- the container --------------------------------------------------------------------------

    @Override
    public void prepare() throws BackendException, InterruptedException {
        ensure();
    }

    /** Creates, reuses or recreates the container (once per run), under the repo's lock for it. */
    public synchronized String ensure() throws BackendException, InterruptedException {
        if (containerId != null) {
            return containerId;
        }
        if (failed != null) {
            throw new BackendException(failed.getMessage(), failed); // one attempt per run, not one per step
        }
        try {
            return reconcile();
        } catch (BackendException e) {
            failed = e;
            throw e;
        }
    }

    private String reconcile() throws BackendException, InterruptedException {
        DockerClient client = engine.client();
        try (StateStore.Lock ignored = state.lock("container:" + boundary.name())) {
            Optional<Properties> known = readRecord();
            // a list entry carries labels, state and ports, and costs far less on a cold client than an inspect
            Container existing = find(client, "name", "^/" + boundary.name() + "$");
            String reuse;
            String reason;
            if (existing == null) {
                reuse = known.isPresent() ? "recreated" : "created";
                reason = known.isPresent() ? "container " + shortId(known.get().getProperty("id"))
                        + " was removed outside ota" : "no container yet";
            } else {
                Map<String, String> labels = existing.getLabels() == null ? Map.of() : existing.getLabels();
                if (!boundary.ownershipId().equals(labels.get(ContainerBoundary.LABEL_REPO))) {
                    throw new BackendException("a container named " + boundary.name() + " exists but is not owned by this"
                            + " repo (label " + ContainerBoundary.LABEL_REPO + "=" + labels.get(ContainerBoundary.LABEL_REPO)
                            + "); remove it (docker rm -f " + boundary.name() + ") or run from the repo that created it");
                }
                String shape = labels.get(ContainerBoundary.LABEL_SHAPE);
                if (boundary.shapeFingerprint().equals(shape)) {
                    boolean running = "running".equals(existing.getState());
                    if (!running) {
                        log.accept("container " + boundary.name() + " (" + boundary.unit() + ") is stopped; starting it");
                        start(client, existing.getId());
                    }
                    containerId = existing.getId();
                    finish(client, "reused", running ? "shape matches" : "shape matches; it was stopped and was started");
                    return containerId;
                }
                log.accept("container " + boundary.name() + " (" + boundary.unit() + ") has a different shape (image, mounts,"
                        + " publications or memory changed); recreating it");
                remove(client, existing.getId());
                reuse = "recreated";
                reason = "shape changed";
            }
            Images.ensure(client, boundary.image(), log);
            containerId = create(client);
            finish(client, reuse, reason);
            return containerId;
        }
    }

    private void finish(DockerClient client, String reuse, String reason) throws BackendException {
        Container now = find(client, "id", containerId);
        Map<Integer, String> ports = new java.util.TreeMap<>();
        if (now != null && now.getPorts() != null) {
            for (ContainerPort p : now.getPorts()) {
                if (p.getPrivatePort() != null && p.getPublicPort() != null) {
                    ports.putIfAbsent(p.getPrivatePort(), p.getIp() + ":" + p.getPublicPort());
                }
            }
        }
        published = Map.copyOf(ports);
        Map<String, String> publishedByPort = new LinkedHashMap<>();
        ports.forEach((port, host) -> publishedByPort.put(Integer.toString(port), host));
        evidence = new BoundaryEvidence(boundary.unit(), "persistent", boundary.name(), containerId, boundary.image(), reuse,
                reason, publishedByPort);
        writeRecord();
        log.accept("container " + boundary.name() + " (" + boundary.unit() + ", " + boundary.image() + "): " + reuse + " ("
                + reason + ")" + (ports.isEmpty() ? "" : "; published " + ports));
    }

    private String create(DockerClient client) throws BackendException, InterruptedException {
        List<ExposedPort> exposed = new ArrayList<>();
        Ports bindings = new Ports();
        for (ContainerBoundary.Publication p : boundary.publications()) {
            ExposedPort port = ExposedPort.tcp(p.containerPort());
            exposed.add(port);
            bindings.bind(port, p.hostPort() == 0 ? Ports.Binding.bindIp(p.hostAddress())
                    : Ports.Binding.bindIpAndPort(p.hostAddress(), p.hostPort()));
        }
        HostConfig host = HostConfig.newHostConfig()
                .withBinds(new Bind(boundary.repoDir().toAbsolutePath().normalize().toString(), new Volume(ContainerBoundary.WORKDIR)))
                .withPortBindings(bindings)
                .withInit(true);
        if (boundary.memoryBytes() > 0) {
            host.withMemory(boundary.memoryBytes());
        }
        String id;
        try {
            CreateContainerCmd cmd = client.createContainerCmd(boundary.image())
                    .withName(boundary.name())
                    .withLabels(boundary.labels())
                    .withEntrypoint(KEEP_ALIVE)
                    .withCmd(List.of())
                    .withWorkingDir(ContainerBoundary.WORKDIR)
                    .withExposedPorts(exposed)
                    .withHostConfig(host);
            id = cmd.exec().getId();
        } catch (ConflictException e) {
            throw new BackendException("container " + boundary.name() + " was created by another process at the same time;"
                    + " retry the build", e);
        } catch (RuntimeException e) {
            throw new BackendException("cannot create container " + boundary.name() + " from " + boundary.image() + ": "
                    + DockerEngine.rootMessage(e), e);
        }
        log.accept("created container " + boundary.name() + " (" + shortId(id) + ") from " + boundary.image()
                + ", repo mounted at " + ContainerBoundary.WORKDIR);
        try {
            start(client, id);
        } catch (BackendException e) {
            remove(client, id); // a created-but-failed container is never left behind
            throw e;
        }
        return id;
    }

    private void start(DockerClient client, String id) throws BackendException {
        try {
            client.startContainerCmd(id).exec();
        } catch (RuntimeException e) {
            String cause = DockerEngine.rootMessage(e);
            String lower = cause.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("already allocated") || lower.contains("address already in use")) {
                throw new BackendException(portConflict(cause), e);
            }
            throw new BackendException("cannot start container " + boundary.name() + ": " + cause, e);
        }
    }

    /** Names the fixed host port another process holds, and the listener that publishes it. */
    String portConflict(String cause) {
        for (ContainerBoundary.Publication p : boundary.publications()) {
            if (p.hostPort() > 0) {
                Matcher m = PORT_IN_MESSAGE.matcher(cause);
                while (m.find()) {
                    if (m.group(2).equals(Integer.toString(p.hostPort()))) {
                        return "host port " + p.hostAddress() + ":" + p.hostPort() + " of listener `" + p.listener()
                                + "` is already in use by another process; free it or change that listener's"
                                + " `project.host.port` (" + cause + ")";
                    }
                }
            }
        }
        return "a fixed host port of container " + boundary.name() + " is already in use: " + cause
                + "; free it or change `project.host.port`";
    }

    static void remove(DockerClient client, String id) {
        try {
            client.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (NotFoundException ignored) {
            // already gone
        } catch (RuntimeException ignored) {
            // best effort; clean finds it by its labels
        }
    }

    /** The one container matching an engine list filter ({@code name} or {@code id}), stopped ones included. */
    static Container find(DockerClient client, String filter, String value) throws BackendException {
        try {
            List<Container> found = client.listContainersCmd().withShowAll(true)
                    .withFilter(filter, List.of(value)).exec();
            return found.isEmpty() ? null : found.get(0);
        } catch (RuntimeException e) {
            throw new BackendException("cannot look up container " + value + ": " + DockerEngine.rootMessage(e), e);
        }
    }


    static String shortId(String id) {
        return id == null ? "?" : id.length() > 12 ? id.substring(0, 12) : id;
    }

    private Path recordFile() {
        return state.root().resolve("containers").resolve(boundary.name() + ".properties");
    }

    private Optional<Properties> readRecord() {
        try {
            String text = Files.readString(recordFile(), StandardCharsets.UTF_8);
            Properties p = new Properties();
            p.load(new StringReader(text));
            return Optional.of(p);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private void writeRecord() {
        Properties p = new Properties();
        p.setProperty("id", containerId);
        p.setProperty("name", boundary.name());
        p.setProperty("unit", boundary.unit());
        p.setProperty("image", boundary.image());
        p.setProperty("shape", boundary.shapeFingerprint());
        try {
            StringWriter text = new StringWriter();
            p.store(text, "ota-maven persistent container");
            AtomicFiles.write(recordFile(), text.toString().getBytes(StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            log.accept("could not write " + recordFile() + ": " + e.getMessage());
        }
    }

    // ---- workloads ------------------------------------------------------------------------------

    @Override
    public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
        try {
            String id = ensure();
            Path logFile = spec.logFile();
            String containerLog = logFile == null ? null : boundary.containerPath(logFile);
            if (containerLog == null) {
                throw new BackendException("the log file of `" + spec.task() + "` (" + logFile + ") is outside the repo mounted"
                        + " in container " + boundary.name());
            }
            Files.createDirectories(logFile.getParent());
            if (!Files.exists(logFile)) {
                Files.createFile(logFile); // created by the build's user, appended to by the container
            }
            List<String> argv = new ArrayList<>(List.of("sh", "-c", PosixScripts.START_SERVICE, "ota", containerLog));
            argv.addAll(spec.argv());
            ScriptResult r = ContainerExec.collect(engine.client(), id, argv, workdir(spec),
                    ContainerBoundary.containerEnv(boundary.repoDir(), spec.env()), ContainerWorkloads.SHORT);
            String out = r.stdout().trim();
            if (r.exitCode() == 0 && out.matches("\\d+ EXITED")) {
                // gone before its start time could be read: liveness reports its exit code
                return new WorkloadHandle(ContainerWorkloads.PREFIX + id, Long.parseLong(out.split(" ")[0]), -1, logFile);
            }
            ProcStat stat = r.exitCode() == 0 ? ProcStat.parse(out) : null;
            if (stat == null) {
                throw new BackendException("could not start `" + spec.task() + "` in container " + boundary.name() + " (exit "
                        + r.exitCode() + "): " + (r.stderr().isBlank() ? r.stdout().trim() : r.stderr().trim()));
            }
            return ContainerWorkloads.handle(id, stat, logFile);
        } catch (IOException e) {
            throw new BackendException("cannot prepare the log of `" + spec.task() + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackendException("interrupted while starting `" + spec.task() + "` in container " + boundary.name());
        }
    }

    @Override
    public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException {
        String id = ensure();
        String pidFile = PosixScripts.DEFAULT_STATE_DIR + "/attached." + UUID.randomUUID() + ".pid";
        List<String> argv = new ArrayList<>(List.of("sh", "-c", PosixScripts.RUN_ATTACHED, "ota", pidFile));
        argv.addAll(spec.argv());
        Thread hook = new Thread(() -> killAttached(id, pidFile), "ota-container-attached-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return ContainerExec.streamLines(engine.client(), id, argv, workdir(spec),
                    ContainerBoundary.containerEnv(boundary.repoDir(), spec.env()), output);
        } catch (InterruptedException e) {
            killAttached(id, pidFile);
            throw e;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** Stops an attached workload's tree inside the container (interrupt or JVM shutdown). */
    private void killAttached(String id, String pidFile) {
        boolean interrupted = Thread.interrupted();
        try {
            ContainerExec.script(engine.client(), id, "p=$(cat \"$1\" 2>/dev/null) && [ -n \"$p\" ] && sh -c \"$2\" ota \"$p\" -1 5;"
                    + " rm -f \"$1\"", Duration.ofSeconds(40), pidFile, PosixScripts.STOP_TREE);
        } catch (BackendException | InterruptedException | RuntimeException e) {
            log.accept("could not stop the attached workload in " + boundary.name() + ": " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private String workdir(WorkloadSpec spec) {
        String dir = spec.cwd() == null ? null : boundary.containerPath(spec.cwd());
        return dir == null ? ContainerBoundary.WORKDIR : dir;
    }

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return workloads.isAlive(handle);
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return workloads.liveness(handle);
    }

    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) throws BackendException {
        return workloads.stop(handle, grace);
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        return workloads.logTail(handle, lines);
    }

    @Override
    public Probe probe(ProbeSpec spec) {
        return number -> {
            try {
                String id = ensure();
                return new ScriptProbe((script, timeout, args) -> ContainerExec.script(engine.client(), id, script, timeout, args),
                        spec, "in container").attempt(number);
            } catch (BackendException e) {
                return new dev.ota.core.probe.ProbeAttempt(number, false, e.getMessage(), Duration.ZERO);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new dev.ota.core.probe.ProbeAttempt(number, false, "interrupted", Duration.ZERO);
            }
        };
    }

    /** Scripts inside the container (created or reused first), as the image's user. */
    @Override
    public dev.ota.core.backend.posix.ScriptRunner planeRunner() throws BackendException, InterruptedException {
        String id = ensure();
        return (script, timeout, args) -> ContainerExec.script(engine.client(), id, script, timeout, args);
    }
}
