package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * REST authentication in the packaged service (monitor-service's fast-jar, as ./goldentooth up runs
 * it): a malformed tokens file stops start-up with a message naming the key, the file and the line;
 * with a good file, neither accepted nor refused tokens ever reach the service's log.
 */
class RestAuthStartupIT {

    @Test
    void aMalformedTokensFileStopsStartUpNamingTheKeyFileAndLine(@TempDir Path dir) throws Exception {
        Path tokens = dir.resolve("tokens");
        // A token pasted where its hash belongs: refused, and not echoed.
        Files.writeString(tokens, "# tokens\npasted-secret-token-5d1 admin alice\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServiceProcess.start(
                "monitor-bad-tokens", "monitor-service", Map.of("kafka.bootstrap.servers",
                        KafkaBroker.shared().bootstrapServers(), "goldentooth.auth.enabled", "true",
                        "goldentooth.auth.tokens-file", tokens.toString()), dir));
        String log = Files.readString(dir.resolve("monitor-bad-tokens.log"));
        assertTrue(e.getMessage().contains("exited during start-up"), e.getMessage());
        assertTrue(log.contains("goldentooth.auth.tokens-file " + tokens + " line 2: the first field must be the 64 "
                + "hex digits of the token's SHA-256"), log);
        assertFalse(log.contains("pasted-secret-token-5d1"), log);
    }

    @Test
    void tokensNeverReachTheLog(@TempDir Path dir) throws Exception {
        Map<String, String> properties = new java.util.HashMap<>(AuthTokens.enabled());
        properties.put("kafka.bootstrap.servers", KafkaBroker.shared().bootstrapServers());
        HttpClient http = HttpClient.newHttpClient();
        try (ServiceProcess monitor = ServiceProcess.start("monitor-auth", "monitor-service", properties, dir)) {
            for (String token : List.of(AuthTokens.VIEWER, "guessed-" + AuthTokens.ADMIN)) {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(monitor.baseUrl() + "/alerts"))
                        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(token.startsWith("guessed-") ? 401 : 200, answer.statusCode(), answer.body());
            }
        }
        String log = Files.readString(dir.resolve("monitor-auth.log"));
        assertTrue(log.contains("refused GET /alerts with 401"), log);
        for (String token : List.of(AuthTokens.VIEWER, AuthTokens.ADMIN)) {
            assertFalse(log.contains(token), token + " is in the log:\n" + log);
        }
    }
}
