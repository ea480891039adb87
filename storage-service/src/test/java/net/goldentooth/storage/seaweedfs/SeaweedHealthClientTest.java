package net.goldentooth.storage.seaweedfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import net.goldentooth.events.storage.SeaweedStatus;
import org.junit.jupiter.api.Test;

/**
 * The health client over HTTP against a stand-in master serving RECORDED answers
 * (src/test/resources/seaweedfs/*.json, written from SeaweedFS's documented JSON): SeaweedFS
 * itself is not available offline. Leader changes become events with the previous leader.
 */
class SeaweedHealthClientTest {

    @Test
    void aDeadMasterIsSkippedAndLeaderChangesAreEvents() throws Exception {
        AtomicReference<String> cluster = new AtomicReference<>(SeaweedTest.resource("cluster-status.json"));
        String dir = SeaweedTest.resource("dir-status.json");
        HttpServer master = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        master.createContext("/cluster/status", ex -> reply(ex, cluster.get()));
        master.createContext("/dir/status", ex -> reply(ex, dir));
        master.start();
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        try {
            String live = "http://127.0.0.1:" + master.getAddress().getPort();
            SeaweedHealthClient client = new SeaweedHealthClient(List.of(URI.create("http://127.0.0.1:" + deadPort),
                    URI.create(live)));
            LeaderTracker tracker = new LeaderTracker();
            Instant t = Instant.parse("2025-08-04T21:20:00Z");

            SeaweedStatus first = tracker.observe(client.ask(), t).orElseThrow();
            assertTrue(first.healthy());
            assertEquals("10.4.0.22:9333", first.leader());
            assertEquals(live, first.answeredBy());
            assertEquals(4, first.volumeServers().size());
            assertTrue(tracker.observe(client.ask(), t.plusSeconds(30)).isEmpty(), "nothing changed");

            cluster.set(cluster.get().replace("\"Leader\":\"10.4.0.22:9333\"", "\"Leader\":\"10.4.0.23:9333\""));
            SeaweedStatus moved = tracker.observe(client.ask(), t.plusSeconds(60)).orElseThrow();
            assertEquals("10.4.0.23:9333", moved.leader());
            assertEquals("10.4.0.22:9333", moved.previousLeader());

            cluster.set(SeaweedTest.resource("cluster-status-no-leader.json"));
            SeaweedStatus none = tracker.observe(client.ask(), t.plusSeconds(90)).orElseThrow();
            assertFalse(none.healthy());
            assertNull(none.leader());
            assertEquals("Leader not selected yet", none.error());
        } finally {
            master.stop(0);
        }
        SeaweedHealthClient.Answer nobody = new SeaweedHealthClient(List.of(URI.create("http://127.0.0.1:" + deadPort)))
                .ask();
        assertNull(nobody.health());
        assertTrue(nobody.error().startsWith("no master answered: http://127.0.0.1:" + deadPort), nobody.error());
    }

    private static void reply(com.sun.net.httpserver.HttpExchange exchange, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
