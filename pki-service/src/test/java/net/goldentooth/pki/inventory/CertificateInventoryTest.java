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
import net.goldentooth.events.cert.LifetimeKind;
import net.goldentooth.events.facts.NodeFacts;
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

    /** Found by e2e ServiceFaultsIT: a scan during a broker restart lost its cert.expiring events for good. */
    @Test
    void anAnnouncementThatWasNotDeliveredIsDueAgain() {
        CertificateInventory inventory = new CertificateInventory();
        inventory.record(issued("s1", T0, Duration.ofHours(24)));
        List<CertExpiring> lost = inventory.dueExpiryEvents(T0.plus(Duration.ofHours(17)), Set.of());
        assertEquals(List.of(ExpiryTier.WARNING), tiers(lost));

        inventory.unannounce(lost);

        assertEquals(List.of(ExpiryTier.WARNING), tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofHours(18)), Set.of())));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0.plus(Duration.ofHours(19)), Set.of()));
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

    /**
     * The seed's kubeadm certificates expired and took the API server down (seed lines 9863-9892):
     * certificates this CA never issued, found on a node's disk, are watched as {@code <node>/file:<path>}.
     */
    @Test
    void foundCertificatesAreWatchedAtTheLongLivedTiersAndLeaveWhenNoLongerReported() {
        CertificateInventory inventory = new CertificateInventory();
        Instant now = T0;
        NodeFacts.FoundCertificate apiserver = found("/etc/kubernetes/pki/apiserver.crt", "a1",
                now.minus(Duration.ofDays(360)), now.plus(Duration.ofDays(5)));
        NodeFacts.FoundCertificate etcd = found("/etc/kubernetes/pki/etcd/server.crt", "b2",
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)));
        inventory.recordFound("bettley", List.of(apiserver, etcd));

        List<CertExpiring> due = inventory.dueExpiryEvents(now, Set.of());
        assertEquals(1, due.size(), due.toString());
        CertExpiring expiring = due.get(0);
        assertEquals("bettley/file:/etc/kubernetes/pki/apiserver.crt", expiring.lineage());
        assertEquals("bettley", expiring.node());
        assertEquals("file", expiring.service());
        assertEquals(ExpiryTier.CRITICAL, expiring.tier());
        assertEquals(LifetimeKind.LONG, expiring.lifetimeKind());
        assertEquals(List.of(), inventory.dueExpiryEvents(now.plusSeconds(60), Set.of()), "announced once");

        List<CertLineageView> view = inventory.view(now, Set.of());
        assertEquals(List.of("critical", "valid"), view.stream().map(CertLineageView::status).toList());
        assertEquals(Duration.ofDays(5).toSeconds(), view.get(0).secondsLeft());

        // kubeadm renewed the API server's certificate: a new serial starts afresh, and etcd's file is gone.
        inventory.recordFound("bettley", List.of(found(apiserver.path(), "a3", now, now.plus(Duration.ofDays(365)))));
        assertEquals(List.of("bettley/file:/etc/kubernetes/pki/apiserver.crt"),
                inventory.view(now, Set.of()).stream().map(CertLineageView::lineage).toList());
        assertEquals(List.of("valid"), inventory.view(now, Set.of()).stream().map(CertLineageView::status).toList());
        inventory.recordFound("bettley", List.of());
        assertEquals(0, inventory.size());
    }

    @Test
    void anotherNodesReportLeavesThisNodesFoundCertificatesAndTheIssuedLineagesAlone() {
        CertificateInventory inventory = new CertificateInventory();
        inventory.record(issued("s1", T0, Duration.ofHours(24)));
        inventory.recordFound("bettley", List.of(found("/etc/ssl/a.crt", "1", T0, T0.plus(Duration.ofDays(90)))));
        inventory.recordFound("fenn", List.of());
        assertEquals(List.of("bettley/consul", "bettley/file:/etc/ssl/a.crt"),
                inventory.view(T0, Set.of()).stream().map(CertLineageView::lineage).toList());
    }

    /** A restart rebuilds the inventory; what cert.expiring already carries is not announced again. */
    @Test
    void tiersAnnouncedBeforeARestartAreNotAnnouncedAgain() {
        CertificateInventory before = new CertificateInventory();
        before.record(issued("s1", T0, Duration.ofHours(24)));
        List<CertExpiring> announced = before.dueExpiryEvents(T0.plus(Duration.ofHours(17)), Set.of());
        assertEquals(List.of(ExpiryTier.WARNING), tiers(announced));

        CertificateInventory after = new CertificateInventory();
        after.record(issued("s1", T0, Duration.ofHours(24)));
        announced.forEach(after::restoreAnnounced);
        assertEquals(List.of(), after.dueExpiryEvents(T0.plus(Duration.ofHours(18)), Set.of()), "warning already sent");
        assertEquals(List.of(ExpiryTier.CRITICAL), tiers(after.dueExpiryEvents(T0.plus(Duration.ofHours(23)), Set.of())));

        // Without the read-back the same restart repeats the warning: the test above can fail.
        CertificateInventory forgetful = new CertificateInventory();
        forgetful.record(issued("s1", T0, Duration.ofHours(24)));
        assertEquals(List.of(ExpiryTier.WARNING), tiers(forgetful.dueExpiryEvents(T0.plus(Duration.ofHours(18)), Set.of())));
    }

    @Test
    void aRestoredTierCountsOnlyForTheCertificateItWasAbout() {
        CertificateInventory inventory = new CertificateInventory();
        inventory.record(issued("s2", T0.plus(Duration.ofHours(20)), Duration.ofHours(24)));
        // The warning was about s1 (notAfter T0+24h); s2 has been issued since.
        inventory.restoreAnnounced(new CertExpiring("bettley", "bettley/consul", "consul", T0.plus(Duration.ofHours(24)),
                ExpiryTier.WARNING, LifetimeKind.SHORT, T0.plus(Duration.ofHours(17))));
        assertEquals(List.of(ExpiryTier.WARNING),
                tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofHours(37)), Set.of())));
    }

    @Test
    void aFoundCertificateReportedAfterTheReadBackKeepsItsTier() {
        CertificateInventory inventory = new CertificateInventory();
        NodeFacts.FoundCertificate apiserver = found("/etc/kubernetes/pki/apiserver.crt", "a1",
                T0.minus(Duration.ofDays(360)), T0.plus(Duration.ofDays(5)));
        inventory.restoreAnnounced(new CertExpiring("bettley", "bettley/file:" + apiserver.path(), "file",
                apiserver.notAfter(), ExpiryTier.CRITICAL, LifetimeKind.LONG, T0.minus(Duration.ofHours(1))));
        inventory.recordFound("bettley", List.of(apiserver));
        assertEquals(List.of(), inventory.dueExpiryEvents(T0, Set.of()));
        assertEquals(List.of(ExpiryTier.EMERGENCY), tiers(inventory.dueExpiryEvents(T0.plus(Duration.ofDays(4)), Set.of())));
    }

    private static NodeFacts.FoundCertificate found(String path, String serial, Instant notBefore, Instant notAfter) {
        return new NodeFacts.FoundCertificate(path, "CN=kube-apiserver", "CN=kubernetes", serial, notBefore, notAfter,
                "00", false);
    }

    private static List<ExpiryTier> tiers(List<CertExpiring> events) {
        return events.stream().map(CertExpiring::tier).toList();
    }

    private static CertIssued issued(String serial, Instant at, Duration lifetime) {
        return new CertIssued("r-" + serial, "bettley", "bettley/consul", "consul", CertKind.RENEW, serial, "pem", "chain",
                at.minus(Duration.ofMinutes(1)), at.plus(lifetime), null, null, at);
    }
}
