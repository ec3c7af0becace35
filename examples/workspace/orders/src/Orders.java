import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The orders service (`java src/Orders.java <port>`). It reaches the catalog of another repo at
 * OTA_TARGET_CATALOG, which ota sets from the cross-repo target `catalog` of task `serve`, and
 * answers GET /orders with the catalog's products it fetched (so a test of orders proves the chain).
 */
public class Orders {
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args.length > 0 ? args[0] : System.getenv().getOrDefault("OTA_PUBLIC_PORT", "18122"));
        String catalog = System.getenv("OTA_TARGET_CATALOG");
        if (catalog == null || catalog.isBlank()) {
            System.err.println("orders: OTA_TARGET_CATALOG is not set; start me with ota (target `catalog`)");
            System.exit(2);
        }
        URI products = URI.create(catalog.endsWith("/") ? catalog : catalog + "/").resolve("products");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/health", exchange -> reply(exchange, 200, "{\"status\":\"UP\"}"));
        server.createContext("/orders", exchange -> {
            try {
                HttpResponse<String> answer = client.send(HttpRequest.newBuilder(products).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (answer.statusCode() != 200) {
                    reply(exchange, 502, "{\"error\":\"catalog answered " + answer.statusCode() + "\"}");
                    return;
                }
                reply(exchange, 200, "{\"order\":\"o-1001\",\"catalog\":\"" + catalog + "\",\"items\":" + answer.body() + "}");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(exchange, 503, "{\"error\":\"interrupted\"}");
            } catch (IOException e) {
                reply(exchange, 502, "{\"error\":\"catalog unreachable at " + catalog + "\"}");
            }
        });
        server.createContext("/", exchange -> reply(exchange, 404, "{\"error\":\"not found\"}"));
        server.start();
        System.out.println("orders listening on http://127.0.0.1:" + port + "/ (catalog at " + catalog + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("orders stopping");
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
