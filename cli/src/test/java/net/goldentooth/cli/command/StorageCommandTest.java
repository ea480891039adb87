package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code goldentooth storage ...} against a stand-in storage-service answering recorded JSON. */
class StorageCommandTest {

    HttpServer server;
    final Capture out = new Capture();
    final Capture err = new Capture();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        answer("/storage/status", 200, "{\"source\":\"allyrion\",\"targets\":[\"gardener\"],\"datasets\":[{\"dataset\":"
                + "\"rpool/data\",\"lastRun\":{\"runId\":\"r\",\"node\":\"allyrion\",\"dataset\":\"rpool/data\","
                + "\"outcome\":\"succeeded\",\"counts\":{\"daily\":30,\"hourly\":36},\"newest\":"
                + "\"autosnap_2026-11-25_15:00:00_hourly\",\"errors\":[]},\"replication\":[{\"dataset\":\"rpool/data\","
                + "\"source\":\"allyrion\",\"target\":\"gardener\",\"state\":\"behind\",\"lastCommon\":\"x\","
                + "\"snapshotsBehind\":4,\"lagSeconds\":14400,\"bytesSent\":0,\"lastSuccessAt\":\"2026-11-25T11:00:00Z\"}]}]}");
        answer("/storage/replicate/rpool/data", 200, "[{\"dataset\":\"rpool/data\",\"source\":\"allyrion\",\"target\":"
                + "\"gardener\",\"state\":\"diverged\",\"snapshotsBehind\":1,\"lagSeconds\":3600,\"bytesSent\":0,"
                + "\"lastError\":\"the target's newest snapshot local is not on the source\"}]");
        answer("/storage/plan/tank/nope", 404, "{\"status\":404,\"error\":\"unknown dataset 'tank/nope'\",\"hints\":[\"rpool/data\"]}");
        server.start();
    }

    void answer(String path, int status, String body) {
        server.createContext(path, exchange -> {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int run(String... args) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        CliContext context = new CliContext(out.stream, err.stream, new ByteArrayInputStream(new byte[0]),
                Map.of("GOLDENTOOTH_STORAGE", url), Clock.fixed(Instant.parse("2026-11-25T15:10:00Z"), ZoneOffset.UTC));
        return Main.run(context, args);
    }

    @Test
    void statusShowsCountsLagAndState() {
        assertEquals(0, run("storage", "status"));
        String text = out.text();
        assertTrue(text.contains("30 daily, 36 hourly"), text);
        assertTrue(text.contains("gardener") && text.contains("behind"), text);
        List<String> lines = text.lines().toList();
        assertTrue(lines.get(1).startsWith("DATASET"), text);
    }

    @Test
    void jsonIsTheServicesAnswer() {
        assertEquals(0, run("storage", "status", "--json"));
        assertTrue(out.text().startsWith("{\"source\":\"allyrion\""), out.text());
    }

    @Test
    void aDivergedTargetExitsOne() {
        assertEquals(1, run("storage", "replicate", "rpool/data", "--to", "gardener"));
        assertTrue(out.text().contains("diverged"), out.text());
    }

    @Test
    void anUnknownDatasetIsAUsageErrorWithTheKnownOnes() {
        assertEquals(2, run("storage", "plan", "tank/nope"));
        assertTrue(err.text().contains("unknown dataset 'tank/nope' (known: rpool/data)"), err.text());
    }

    @Test
    void anUnreachableServiceIsUnavailable() {
        server.stop(0);
        assertEquals(5, run("storage", "status"));
        assertTrue(err.text().contains("GOLDENTOOTH_STORAGE"), err.text());
    }
}
