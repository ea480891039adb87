package net.goldentooth.monitor.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import net.goldentooth.monitor.rules.ProbeResult;
import org.junit.jupiter.api.Test;

/** Probes against sockets and an HTTP server on loopback. */
class ProberTest {

    private final Prober prober = new Prober(Duration.ofSeconds(2), Clock.systemUTC());

    @Test
    void tcpSucceedsOnAListeningPortAndFailsOnAClosedOne() throws Exception {
        int closed;
        try (ServerSocket open = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            ProbeResult up = prober.run(ProbeTarget.parse("ssh=tcp://127.0.0.1:" + open.getLocalPort()));
            assertTrue(up.success(), up.error());
            closed = open.getLocalPort();
        }
        ProbeResult down = prober.run(ProbeTarget.parse("ssh=tcp://127.0.0.1:" + closed));
        assertFalse(down.success());
        assertTrue(down.error().contains("Connect"), down.error());
    }

    @Test
    void httpIsUpBelow500() throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/ok", e -> {
            e.sendResponseHeaders(204, -1);
            e.close();
        });
        server.createContext("/broken", e -> {
            e.sendResponseHeaders(503, -1);
            e.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            assertTrue(prober.run(ProbeTarget.parse("grafana=http://127.0.0.1:" + port + "/ok")).success());
            ProbeResult broken = prober.run(ProbeTarget.parse("grafana=http://127.0.0.1:" + port + "/broken"));
            assertFalse(broken.success());
            assertTrue(broken.error().contains("HTTP 503"), broken.error());
            // An https probe of a plain-HTTP port fails the handshake rather than passing.
            assertFalse(prober.run(ProbeTarget.parse("tls=https://127.0.0.1:" + port + "/ok")).success());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void dnsResolvesKnownNamesAndFailsOnUnknownOnes() {
        assertTrue(prober.run(ProbeTarget.parse("self=dns://localhost")).success());
        ProbeResult missing = prober.run(ProbeTarget.parse("missing=dns://no-such-host.invalid"));
        assertFalse(missing.success());
        assertEquals("no-such-host.invalid", missing.address());
    }

    @Test
    void targetsParseWithDefaultsAndRejectNonsense() {
        ProbeTarget vault = ProbeTarget.parse("vault=https://10.4.0.10:8200/v1/sys/health");
        assertEquals("https", vault.kind());
        assertEquals(8200, vault.port());
        assertEquals("/v1/sys/health", vault.path());
        assertEquals(443, ProbeTarget.parse("x=https://host").port());
        assertEquals("10.4.0.11", ProbeTarget.parse("ping=icmp://10.4.0.11").address());
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse("no-equals"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse("x=ftp://host:21"));
        assertThrows(IllegalArgumentException.class, () -> ProbeTarget.parse("x=tcp://host"));
    }
}
