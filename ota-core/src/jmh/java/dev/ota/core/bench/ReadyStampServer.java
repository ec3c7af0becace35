package dev.ota.core.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The producer of {@link ActivationOverheadHarness} (loopback only):
 * {@code java dev.ota.core.bench.ReadyStampServer <port> <stamp-file> [delay-ms [marker…]]}. After
 * {@code delay-ms} (default 0: a producer that listens as soon as its JVM is up) it binds
 * {@code 127.0.0.1:<port>}, starts the JDK HTTP server ({@code GET /health} answers 200), and right
 * after {@code start()} writes the wall-clock time in nanoseconds since the epoch (the moment its
 * listener became ready) to {@code <stamp-file>}. For the first request it answers, it writes to
 * {@code <stamp-file>.served} when its handler ran and when the response was sent (same clock).
 * Extra arguments are ignored: the harness passes a marker so that /proc shows whose process this is.
 */
public final class ReadyStampServer {

    private ReadyStampServer() {}

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        Path stamp = Path.of(args[1]);
        long delayMs = args.length > 2 ? Long.parseLong(args[2]) : 0;
        if (delayMs > 0) {
            try {
                Thread.sleep(delayMs); // a producer that needs a while before it listens
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        Path served = stamp.resolveSibling(stamp.getFileName() + ".served");
        AtomicBoolean first = new AtomicBoolean(true);
        server.createContext("/", exchange -> {
            long arrived = nowNanos();
            ok(exchange);
            if (first.getAndSet(false)) {
                // The first request (the probe that found the producer ready): when its handler ran and when it answered.
                write(served, arrived + " " + nowNanos());
            }
        });
        server.start();
        long nanos = nowNanos();
        write(stamp, Long.toString(nanos));
        System.out.println("ready-stamp server pid " + ProcessHandle.current().pid() + " listening on 127.0.0.1:" + port
                + " since " + nanos + " ns");
        System.out.flush();
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void ok(HttpExchange exchange) throws IOException {
        byte[] body = "UP".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
