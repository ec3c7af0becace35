package it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

final class Http {

    private Http() {}

    /** GET {@code <base>health}; records what the test saw in target/it-evidence.txt for verify.groovy. */
    static HttpResponse<String> health(String test, String base) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        Files.writeString(Path.of("target", "it-evidence.txt"),
                test + " GET " + base + "health -> " + response.statusCode() + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        return response;
    }
}
