package dev.ota.core.backend.container;

import com.github.dockerjava.api.async.ResultCallback;
import java.io.IOException;

/**
 * A stream callback that keeps an error for the caller instead of logging it with a stack trace
 * (docker-java's default), so users see one clear message.
 */
abstract class QuietCallback<T> extends ResultCallback.Adapter<T> {

    private volatile Throwable error;

    @Override
    public void onError(Throwable throwable) {
        if (error == null) {
            error = throwable;
        }
        try {
            close();
        } catch (IOException ignored) {
            // closing a stream that already failed
        }
    }

    /** Rethrows the stream's error, if it had one. */
    void rethrow() {
        Throwable e = error;
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
