package dev.ota.core.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * TCP readiness: connect within the per-attempt timeout, then read briefly. A peer that closes the
 * connection at once (EOF) is not ready: that is what a port forwarder or proxy does when nothing
 * listens behind it (docker-maven-plugin #549, #703). A read that times out (the peer waits for
 * the client to speak) or returns data is ready.
 */
public final class TcpProbe implements Probe {

    /** How long the short read after connect waits for an immediate close. */
    public static final Duration DEFAULT_READ_WINDOW = Duration.ofMillis(200);

    private final ProbeSpec spec;
    private final Duration readWindow;

    public TcpProbe(ProbeSpec spec) {
        this(spec, DEFAULT_READ_WINDOW);
    }

    public TcpProbe(ProbeSpec spec, Duration readWindow) {
        this.spec = Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(readWindow, "readWindow");
        // The read window never exceeds the per-attempt timeout.
        this.readWindow = readWindow.compareTo(spec.timeout()) > 0 ? spec.timeout() : readWindow;
    }

    @Override
    public ProbeAttempt attempt(int number) {
        long start = System.nanoTime();
        String detail;
        boolean ready = false;
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(spec.host(), spec.port()), millis(spec.timeout()));
            socket.setSoTimeout(millis(readWindow));
            InputStream in = socket.getInputStream();
            try {
                int b = in.read();
                if (b < 0) {
                    detail = "closed immediately";
                } else {
                    ready = true;
                    detail = "ready (accepted, sent data)";
                }
            } catch (SocketTimeoutException quiet) {
                ready = true;
                detail = "ready (accepted)";
            }
        } catch (IOException | RuntimeException e) {
            ready = false;
            detail = ProbeErrors.describe(e, spec.host());
        }
        if (Thread.currentThread().isInterrupted() && !ready) {
            detail = "interrupted";
        }
        return new ProbeAttempt(number, ready, detail, Duration.ofNanos(System.nanoTime() - start));
    }

    private static int millis(Duration d) {
        long ms = Math.max(1, d.toMillis());
        return ms > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) ms;
    }

    @Override
    public String toString() {
        return "TcpProbe[" + spec.target() + "]";
    }
}
