package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Passes: the activated API answers. */
class ApiIT {

    @Test
    void apiAnswers() throws Exception {
        String url = System.getProperty("ota.target.api");
        assertNotNull(url, "ota.target.api is not a system property of the test JVM");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(url + "health"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode());
    }
}
