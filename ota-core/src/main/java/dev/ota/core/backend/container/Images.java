package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.PullResponseItem;
import dev.ota.core.backend.BackendException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** Makes an image available locally: use it when present, pull it (with progress lines) when not. */
final class Images {

    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);
    private static final Duration PULL_LIMIT = Duration.ofMinutes(30);

    private Images() {}

    /** Returns the image id. */
    static String ensure(DockerClient client, String image, Consumer<String> log) throws BackendException, InterruptedException {
        if (image == null || image.isBlank()) {
            throw new BackendException("no container image is declared; set `container.image` on the context"
                    + " (or an `environment` on the shared backend)");
        }
        try {
            return client.inspectImageCmd(image).exec().getId();
        } catch (NotFoundException e) {
            // pulled below
        } catch (RuntimeException e) {
            throw new BackendException("cannot inspect image " + image + ": " + DockerEngine.rootMessage(e), e);
        }
        log.accept("image " + image + " is not present locally; pulling it");
        long[] lastLine = {System.nanoTime()};
        QuietCallback<PullResponseItem> progress = new QuietCallback<>() {
            @Override
            public void onNext(PullResponseItem item) {
                long now = System.nanoTime();
                if (item.getStatus() != null && now - lastLine[0] >= PROGRESS_EVERY.toNanos()) {
                    lastLine[0] = now;
                    log.accept("pulling " + image + ": " + item.getStatus()
                            + (item.getProgressDetail() != null && item.getProgressDetail().getTotal() != null
                                    && item.getProgressDetail().getTotal() > 0
                                    ? " (" + item.getProgressDetail().getCurrent() * 100 / item.getProgressDetail().getTotal()
                                            + "%)"
                                    : ""));
                }
            }
        };
        try {
            client.pullImageCmd(image).exec(progress);
            if (!progress.awaitCompletion(PULL_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BackendException("pulling image " + image + " did not finish within " + PULL_LIMIT.toMinutes()
                        + " minutes");
            }
            progress.rethrow();
            return client.inspectImageCmd(image).exec().getId();
        } catch (InterruptedException e) {
            throw e;
        } catch (BackendException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendException("image " + image + " is not present locally and could not be pulled: "
                    + DockerEngine.rootMessage(e) + "; build or load it locally (docker build / docker load / docker import),"
                    + " or fix the image name in the contract", e);
        } finally {
            try {
                progress.close();
            } catch (Exception ignored) {
                // stream already closed
            }
        }
    }
}
