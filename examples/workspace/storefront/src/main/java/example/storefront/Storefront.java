package example.storefront;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shop front's client of the catalog and orders services, given their base URLs. */
public final class Storefront {

    private static final Pattern NAME = Pattern.compile("\"name\"\\s*:\\s*\"([^\"]*)\"");

    private final URI catalog;
    private final URI orders;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Storefront(String catalogUrl, String ordersUrl) {
        this.catalog = base(catalogUrl);
        this.orders = base(ordersUrl);
    }

    /** The product names the catalog lists. */
    public List<String> productNames() throws IOException, InterruptedException {
        return names(get(catalog.resolve("products")));
    }

    /** The product names of the current order, as the orders service read them from the catalog. */
    public List<String> orderedProductNames() throws IOException, InterruptedException {
        return names(get(orders.resolve("orders")));
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static List<String> names(String json) {
        List<String> out = new ArrayList<>();
        Matcher m = NAME.matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static URI base(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("no URL: run the tests through `mvn verify` (ota:activate exports them)");
        }
        return URI.create(url.endsWith("/") ? url : url + "/");
    }
}
