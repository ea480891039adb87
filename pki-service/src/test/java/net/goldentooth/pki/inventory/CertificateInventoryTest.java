package net.goldentooth.pki.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertLineageView;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.ExpiryTier;
import org.junit.jupiter.api.Test;

class CertificateInventoryTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void oneAlertPerTierChangeAndARenewedCertificateStartsAfresh() {
        CertificateInventory inventory = new CertificateInventory();
        inventory.record(issued("s1", T0, Duration.ofHours(24)));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(1)), Set.of()));
        assertEquals(List.of(ExpiryTier.WARNING), tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofHours(17)), Set.of())));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(18)), Set.of()));
        assertEquals(List.of(ExpiryTier.CRITICAL), tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofHours(23)), Set.of())));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(30)), Set.of()));

        inventory.record(issued("s2", T0.plus(Duration.ofHours(30)), Duration.ofHours(24)));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(31)), Set.of()));
        assertEquals(List.of(ExpiryTier.CRITICAL), tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofHours(60)), Set.of())));
        // Revoked lineages are not alerted on.
        inventory.record(issued("s3", T0.plus(Duration.ofHours(60)), Duration.ofHours(24)));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(90)), Set.of("bettley/consul")));
    }

    @Test
    void theNewestRenewalReportWinsWhateverOrderTheTopicsAreReadIn() {
        CertificateInventory inventory = new CertificateInventory();
        inventory.record(issued("s1", T0, Duration.ofHours(24)));
        inventory.record(new CertRenewed("bettley", "bettley/consul", "s1", T0.plus(Duration.ofHours(24)), T0.plusSeconds(60)));
        inventory.record(new CertRenewalFailed("bettley", "bettley/consul", "reload-failed", 1, T0.plusSeconds(30)));
        CertLineageView view = inventory.view(T0.plusSeconds(90), Set.of()).get(0);
        assertEquals("renewed " + T0.plusSeconds(60), view.lastRenewal());
        assertEquals("valid", view.status());
        assertEquals(Duration.ofHours(24).minusSeconds(90).toSeconds(), view.secondsLeft());
        assertEquals("expired", inventory.view(T0.plus(Duration.ofHours(25)), Set.of()).get(0).status());
        assertEquals("revoked", inventory.view(T0, Set.of("bettley/consul")).get(0).status());
    }

    private static List<ExpiryTier> tiers(List<CertExpiring> events) {
        return events.stream().map(CertExpiring::tier).toList();
    }

    private static CertIssued issued(String serial, Instant at, Duration lifetime) {
        return new CertIssued("r-" + serial, "bettley", "bettley/consul", "consul", CertKind.RENEW, serial, "pem", "chain",
                at.minus(Duration.ofMinutes(1)), at.plus(lifetime), null, null, at);
    }
}
