package dev.ota.core.backend.container;

import com.github.dockerjava.api.model.Container;
import dev.ota.core.backend.BackendException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The containers ota-maven owns for one repo, found by labels (so drifted ones are found too). */
public final class ContainerInventory {

    /**
     * One ota-owned container.
     *
     * @param unit the {@code dev.ota.persistent.family} label ({@code shared_backend:<name>} ...)
     * @param state the engine's state word ({@code running}, {@code exited} ...)
     * @param shape the {@code dev.ota.persistent.shape} label
     */
    public record Owned(
            String id, String name, String unit, String lifecycle, String image, String state, String shape, String ownerPid) {

        /** Whether the build that owns this (ephemeral) container still runs on this machine. */
        public boolean ownerAlive() {
            return ownerPid != null && ownerPid.matches("\\d{1,18}")
                    && ProcessHandle.of(Long.parseLong(ownerPid)).map(ProcessHandle::isAlive).orElse(false);
        }
    }

    private final DockerEngine engine;

    public ContainerInventory(DockerEngine engine) {
        this.engine = engine;
    }

    public DockerEngine engine() {
        return engine;
    }

    /** Every container labelled {@code dev.ota.managed=true} and {@code dev.ota.repo=<ownershipId>}. */
    public List<Owned> list(String ownershipId) throws BackendException {
        List<Container> found;
        try {
            found = engine.client().listContainersCmd().withShowAll(true)
                    .withLabelFilter(Map.of(ContainerBoundary.LABEL_MANAGED, "true", ContainerBoundary.LABEL_REPO, ownershipId))
                    .exec();
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("cannot list containers: " + DockerEngine.rootMessage(e), e);
        }
        List<Owned> out = new ArrayList<>();
        for (Container c : found) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String name = c.getNames() == null || c.getNames().length == 0 ? c.getId() : c.getNames()[0].replaceFirst("^/", "");
            out.add(new Owned(c.getId(), name, labels.get(ContainerBoundary.LABEL_FAMILY),
                    labels.get(ContainerBoundary.LABEL_LIFECYCLE), c.getImage(), c.getState(),
                    labels.get(ContainerBoundary.LABEL_SHAPE), labels.get(ContainerBoundary.LABEL_OWNER_PID)));
        }
        out.sort(java.util.Comparator.comparing(Owned::name));
        return out;
    }

    /** Removes a container and its anonymous volumes (its workloads die with it). */
    public void remove(String id) throws BackendException {
        try {
            engine.client().removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            // removed already
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("cannot remove container " + id + ": " + DockerEngine.rootMessage(e), e);
        }
    }
}
