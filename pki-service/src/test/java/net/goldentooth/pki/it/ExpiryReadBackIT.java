package net.goldentooth.pki.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.pki.inventory.CertificateInventory;
import net.goldentooth.pki.messaging.PkiConsumers;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;

/**
 * A restarted pki-service reads {@code cert.expiring} back from the real broker before its first
 * expiry scan, so a tier announced before the restart is not announced again.
 */
class ExpiryReadBackIT {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void aTierAnnouncedBeforeTheRestartIsNotAnnouncedAgain() {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        String node = "it-" + UUID.randomUUID().toString().substring(0, 8);
        CertIssued issued = new CertIssued("r1", node, node + "/consul", "consul", CertKind.ENROLL, "s1", "pem", "chain",
                T0.minus(Duration.ofMinutes(1)), T0.plus(Duration.ofHours(24)), null, null, T0);

        CertificateInventory before = new CertificateInventory();
        before.record(issued);
        List<CertExpiring> announced = before.dueExpiryEvents(T0.plus(Duration.ofHours(17)), Set.of());
        assertEquals(1, announced.size());
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//pki-service", Clock.systemUTC())) {
            announced.forEach(e -> publisher.publish(Topics.CERT_EXPIRING, e.lineage(), e).join());

            CertificateInventory after = new CertificateInventory();
            after.record(issued);
            new PkiConsumers(bootstrap, publisher, (topic, reason) -> { }).replayExpiring(after::restoreAnnounced);

            assertEquals(List.of(), after.dueExpiryEvents(T0.plus(Duration.ofHours(18)), Set.of()));
            assertEquals(List.of(ExpiryTier.CRITICAL), after.dueExpiryEvents(T0.plus(Duration.ofHours(23)), Set.of())
                    .stream().map(CertExpiring::tier).toList());
        }
    }
}
