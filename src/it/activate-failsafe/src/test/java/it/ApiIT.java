package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** Reads the target as the system property ota:activate promoted from a session user property. */
class ApiIT {

    @Test
    void promotedPropertyReachesTheApi() throws Exception {
        String url = System.getProperty("ota.target.api");
        assertNotNull(url, "ota.target.api is not a system property of the test JVM");
        assertEquals("http://127.0.0.1:18103/", url);
        assertEquals(url, System.getProperty("ota.target.it.api"), "the task-qualified name");
        HttpResponse<String> health = Http.health("ApiIT", url);
        assertEquals(200, health.statusCode());
        assertTrue(health.body().contains("UP"), health.body());
    }
}
