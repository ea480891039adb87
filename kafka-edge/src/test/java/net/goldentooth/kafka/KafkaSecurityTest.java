package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityTest {

    @Test
    void plaintextUnlessToldOtherwise() {
        assertEquals(KafkaSecurity.PLAINTEXT, KafkaSecurity.from(new Properties(), Map.of()));
        Properties client = KafkaSecurity.PLAINTEXT.applyTo(new Properties());
        assertEquals("PLAINTEXT", client.get("security.protocol"));
        assertFalse(client.containsKey("ssl.keystore.key"));
    }

    @Test
    void sslPutsThePemContentsIntoTheClientConfiguration(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("cert.pem"), "CERT");
        Files.writeString(dir.resolve("key.pem"), "KEY");
        Files.writeString(dir.resolve("root.pem"), "ROOT");
        Properties system = new Properties();
        system.setProperty("goldentooth.kafka.security-protocol", "ssl");
        system.setProperty("goldentooth.kafka.ssl.certificate", dir.resolve("cert.pem").toString());
        // the environment fills what system properties leave out
        Map<String, String> env = Map.of("GOLDENTOOTH_KAFKA_SSL_KEY", dir.resolve("key.pem").toString(),
                "GOLDENTOOTH_KAFKA_SSL_TRUST", dir.resolve("root.pem").toString());
        Properties client = KafkaSecurity.from(system, env).applyTo(new Properties());
        assertEquals("SSL", client.get("security.protocol"));
        assertEquals("PEM", client.get("ssl.keystore.type"));
        assertEquals("CERT", client.get("ssl.keystore.certificate.chain"));
        assertEquals("KEY", client.get("ssl.keystore.key"));
        assertEquals("ROOT", client.get("ssl.truststore.certificates"));
    }

    @Test
    void aChainFileIsSentAfterTheCertificate(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("leaf.pem"), "LEAF");
        Files.writeString(dir.resolve("chain.pem"), "INTERMEDIATE\nROOT\n");
        Files.writeString(dir.resolve("key.pem"), "KEY");
        Files.writeString(dir.resolve("root.pem"), "ROOT");
        Properties system = new Properties();
        system.setProperty("goldentooth.kafka.security-protocol", "SSL");
        system.setProperty("goldentooth.kafka.ssl.certificate", dir.resolve("leaf.pem").toString());
        system.setProperty("goldentooth.kafka.ssl.key", dir.resolve("key.pem").toString());
        system.setProperty("goldentooth.kafka.ssl.trust", dir.resolve("root.pem").toString());
        system.setProperty("goldentooth.kafka.ssl.chain", dir.resolve("chain.pem").toString());
        Properties client = KafkaSecurity.from(system, Map.of()).applyTo(new Properties());
        assertEquals("LEAF\nINTERMEDIATE\nROOT\n", client.get("ssl.keystore.certificate.chain"));
        Files.delete(dir.resolve("chain.pem"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.from(system, Map.of())
                .applyTo(new Properties())).getMessage().startsWith("goldentooth.kafka.ssl.chain " + dir.resolve("chain.pem")));
    }

    @Test
    void misconfigurationNamesTheKey(@TempDir Path dir) {
        Properties system = new Properties();
        system.setProperty("goldentooth.kafka.security-protocol", "SASL_SSL");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.from(system, Map.of()))
                .getMessage().startsWith("goldentooth.kafka.security-protocol 'SASL_SSL'"));
        Map<String, String> env = Map.of("GOLDENTOOTH_KAFKA_SECURITY_PROTOCOL", "SSL");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> KafkaSecurity.from(new Properties(), env))
                .getMessage().startsWith("goldentooth.kafka.ssl.certificate (or GOLDENTOOTH_KAFKA_SSL_CERTIFICATE)"));
        KafkaSecurity missing = KafkaSecurity.mutualTls(dir.resolve("a"), dir.resolve("b"), dir.resolve("c"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> missing.applyTo(new Properties()))
                .getMessage().startsWith("goldentooth.kafka.ssl.certificate " + dir.resolve("a")));
    }
}
