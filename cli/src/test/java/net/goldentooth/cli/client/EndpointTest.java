package net.goldentooth.cli.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EndpointTest {

    @Test
    void optionWinsOverEnvironmentWhichWinsOverDefault() {
        Map<String, String> env = Map.of(Endpoint.ENV, "http://env:9000");
        assertEquals("http://opt:1", Endpoint.resolve("http://opt:1/", env).toString());
        assertEquals("http://env:9000", Endpoint.resolve(null, env).toString());
        assertEquals(Endpoint.DEFAULT, Endpoint.resolve(null, Map.of()).toString());
        assertEquals(Endpoint.DEFAULT, Endpoint.resolve(null, Map.of(Endpoint.ENV, " ")).toString());
    }

    @Test
    void rejectsWhatIsNotAnHttpUrlNamingTheSource() {
        IllegalArgumentException fromOption = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.resolve("ftp://host", Map.of()));
        assertTrue(fromOption.getMessage().startsWith("--provisioner 'ftp://host'"), fromOption.getMessage());
        IllegalArgumentException fromEnv = assertThrows(IllegalArgumentException.class,
                () -> Endpoint.resolve(null, Map.of(Endpoint.ENV, "localhost:8081")));
        assertTrue(fromEnv.getMessage().startsWith(Endpoint.ENV), fromEnv.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Endpoint.resolve("http://a b", Map.of()));
    }

    @Test
    void queryLeavesOutNullsAndEncodes() {
        java.util.Map<String, String> query = new java.util.LinkedHashMap<>();
        query.put("limit", "5");
        query.put("state", null);
        query.put("pattern", "all,!dalt &x");
        assertEquals("?limit=5&pattern=all%2C%21dalt%20%26x", ProvisionerClient.query(query));
        assertEquals("", ProvisionerClient.query(Map.of()));
    }
}
