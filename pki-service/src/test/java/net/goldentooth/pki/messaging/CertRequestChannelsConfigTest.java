package net.goldentooth.pki.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import net.goldentooth.events.Topics;
import org.junit.jupiter.api.Test;

/** The SmallRye channels' configuration against the topic catalogue and kafka-edge's clients. */
class CertRequestChannelsConfigTest {

    private static final String IN = "mp.messaging.incoming." + CertRequestChannels.REQUESTS + ".";
    private static final String OUT = "mp.messaging.outgoing." + CertRequestChannels.ISSUED + ".";

    @Test
    void theRequestChannelSubscribesInTheServicesGroupLikeKafkaEdgesConsumer() throws IOException {
        Properties p = properties();
        assertEquals(Topics.CERT_REQUESTED, p.getProperty(IN + "topic"));
        // Subscribed, not assigned: the instances of pki-service share the partitions through the group.
        assertNull(p.getProperty(IN + "assign-seek"));
        assertEquals(PkiConsumers.GROUP, p.getProperty(IN + "group.id"));
        assertEquals(Topics.deadLetterOf(Topics.CERT_REQUESTED), p.getProperty(IN + "dead-letter-queue.topic"));
        assertEquals("dead-letter-queue", p.getProperty(IN + "failure-strategy"));
        assertEquals("throttled", p.getProperty(IN + "commit-strategy"));
        assertEquals("false", p.getProperty(IN + "enable.auto.commit"));
        // throttled commits on this timer; kafka-edge commits after each batch (5 s would widen the re-read window)
        assertTrue(Integer.parseInt(p.getProperty(IN + "auto.commit.interval.ms")) <= 100);
    }

    @Test
    void theAnswerChannelSendsLikeKafkaEdgesProducer() throws IOException {
        Properties p = properties();
        assertEquals(Topics.CERT_ISSUED, p.getProperty(OUT + "topic"));
        assertEquals("all", p.getProperty(OUT + "acks"));
        assertEquals("true", p.getProperty(OUT + "enable.idempotence"));
        assertEquals("lz4", p.getProperty(OUT + "compression.type"));
    }

    @Test
    void bothChannelsAreOffUnlessTheSpikeIsChosen() throws IOException {
        Properties p = properties();
        assertEquals("${goldentooth.pki.smallrye:false}", p.getProperty(IN + "enabled"));
        assertEquals("${goldentooth.pki.smallrye:false}", p.getProperty(OUT + "enabled"));
    }

    private static Properties properties() throws IOException {
        Properties p = new Properties();
        try (InputStream in = CertRequestChannelsConfigTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return p;
    }
}
