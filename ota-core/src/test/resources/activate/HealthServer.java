import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A one-file HTTP producer for the activation tests (loopback only):
 * {@code java HealthServer <port> <unhealthy> [marker…]}. {@code GET /health} answers 503 for the
 * first {@code <unhealthy>} requests and 200 afterwards; any other path answers 200 with the pid.
 * Extra arguments are ignored: tests pass a marker so that /proc shows whose process this is.
 */
public class HealthServer {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        long unhealthy = Long.parseLong(args[1]);
        AtomicInteger healthCalls = new AtomicInteger();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.createContext("/health", exchange -> {
            int n = healthCalls.incrementAndGet();
            if (n <= unhealthy) {
                reply(exchange, 503, "starting (" + n + ")");
            } else {
                reply(exchange, 200, "UP");
            }
        });
        server.createContext("/", exchange -> reply(exchange, 200, "pid " + ProcessHandle.current().pid()));
        server.start();
        System.out.println("health server pid " + ProcessHandle.current().pid() + " listening on 127.0.0.1:" + port);
        System.out.flush();
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
