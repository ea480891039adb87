package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaSecurityConfigSourceTest {

    @Test
    void plaintextAddsNothing() {
        KafkaSecurityConfigSource source = new KafkaSecurityConfigSource(new Properties(), Map.of());
        assertTrue(source.getPropertyNames().isEmpty());
        assertNull(source.getValue("kafka.security.protocol"));
    }

    @Test
    void sslGivesQuarkusKafkaTheSameSettingsReadWhenAskedFor(@TempDir Path dir) throws Exception {
        Properties system = new Properties();
        system.setProperty("goldentooth.kafka.security-protocol", "SSL");
        system.setProperty("goldentooth.kafka.ssl.certificate", dir.resolve("cert.pem").toString());
        system.setProperty("goldentooth.kafka.ssl.key", dir.resolve("key.pem").toString());
        system.setProperty("goldentooth.kafka.ssl.trust", dir.resolve("root.pem").toString());
        KafkaSecurityConfigSource source = new KafkaSecurityConfigSource(system, Map.of());
        assertEquals(6, source.getPropertyNames().size());
        assertEquals("SSL", source.getValue("kafka.security.protocol"));
        // Not written yet (an agent before its first certificate): nothing, rather than a failure.
        assertNull(source.getValue("kafka.ssl.keystore.key"));
        Files.writeString(dir.resolve("cert.pem"), "CERT");
        Files.writeString(dir.resolve("key.pem"), "KEY");
        Files.writeString(dir.resolve("root.pem"), "ROOT");
        assertEquals("KEY", source.getValue("kafka.ssl.keystore.key"));
        assertEquals("CERT", source.getValue("kafka.ssl.keystore.certificate.chain"));
        assertEquals("ROOT", source.getValue("kafka.ssl.truststore.certificates"));
        assertEquals("PEM", source.getValue("kafka.ssl.truststore.type"));
        assertNull(source.getValue("kafka.bootstrap.servers"), "only the security keys are answered");
    }
}
