package net.goldentooth.monitor.probes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import net.goldentooth.monitor.rules.ProbeResult;
import org.junit.jupiter.api.Test;

/** Probes against sockets and an HTTP server on loopback. */
class ProberTest {

    private final Prober prober;

    ProberTest() throws Exception {
        prober = new Prober(Duration.ofSeconds(2), Clock.systemUTC());
    }

    /**
     * An https server with a self-signed certificate made by the JDK's keytool: probed with that
     * certificate as the configured CA it is up and its leaf expiry is read; with the JVM's trust
     * store the chain does not validate and the probe fails.
     */
    @Test
    void httpsValidatesTheChainAgainstTheConfiguredCaAndReadsTheLeafExpiry(@org.junit.jupiter.api.io.TempDir Path dir)
            throws Exception {
        Path keystore = dir.resolve("server.p12");
        Path pem = dir.resolve("ca.pem");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "3",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "changeit");
        keytool("-exportcert", "-rfc", "-alias", "server", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-file", pem.toString());
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(ks, "changeit".toCharArray());
        SSLContext serverTls = SSLContext.getInstance("TLS");
        serverTls.init(keys.getKeyManagers(), null, null);
        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(serverTls));
        server.createContext("/health", e -> {
            e.sendResponseHeaders(200, -1);
            e.close();
        });
        server.start();
        try {
            ProbeTarget target = ProbeTarget.parse("pki-service=https://127.0.0.1:" + server.getAddress().getPort() + "/health");
            ProbeResult trusted = new Prober(Duration.ofSeconds(5), Clock.systemUTC(), Prober.trusting(pem)).run(target);
            assertTrue(trusted.success(), trusted.error());
            X509Certificate leaf = (X509Certificate) ks.getCertificate("server");
            assertEquals(leaf.getNotAfter().toInstant(), trusted.leafNotAfter());
            ProbeResult untrusted = prober.run(target);
            assertFalse(untrusted.success());
            assertTrue(untrusted.error().contains("PKIX") || untrusted.error().contains("certification path"),
                    untrusted.error());
        } finally {
            server.stop(0);
        }
    }

    private static void keytool(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
    }

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
            ProbeResult ok = prober.run(ProbeTarget.parse("grafana=http://127.0.0.1:" + port + "/ok"));
            assertTrue(ok.success());
            assertEquals(204, ok.httpStatus());
            ProbeResult broken = prober.run(ProbeTarget.parse("grafana=http://127.0.0.1:" + port + "/broken"));
            assertFalse(broken.success());
            assertTrue(broken.error().contains("HTTP 503"), broken.error());
            // An https probe of a plain-HTTP port fails the handshake rather than passing.
            assertFalse(prober.run(ProbeTarget.parse("tls=https://127.0.0.1:" + port + "/ok")).success());
        } finally {
            server.stop(0);
        }
    }

    /**
     * Runs Debian's {@code ping} (iputils-ping, listed in .ci/packages/monitor-service.txt): loopback
     * answers; 203.0.113.1 (TEST-NET-3, never routed) does not within the 1 s timeout. Without the
     * binary the first assertion fails and names it.
     */
    @Test
    void icmpAnswersOnLoopbackAndFailsOnAnUnroutedAddress() throws Exception {
        Prober quick = new Prober(Duration.ofSeconds(1), Clock.systemUTC());
        ProbeResult up = quick.run(ProbeTarget.parse("loopback=icmp://127.0.0.1"));
        assertTrue(up.success(), "icmp probe of 127.0.0.1 failed (is iputils-ping installed?): " + up.error());
        assertEquals("127.0.0.1", up.address());
        ProbeResult down = quick.run(ProbeTarget.parse("test-net=icmp://203.0.113.1"));
        assertFalse(down.success(), "203.0.113.1 is TEST-NET-3 and must not answer");
        assertTrue(down.error().contains("no echo reply"), down.error());
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
