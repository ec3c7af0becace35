import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The example's API: a single-file Java HTTP service (run with `java api/DevApi.java`), so the
 * example needs nothing but a JDK. Listens on OTA_PUBLIC_PORT (or 18101) on 127.0.0.1.
 */
public class DevApi {
    public static void main(String[] args) throws IOException {
        String portText = System.getenv().getOrDefault("OTA_PUBLIC_PORT", "18101");
        int port = Integer.parseInt(args.length > 0 ? args[0] : portText);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        Instant started = Instant.now();
        server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/", exchange -> reply(exchange, 200,
                "{\"service\":\"dev\",\"started\":\"" + started + "\",\"path\":\"" + exchange.getRequestURI().getPath() + "\"}"));
        server.start();
        System.out.println("dev api listening on http://127.0.0.1:" + port + "/");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("dev api stopping");
            server.stop(0);
        }));
    }

    private static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
