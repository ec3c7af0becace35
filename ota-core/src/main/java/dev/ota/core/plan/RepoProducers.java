package dev.ota.core.plan;

import dev.ota.core.model.Contract;
import dev.ota.core.model.Listener;
import dev.ota.core.model.ServiceRef;

/**
 * Finds the producer of a {@code service.repo} target in another repo's contract. The planner
 * sees the workspace only through this (implemented by
 * {@code dev.ota.core.workspace.WorkspaceContext}); without one, repo targets do not resolve.
 */
public interface RepoProducers {

    /**
     * The listener a cross-repo target of {@code consumer} points at, or why it cannot be found.
     * Does not judge the address view or the listener's {@code project.host}: the planner does,
     * the same way as for same-repo targets.
     */
    Producer producer(Contract consumer, ServiceRef ref);

    /**
     * @param repo the producer's repo
     * @param task the producer task's name
     * @param listener the producer listener (explicit or sole); null on failure
     * @param description how messages name it, e.g. {@code listener `http` of task `dev` in workspace repo `api`}
     * @param error why the producer cannot be found; null on success
     * @param fix what would make it found; null on success
     */
    record Producer(String repo, String task, Listener listener, String description, String error, String fix) {

        public static Producer found(String repo, String task, Listener listener, String description) {
            return new Producer(repo, task, listener, description, null, null);
        }

        public static Producer missing(String repo, String task, String error, String fix) {
            return new Producer(repo, task, null, null, error, fix);
        }

        public boolean ok() {
            return error == null;
        }
    }
}
