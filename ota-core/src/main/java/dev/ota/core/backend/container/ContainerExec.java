package dev.ota.core.backend.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.ExecCreateCmd;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.ota.core.backend.BackendException;
import dev.ota.core.backend.posix.ScriptResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** {@code docker exec} of a command inside a running container, with its output and exit code. */
final class ContainerExec {

    private ContainerExec() {}

    /** Runs {@code sh -c script ota args...} and collects its output (bounded by {@code timeout}). */
    static ScriptResult script(DockerClient client, String container, String script, Duration timeout, String... args)
            throws BackendException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("sh", "-c", script, "ota"));
        argv.addAll(List.of(args));
        return collect(client, container, argv, null, Map.of(), timeout);
    }

    static ScriptResult collect(DockerClient client, String container, List<String> argv, String workdir, Map<String, String> env,
            Duration timeout) throws BackendException, InterruptedException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = run(client, container, argv, workdir, env, timeout, frame -> {
            ByteArrayOutputStream target = frame.getStreamType() == StreamType.STDERR ? err : out;
            synchronized (target) {
                target.writeBytes(frame.getPayload());
            }
        });
        return new ScriptResult(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Runs an exec attached and streams complete lines of stdout and stderr to {@code lines}. */
    static int streamLines(DockerClient client, String container, List<String> argv, String workdir, Map<String, String> env,
            Consumer<String> lines) throws BackendException, InterruptedException {
        LineSplitter stdout = new LineSplitter(lines);
        LineSplitter stderr = new LineSplitter(lines);
        int code = run(client, container, argv, workdir, env, null,
                frame -> (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload()));
        stdout.flush();
        stderr.flush();
        return code;
    }

    private static int run(DockerClient client, String container, List<String> argv, String workdir, Map<String, String> env,
            Duration timeout, Consumer<Frame> frames) throws BackendException, InterruptedException {
        String execId;
        try {
            ExecCreateCmd create = client.execCreateCmd(container).withCmd(argv.toArray(String[]::new))
                    .withAttachStdout(true).withAttachStderr(true).withAttachStdin(false);
            if (workdir != null) {
                create.withWorkingDir(workdir);
            }
            if (!env.isEmpty()) {
                create.withEnv(env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
            }
            execId = create.exec().getId();
        } catch (NotFoundException e) {
            throw new BackendException("container " + container + " no longer exists (removed behind ota's back?)", e);
        } catch (DockerException e) {
            throw new BackendException("cannot run a command in container " + container + ": " + DockerEngine.rootMessage(e), e);
        } catch (RuntimeException e) {
            throw new BackendException("cannot reach the Docker engine to run a command in " + container + ": "
                    + DockerEngine.rootMessage(e), e);
        }
        QuietCallback<Frame> callback = new QuietCallback<>() {
            @Override
            public void onNext(Frame frame) {
                frames.accept(frame);
            }
        };
        try {
            client.execStartCmd(execId).withDetach(false).withTty(false).exec(callback);
            if (timeout == null) {
                callback.awaitCompletion();
            } else if (!callback.awaitCompletion(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BackendException("a command in container " + container + " did not finish within "
                        + timeout.toSeconds() + " s");
            }
            callback.rethrow();
        } catch (InterruptedException e) {
            closeQuietly(callback);
            throw e;
        } catch (RuntimeException e) {
            closeQuietly(callback);
            throw new BackendException("running a command in container " + container + " failed: "
                    + DockerEngine.rootMessage(e), e);
        }
        closeQuietly(callback);
        try {
            Long exit = client.inspectExecCmd(execId).exec().getExitCodeLong();
            return exit == null ? -1 : exit.intValue();
        } catch (RuntimeException e) {
            throw new BackendException("cannot read the exit code of a command in " + container + ": "
                    + DockerEngine.rootMessage(e), e);
        }
    }

    private static void closeQuietly(QuietCallback<Frame> callback) {
        try {
            callback.close();
        } catch (Exception ignored) {
            // the stream is already gone
        }
    }
}
