import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * The catalog service: a single-file Java HTTP service (`java src/Catalog.java <port>`), so the
 * example needs nothing but a JDK. Listens on 127.0.0.1.
 */
public class Catalog {
    static final String PRODUCTS = "[{\"sku\":\"tea-01\",\"name\":\"Green tea\",\"price\":4.5},"
            + "{\"sku\":\"mug-02\",\"name\":\"Blue mug\",\"price\":9.0}]";

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("OTA_PUBLIC_PORT", "18121"));
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/products", exchange -> reply(exchange, 200, PRODUCTS));
        server.createContext("/", exchange -> reply(exchange, 404, "{\"error\":\"not found\"}"));
        server.start();
        System.out.println("catalog listening on http://127.0.0.1:" + port + "/");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("catalog stopping");
            server.stop(0);
        }));
    }

    static void reply(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
