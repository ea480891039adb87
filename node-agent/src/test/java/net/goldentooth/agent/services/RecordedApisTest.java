package net.goldentooth.agent.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Consul, Vault, Nomad and kubelet checks against recorded API answers
 * ({@code src/test/resources/services/recorded/}) served by a JDK HTTP server: Consul, Vault and
 * Nomad are not packaged by Debian and cannot be installed on this network, and a kubelet needs a
 * Kubernetes node. The checks' own HTTP client, timeouts and parsing are the real ones.
 */
class RecordedApisTest {

    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path consulData;
    private HttpServer server;
    private String base;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();

    record Answer(int status, String body) {
    }

    @BeforeEach
    void serve() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            Answer a = answers.getOrDefault(exchange.getRequestURI().getPath(), new Answer(404, "no such path"));
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(a.status(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private static String recorded(String name) throws IOException {
        try (InputStream in = RecordedApisTest.class.getResourceAsStream("/services/recorded/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private HttpGetter http() {
        return HttpGetter.create(Duration.ofSeconds(2), null);
    }

    private void consulAnswers(String leader) throws IOException {
        answers.put("/v1/agent/self", new Answer(200, recorded("consul-agent-self.json")));
        answers.put("/v1/status/leader", new Answer(200, "\"" + leader + "\""));
        answers.put("/v1/agent/members", new Answer(200, recorded("consul-members-one-server-failed.json")));
    }

    @Test
    void consulRejoinAgeWarnsAtHalfTheLimitAndCountsTheFailedServer() throws Exception {
        consulAnswers("10.4.0.12:8300");
        long lastSeen = NOW.minus(Duration.ofHours(90)).getEpochSecond();
        Files.writeString(consulData.resolve("server_metadata.json"), "{\"last_seen_unix\":" + lastSeen + "}");
        ServiceCheck c = new ConsulCheck(base, consulData, Duration.ofHours(168), http(), CLOCK).check();
        assertEquals(State.WARNING, c.state(), c.toString());
        assertEquals(Long.toString(lastSeen), c.details().get("lastSeenUnix"));
        assertEquals("last_seen_unix", c.details().get("lastSeenSource"));
        assertEquals("604800", c.details().get("rejoinAgeMaxSeconds"));
        assertEquals("10.4.0.12:8300", c.details().get("leader"));
        assertEquals("3", c.details().get("servers.total"));
        assertEquals("2", c.details().get("servers.alive"));
        assertEquals("1", c.details().get("members.failed"));
        assertEquals("3", c.details().get("members.alive"));
        assertEquals("1.20.2", c.version());
        assertNull(c.error());
    }

    @Test
    void aHealthyFreshServerIsOk() throws Exception {
        consulAnswers("10.4.0.12:8300");
        answers.put("/v1/agent/members", new Answer(200, "[{\"Name\":\"bettley\",\"Tags\":{\"role\":\"consul\"},\"Status\":1}]"));
        Files.writeString(consulData.resolve("server_metadata.json"),
                "{\"last_seen_unix\":" + NOW.minusSeconds(30).getEpochSecond() + "}");
        assertEquals(State.OK, new ConsulCheck(base, consulData, Duration.ofHours(168), http(), CLOCK).check().state());
    }

    @Test
    void consulDownWithAMarkBeyondTheLimitIsCriticalAndKeepsTheMark() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Path file = consulData.resolve("server_metadata.json");
        Files.writeString(file, "{}");
        Instant lastSeen = NOW.minus(Duration.ofHours(170));
        Files.setLastModifiedTime(file, FileTime.from(lastSeen));
        ServiceCheck c = new ConsulCheck("http://127.0.0.1:" + closed, consulData, Duration.ofHours(168), http(), CLOCK)
                .check();
        assertEquals(State.CRITICAL, c.state());
        assertEquals(Long.toString(lastSeen.getEpochSecond()), c.details().get("lastSeenUnix"), "the file's mtime");
        assertEquals("mtime", c.details().get("lastSeenSource"));
        assertTrue(c.error().startsWith("last seen 170 h ago, beyond server_rejoin_age_max 168 h"), c.error());
        assertTrue(c.error().contains("Consul API http://127.0.0.1:" + closed), c.error());
        assertFalse(c.error().endsWith(": null"), "the error says why the API did not answer: " + c.error());
    }

    /**
     * Consul writes server_metadata.json 0600 as its own user, so the agent usually cannot read it;
     * the mark is then the file's modification time, which a stat gives without read permission.
     * The tests run as root, which reads any file, so a directory at the file's path stands in for
     * an unreadable file (reading it fails, a stat works).
     */
    @Test
    void anUnreadableMetadataFileGivesItsModificationTimeAsTheMark() throws Exception {
        consulAnswers("10.4.0.12:8300");
        answers.put("/v1/agent/members", new Answer(200, "[{\"Name\":\"bettley\",\"Tags\":{\"role\":\"consul\"},\"Status\":1}]"));
        Path file = Files.createDirectory(consulData.resolve("server_metadata.json"));
        Instant lastSeen = NOW.minus(Duration.ofHours(100));
        Files.setLastModifiedTime(file, FileTime.from(lastSeen));
        ServiceCheck c = new ConsulCheck(base, consulData, Duration.ofHours(168), http(), CLOCK).check();
        assertEquals(Long.toString(lastSeen.getEpochSecond()), c.details().get("lastSeenUnix"));
        assertTrue(c.details().get("lastSeenSource").startsWith("mtime ("), c.details().toString());
        assertNull(c.details().get("lastSeenError"));
        assertEquals(State.WARNING, c.state(), "100 h is past half of 168 h: " + c);
    }

    /** Consul truncates the file before each hourly write: an empty or cut file is not an error. */
    @Test
    void aMetadataFileCaughtMidRewriteGivesItsModificationTime() throws Exception {
        consulAnswers("10.4.0.12:8300");
        answers.put("/v1/agent/members", new Answer(200, "[{\"Name\":\"bettley\",\"Tags\":{\"role\":\"consul\"},\"Status\":1}]"));
        for (String text : new String[] {"", "{\"last_seen_un", "{\"last_seen_unix\":\"soon\"}"}) {
            Path file = consulData.resolve("server_metadata.json");
            Files.writeString(file, text);
            Instant lastSeen = NOW.minus(Duration.ofHours(2));
            Files.setLastModifiedTime(file, FileTime.from(lastSeen));
            ServiceCheck c = new ConsulCheck(base, consulData, Duration.ofHours(168), http(), CLOCK).check();
            assertEquals(Long.toString(lastSeen.getEpochSecond()), c.details().get("lastSeenUnix"), "'" + text + "'");
            assertEquals("mtime", c.details().get("lastSeenSource"), "'" + text + "'");
            assertEquals(State.OK, c.state(), c.toString());
        }
    }

    @Test
    void noLeaderIsCriticalAndNoMetadataFileIsNoMark() throws Exception {
        consulAnswers("");
        ServiceCheck c = new ConsulCheck(base + "/", consulData, Duration.ofHours(168), http(), CLOCK).check();
        assertEquals(State.CRITICAL, c.state());
        assertEquals("no leader", c.error());
        assertNull(c.details().get("lastSeenUnix"));
    }

    @Test
    void vaultSealedIsCriticalAndActiveIsOk() throws Exception {
        answers.put("/v1/sys/health", new Answer(200, recorded("vault-health-sealed.json")));
        ServiceCheck sealed = new VaultCheck(base, http(), CLOCK).check();
        assertEquals(State.CRITICAL, sealed.state());
        assertEquals("sealed", sealed.error());
        assertEquals("true", sealed.details().get("sealed"));
        assertEquals("1.18.3", sealed.version());
        answers.put("/v1/sys/health", new Answer(200, recorded("vault-health-active.json")));
        ServiceCheck active = new VaultCheck(base, http(), CLOCK).check();
        assertEquals(State.OK, active.state());
        assertEquals("false", active.details().get("standby"));
        assertEquals("vault-cluster-goldentooth", active.details().get("cluster"));
        answers.put("/v1/sys/health", new Answer(500, "{\"errors\":[\"internal error\"]}"));
        ServiceCheck broken = new VaultCheck(base, http(), CLOCK).check();
        assertEquals(State.UNKNOWN, broken.state());
        assertTrue(broken.error().contains("HTTP 500"), broken.error());
    }

    @Test
    void nomadNodeDownIsCriticalReadyIsOk() throws Exception {
        answers.put("/v1/agent/self", new Answer(200, recorded("nomad-agent-self.json")));
        answers.put("/v1/node/5b3a1f0e-9c2d-4e7a-8b6f-1d2c3b4a5f60", new Answer(200, recorded("nomad-node-down.json")));
        ServiceCheck down = new NomadCheck(base, http(), CLOCK).check();
        assertEquals(State.CRITICAL, down.state());
        assertEquals("down", down.details().get("status"));
        assertEquals("1.9.3", down.version());
        answers.put("/v1/node/5b3a1f0e-9c2d-4e7a-8b6f-1d2c3b4a5f60", new Answer(200, recorded("nomad-node-ready.json")));
        assertEquals(State.OK, new NomadCheck(base, http(), CLOCK).check().state());
        answers.put("/v1/agent/self", new Answer(200, "{\"config\":{\"Version\":\"1.6.1\"},\"stats\":{}}"));
        ServiceCheck serverOnly = new NomadCheck(base, http(), CLOCK).check();
        assertEquals(State.CRITICAL, serverOnly.state());
        assertEquals("this Nomad agent runs no client", serverOnly.error());
    }

    @Test
    void kubeletHealthzOkOrNot() throws Exception {
        answers.put("/healthz", new Answer(200, "ok"));
        assertEquals(State.OK, new KubeletCheck(base + "/healthz", http(), CLOCK).check().state());
        answers.put("/healthz", new Answer(500, "[-]syncloop failed: reason withheld"));
        ServiceCheck bad = new KubeletCheck(base + "/healthz", http(), CLOCK).check();
        assertEquals(State.CRITICAL, bad.state());
        assertEquals("healthz answered HTTP 500", bad.error());
    }
}
