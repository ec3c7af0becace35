package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.ota.core.backend.Backend;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.BoundaryEvidence;
import dev.ota.core.backend.WorkloadHandle;
import dev.ota.core.backend.WorkloadSpec;
import dev.ota.core.probe.Liveness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * An ephemeral container context: one fresh container per invocation of a non-service task,
 * removed on success, failure, interrupt and JVM shutdown. Before each start, ephemeral
 * containers of this repo whose owning build process is gone are reclaimed.
 */
public final class EphemeralContainerBackend implements Backend {

    private final DockerEngine engine;
    private final String context;
    private final String image;
    private final Path repoDir;
    private final String ownershipId;
    private final Consumer<String> log;
    private volatile BoundaryEvidence evidence;
    private volatile Preparer preparer;

    /** Makes each new container of this context ready before its body runs (run-path fulfillment). */
    @FunctionalInterface
    public interface Preparer {
        void prepare(dev.ota.core.backend.posix.ScriptRunner container) throws BackendException, InterruptedException;
    }

    /**
     * From now on every container of this context is started idle, prepared inside by
     * {@code preparer}, and only then runs its body (through {@code exec}); it is still removed
     * when the body ends.
     */
    public void prepareEachContainer(Preparer preparer) {
        this.preparer = preparer;
    }

    public EphemeralContainerBackend(DockerEngine engine, String context, String image, Path repoDir, String ownershipId,
            Consumer<String> log) {
        this.engine = engine;
        this.context = context;
        this.image = image;
        this.repoDir = repoDir;
        this.ownershipId = ownershipId;
        this.log = log;
    }

    @Override
    public String family() {
        return ContainerBackend.FAMILY;
    }

    @Override
    public String identity() {
        return "container:ephemeral:" + context;
    }

    @Override
    public Optional<BoundaryEvidence> boundary() {
        return Optional.ofNullable(evidence);
    }

    @Override
    public WorkloadHandle startService(WorkloadSpec spec) throws BackendException {
        throw new BackendException("`" + spec.task() + "` runs in the ephemeral container context `" + context + "`; ota-maven"
                + " starts services only in persistent containers. Make the context `lifecycle: persistent` or bind the"
                + " task to a persistent shared container backend.");
    }

    @Override
    public int runAttached(WorkloadSpec spec, Consumer<String> output) throws BackendException, InterruptedException {
        DockerClient client = engine.client();
        reclaimOrphans(client);
        Images.ensure(client, image, log);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(ContainerBoundary.LABEL_MANAGED, "true");
        labels.put(ContainerBoundary.LABEL_REPO, ownershipId);
        labels.put(ContainerBoundary.LABEL_LIFECYCLE, "ephemeral");
        labels.put(ContainerBoundary.LABEL_FAMILY, "context:" + context);
        labels.put(ContainerBoundary.LABEL_OWNER_PID, Long.toString(ProcessHandle.current().pid()));
        String workdir = ContainerBoundary.containerPath(repoDir, spec.cwd() == null ? repoDir : spec.cwd());
        Preparer prepare = preparer;
        String id;
        try {
            id = client.createContainerCmd(image)
                    .withLabels(labels)
                    .withEntrypoint(prepare == null ? List.of() : ContainerBackend.KEEP_ALIVE)
                    .withCmd(prepare == null ? spec.argv() : List.of())
                    .withEnv(ContainerBoundary.containerEnv(repoDir, spec.env()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList())
                    .withWorkingDir(workdir == null ? ContainerBoundary.WORKDIR : workdir)
                    .withHostConfig(HostConfig.newHostConfig().withInit(true)
                            .withBinds(new Bind(repoDir.toAbsolutePath().normalize().toString(),
                                    new Volume(ContainerBoundary.WORKDIR))))
                    .exec().getId();
        } catch (RuntimeException e) {
            throw new BackendException("cannot create an ephemeral container from " + image + " for `" + spec.task() + "`: "
                    + DockerEngine.rootMessage(e), e);
        }
        evidence = new BoundaryEvidence("context:" + context, "ephemeral", id.substring(0, 12), id, image, null,
                "one container for this invocation", Map.of());
        Thread hook = new Thread(() -> ContainerBackend.remove(client, id), "ota-ephemeral-container-remove");
        Runtime.getRuntime().addShutdownHook(hook);
        QuietCallback<Frame> logs = null;
        try {
            client.startContainerCmd(id).exec();
            if (prepare != null) {
                // the body runs in the very container that was prepared, then the container goes
                prepare.prepare((script, timeout, args) -> ContainerExec.script(client, id, script, timeout, args));
                log.accept("running `" + spec.task() + "` in ephemeral container " + ContainerBackend.shortId(id) + " (" + image
                        + ", prepared)");
                return ContainerExec.streamLines(client, id, spec.argv(), workdir == null ? ContainerBoundary.WORKDIR : workdir,
                        ContainerBoundary.containerEnv(repoDir, spec.env()), output);
            }
            log.accept("running `" + spec.task() + "` in ephemeral container " + ContainerBackend.shortId(id) + " (" + image + ")");
            LineSplitter lines = new LineSplitter(output);
            logs = new QuietCallback<>() {
                @Override
                public void onNext(Frame frame) {
                    lines.accept(frame.getPayload());
                }
            };
            client.logContainerCmd(id).withFollowStream(true).withStdOut(true).withStdErr(true).exec(logs);
            Integer code = client.waitContainerCmd(id).start().awaitStatusCode();
            logs.awaitCompletion();
            lines.flush();
            return code == null ? -1 : code;
        } catch (InterruptedException | BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            if (Thread.currentThread().isInterrupted() || e.getCause() instanceof InterruptedException) {
                throw new InterruptedException("interrupted while `" + spec.task() + "` ran in an ephemeral container");
            }
            throw new BackendException("running `" + spec.task() + "` in an ephemeral container failed: "
                    + DockerEngine.rootMessage(e), e);
        } finally {
            if (logs != null) {
                try {
                    logs.close();
                } catch (Exception ignored) {
                    // stream already closed
                }
            }
            boolean interrupted = Thread.interrupted();
            ContainerBackend.remove(client, id);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs
            }
        }
    }

    /** Removes ephemeral containers of this repo whose owning build process no longer exists. */
    private void reclaimOrphans(DockerClient client) {
        try {
            List<Container> mine = client.listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerBoundary.LABEL_REPO, ownershipId, ContainerBoundary.LABEL_LIFECYCLE,
                            "ephemeral"))
                    .exec();
            for (Container c : mine) {
                String owner = c.getLabels() == null ? null : c.getLabels().get(ContainerBoundary.LABEL_OWNER_PID);
                if (!new ContainerInventory.Owned(c.getId(), null, null, "ephemeral", null, null, null, owner).ownerAlive()) {
                    log.accept("removing orphaned ephemeral container " + ContainerBackend.shortId(c.getId())
                            + " (its build, pid " + owner + ", is gone)");
                    ContainerBackend.remove(client, c.getId());
                }
            }
        } catch (RuntimeException e) {
            log.accept("could not look for orphaned ephemeral containers: " + DockerEngine.rootMessage(e));
        }
    }

    @Override
    public boolean isAlive(WorkloadHandle handle) {
        return false;
    }

    @Override
    public Liveness liveness(WorkloadHandle handle) {
        return () -> java.util.OptionalInt.of(-1);
    }

    @Override
    public boolean stop(WorkloadHandle handle, Duration grace) {
        return true;
    }

    @Override
    public List<String> logTail(WorkloadHandle handle, int lines) {
        return List.of();
    }
}
