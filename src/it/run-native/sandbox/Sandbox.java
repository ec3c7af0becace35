import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The example's consumer: calls the API it is handed (first argument, normally
 * $OTA_TARGET_API) and fails unless /health answers 200.
 */
public class Sandbox {
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].isBlank()) {
            System.err.println("usage: java sandbox/Sandbox.java <api base url>");
            System.exit(2);
        }
        String base = args[0].endsWith("/") ? args[0].substring(0, args[0].length() - 1) : args[0];
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("sandbox: GET " + base + "/health -> " + health.statusCode() + " " + health.body());
        System.exit(health.statusCode() == 200 ? 0 : 1);
    }
}
