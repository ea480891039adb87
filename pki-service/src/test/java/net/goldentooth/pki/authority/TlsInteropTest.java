package net.goldentooth.pki.authority;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import net.goldentooth.pki.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real TLS server with our leaf is accepted by {@code curl --cacert root.pem}, and only with our root. */
class TlsInteropTest {

    @TempDir
    Path dir;

    @Test
    void curlTrustsAServerPresentingOurLeafAndChain() throws Exception {
        CertificateAuthority ca = CertificateAuthority.initialise(dir, "pw".toCharArray(), Clock.systemUTC());
        KeyPair keys = TestKeys.ecKeyPair();
        Instant now = Instant.now();
        X509Certificate leaf = ca.issue(new CertificateAuthority.LeafSpec(
                Csr.parse(TestKeys.csr(keys, "localhost", List.of("localhost"))).publicKey(), "localhost",
                "localhost/https", List.of("localhost"), List.of("127.0.0.1"), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(1))));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("leaf", keys.getPrivate(), "pw".toCharArray(),
                new Certificate[] {leaf, ca.intermediate(), ca.root()});
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(store, "pw".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(managers.getKeyManagers(), null, null);

        HttpsServer server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            byte[] body = "served-by-our-leaf\n".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            int port = server.getAddress().getPort();
            TestKeys.Run ok = TestKeys.run(dir, List.of("curl", "-sS", "--max-time", "20", "--cacert", "root.pem",
                    "https://localhost:" + port + "/"));
            assertEquals(0, ok.exitCode(), ok.output());
            assertTrue(ok.output().contains("served-by-our-leaf"), ok.output());
            TestKeys.Run byIp = TestKeys.run(dir, List.of("curl", "-sS", "--max-time", "20", "--cacert", "root.pem",
                    "https://127.0.0.1:" + port + "/"));
            assertEquals(0, byIp.exitCode(), byIp.output());

            Path other = Files.createDirectories(dir.resolve("other"));
            CertificateAuthority.initialise(other, "pw".toCharArray(), Clock.systemUTC());
            TestKeys.Run foreign = TestKeys.run(dir, List.of("curl", "-sS", "--max-time", "20", "--cacert",
                    "other/root.pem", "https://localhost:" + port + "/"));
            assertNotEquals(0, foreign.exitCode(), foreign.output());
            assertTrue(foreign.output().toLowerCase().contains("certificate"), foreign.output());
        } finally {
            server.stop(0);
        }
    }
}
