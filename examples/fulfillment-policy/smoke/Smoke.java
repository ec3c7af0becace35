import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Fetches the dashboard through the URL ota-maven resolved, and fails unless the API's report is in it. */
public class Smoke {
    public static void main(String[] args) throws Exception {
        String url = args[0] + "/index.html";
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("smoke: " + url + " -> " + r.statusCode() + " " + r.body().trim());
        if (r.statusCode() != 200 || !r.body().contains("\"status\":\"ok\"")) {
            System.exit(1);
        }
    }
}
