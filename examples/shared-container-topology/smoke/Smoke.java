import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Runs on the host: both services must answer through their published ports. */
public class Smoke {
    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String api = get(client, args[0] + "/index.json");
        String sandbox = get(client, args[1] + "/index.html");
        if (!api.contains("\"status\":\"ok\"") || !sandbox.contains("sandbox")) {
            System.err.println("unexpected answers: api=" + api + " sandbox=" + sandbox);
            System.exit(1);
        }
        System.out.println("smoke: api " + args[0] + " ok; sandbox " + args[1] + " ok");
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode());
        }
        return r.body();
    }
}
