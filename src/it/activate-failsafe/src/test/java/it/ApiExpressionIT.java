package it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

/** Reads the target through failsafe's systemPropertyVariables: api.url = ${ota.target.api}. */
class ApiExpressionIT {

    @Test
    void expressionReachesTheApi() throws Exception {
        String url = System.getProperty("api.url");
        assertNotNull(url, "api.url is not set");
        assertEquals("http://127.0.0.1:18103/", url, "${ota.target.api} was not resolved");
        assertEquals(200, Http.health("ApiExpressionIT", url).statusCode());
    }
}
