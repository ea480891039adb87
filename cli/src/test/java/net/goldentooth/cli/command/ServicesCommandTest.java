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
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code goldentooth services [pattern]} against a stand-in provisioner answering {@code GET /services}. */
class ServicesCommandTest {

    private static final String ANSWER = """
            [{"node":"allyrion","groups":["raspberry_pi","haproxy"],"live":true,"lastSeen":"2026-11-25T15:09:50Z",
              "services":{"stale":false,"collectedAt":"2026-11-25T15:09:50Z","value":[
                {"name":"haproxy","kind":"haproxy","state":"critical","version":"2.6.12-1+deb12u3","checkedAt":"2026-11-25T15:09:50Z",
                 "details":{"backend.k8s_api_servers.status":"DOWN","backend.k8s_api_servers.servers":"3",
                            "backend.k8s_api_servers.serversUp":"0"}}]}},
             {"node":"bettley","groups":["consul_server"],"live":false,"lastSeen":"2026-11-25T12:00:00Z",
              "services":{"stale":false,"collectedAt":"2026-11-25T12:00:00Z","value":[
                {"name":"consul","kind":"consul","state":"unknown","checkedAt":"2026-11-25T12:00:00Z",
                 "details":{"lastSeenUnix":"1764072000"},"error":"Consul API http://127.0.0.1:8500: Connection refused"}]}},
             {"node":"fenn","groups":["k8s_worker"],"live":true,"lastSeen":"2026-11-25T15:09:55Z"}]
            """;

    HttpServer server;
    final Capture out = new Capture();
    final Capture err = new Capture();
    final List<String> queries = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/services", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            queries.add(query);
            boolean bad = query != null && query.contains("k8s_contrl");
            byte[] body = (bad ? "{\"status\":400,\"error\":\"no group or host matches 'k8s_contrl_plane'\","
                    + "\"hints\":[\"k8s_control_plane\"]}" : ANSWER).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(bad ? 400 : 200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    int run(String... args) {
        String url = "http://127.0.0.1:" + server.getAddress().getPort();
        CliContext context = new CliContext(out.stream, err.stream, new ByteArrayInputStream(new byte[0]),
                Map.of("GOLDENTOOTH_PROVISIONER", url), Clock.fixed(Instant.parse("2026-11-25T15:10:00Z"), ZoneOffset.UTC));
        return Main.run(context, args);
    }

    @Test
    void allShowsEachNodesChecks() {
        assertEquals(0, run("services", "all"));
        List<String> lines = out.text().lines().toList();
        assertTrue(lines.get(0).startsWith("NODE") && lines.get(0).contains("SERVICE") && lines.get(0).contains("STATE"),
                out.text());
        String haproxy = lines.stream().filter(l -> l.startsWith("allyrion")).findFirst().orElseThrow();
        assertTrue(haproxy.contains("haproxy") && haproxy.contains("critical") && haproxy.contains("k8s_api_servers 0/3 up"),
                haproxy);
        String consul = lines.stream().filter(l -> l.startsWith("bettley (down)")).findFirst().orElseThrow();
        assertTrue(consul.contains("unknown") && consul.contains("Connection refused"), consul);
        String fenn = lines.stream().filter(l -> l.startsWith("fenn")).findFirst().orElseThrow();
        assertTrue(fenn.contains("no service checks configured"), fenn);
        assertEquals(List.of("pattern=all"), queries);
    }

    @Test
    void thePatternIsPassedEncodedAndDefaultsToAll() {
        assertEquals(0, run("services"));
        assertEquals(0, run("services", "consul_server,!dalt"));
        assertEquals(List.of("pattern=all", "pattern=consul_server%2C%21dalt"), queries);
    }

    @Test
    void anUnknownGroupIsAUsageErrorWithTheHint() {
        assertEquals(2, run("services", "k8s_contrl_plane"));
        assertTrue(err.text().contains("no group or host matches 'k8s_contrl_plane'"), err.text());
        assertTrue(err.text().contains("k8s_control_plane"), err.text());
    }

    @Test
    void jsonIsTheProvisionersAnswer() {
        assertEquals(0, run("services", "--json"));
        assertTrue(out.text().contains("\"lastSeenUnix\" : \"1764072000\"") || out.text().contains("\"lastSeenUnix\":"),
                out.text());
    }
}
