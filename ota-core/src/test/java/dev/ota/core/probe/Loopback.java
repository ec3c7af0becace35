package dev.ota.core.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/** Loopback-only test servers on ephemeral ports (127.0.0.1, nothing else). */
final class Loopback {

    static final String HOST = "127.0.0.1";

    private Loopback() {}

    static InetAddress address() {
        try {
            return InetAddress.getByName(HOST);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A port nothing listens on (bound once, then closed). */
    static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, address())) {
            return s.getLocalPort();
        }
    }

    /**
     * A TCP server: for the n-th accepted connection (1-based), {@code closeAt} says whether to
     * close it at once; otherwise the connection is held open (and {@code greeting}, if any, sent).
     */
    static final class TcpServer implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();
        private final List<Socket> held = new CopyOnWriteArrayList<>();
        private final Thread thread;

        TcpServer(IntPredicate closeAt, byte[] greeting, boolean reset) throws IOException {
            server = new ServerSocket(0, 50, address());
            thread = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        int n = accepted.incrementAndGet();
                        if (closeAt.test(n)) {
                            if (reset) {
                                s.setSoLinger(true, 0);
                            }
                            s.close();
                        } else {
                            held.add(s);
                            if (greeting != null) {
                                s.getOutputStream().write(greeting);
                                s.getOutputStream().flush();
                            }
                        }
                    } catch (SocketException closed) {
                        return;
                    } catch (IOException e) {
                        // keep serving
                    }
                }
            }, "tcp-test-server");
            thread.setDaemon(true);
            thread.start();
        }

        static TcpServer holding() throws IOException {
            return new TcpServer(n -> false, null, false);
        }

        static TcpServer closingImmediately() throws IOException {
            return new TcpServer(n -> true, null, false);
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : held) {
                s.close();
            }
            thread.join(5000);
        }
    }

    static InetSocketAddress ephemeral() {
        return new InetSocketAddress(address(), 0);
    }
}
