package net.goldentooth.pki.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertLineageView;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.cert.ExpiryTiers;

/**
 * Every lineage the CA has answered for: its newest certificate, the last refusal, and the
 * agent's last renewal report. Rebuilt at start-up from the compacted {@code cert.issued} (which
 * keeps the newest answer per lineage) and kept current from what the CA issues and what agents
 * report. Also decides, per lineage, when a new {@code cert.expiring} is due: once per tier
 * change, highest tier only; what was announced before a restart is read back from
 * {@code cert.expiring} ({@link #restoreAnnounced}), so a restart repeats nothing. Certificates
 * the agents find on disk that this CA did not issue are watched the same way
 * ({@link #recordFound}). Thread-safe; pure (no I/O).
 */
public final class CertificateInventory {

    private static final class Lineage {
        String node;
        String service;
        CertKind kind;
        String serial;
        Instant notBefore;
        Instant notAfter;
        Instant issuedAt;
        String lastRenewal;
        Instant lastRenewalAt;
        String lastRefusal;
        /** The tier last announced for {@link #serial}; reset when a new certificate arrives. */
        ExpiryTier announced;
    }

    /** The service of the lineages of certificates found on the nodes' disks. */
    public static final String FOUND_SERVICE = "file";

    private final Map<String, Lineage> lineages = new LinkedHashMap<>();
    /**
     * The newest {@code cert.expiring} per lineage read back at start-up, not yet matched with its
     * certificate (which may arrive later: found certificates come with the next facts).
     */
    private final Map<String, CertExpiring> announcedBefore = new HashMap<>();

    /** Records an answer of the CA; an older certificate never replaces a newer one. */
    public synchronized void record(CertIssued answer) {
        if (answer.lineage() == null) {
            return;
        }
        Lineage lineage = lineages.computeIfAbsent(answer.lineage(), l -> new Lineage());
        lineage.node = answer.node();
        if (answer.service() != null) {
            lineage.service = answer.service();
        }
        if (!answer.issued()) {
            lineage.lastRefusal = answer.refusal().reason().wire() + ": " + answer.refusal().message();
            return;
        }
        if (lineage.issuedAt != null && answer.at() != null && answer.at().isBefore(lineage.issuedAt)) {
            return;
        }
        if (!answer.serial().equals(lineage.serial)) {
            lineage.announced = null;
        }
        lineage.kind = answer.kind();
        lineage.serial = answer.serial();
        lineage.notBefore = answer.notBefore();
        lineage.notAfter = answer.notAfter();
        lineage.issuedAt = answer.at();
        lineage.lastRefusal = null;
    }

    public synchronized void record(CertRenewed renewed) {
        renewal(renewed.lineage(), renewed.at(), "renewed " + renewed.at());
    }

    public synchronized void record(CertRenewalFailed failed) {
        renewal(failed.lineage(), failed.at(), "failed: " + failed.reason() + " (attempt " + failed.attempt() + ")");
    }

    /** The two topics are read independently (and again at every start): the newest report wins. */
    private void renewal(String name, Instant at, String result) {
        Lineage lineage = lineages.get(name);
        if (lineage == null || (lineage.lastRenewalAt != null && at != null && at.isBefore(lineage.lastRenewalAt))) {
            return;
        }
        lineage.lastRenewal = result;
        lineage.lastRenewalAt = at;
    }

    /** The lineage under which a certificate found on a node's disk is watched. */
    public static String foundLineage(String node, String path) {
        return node + "/" + FOUND_SERVICE + ":" + path;
    }

    /**
     * Replaces what {@code node} last reported finding on its disk (certificates this CA did not
     * issue, such as kubeadm's): each becomes the lineage {@code <node>/file:<path>} of service
     * {@code file} and is watched for expiry like ours. One that is no longer reported stops being
     * watched. A file whose certificate changed (a new serial) is announced afresh.
     */
    public synchronized void recordFound(String node, List<NodeFacts.FoundCertificate> found) {
        String prefix = foundLineage(node, "");
        Set<String> current = new HashSet<>();
        for (NodeFacts.FoundCertificate certificate : found) {
            String name = foundLineage(node, certificate.path());
            current.add(name);
            Lineage lineage = lineages.computeIfAbsent(name, l -> new Lineage());
            if (!certificate.serial().equals(lineage.serial)) {
                lineage.announced = null;
            }
            lineage.node = node;
            lineage.service = FOUND_SERVICE;
            lineage.serial = certificate.serial();
            lineage.notBefore = certificate.notBefore();
            lineage.notAfter = certificate.notAfter();
        }
        lineages.keySet().removeIf(name -> name.startsWith(prefix) && !current.contains(name));
    }

    /**
     * Remembers a {@code cert.expiring} this service published before a restart (replayed from
     * the topic, oldest first): the lineage's certificate with the same notAfter is then not
     * announced again at that tier, only at a higher one.
     */
    public synchronized void restoreAnnounced(CertExpiring earlier) {
        if (earlier.lineage() != null && earlier.notAfter() != null && earlier.tier() != null) {
            announcedBefore.put(earlier.lineage(), earlier);
        }
    }

    /** Serial of the newest certificate issued for {@code lineage}. */
    public synchronized Optional<String> newestSerial(String lineage) {
        Lineage l = lineages.get(lineage);
        return Optional.ofNullable(l == null ? null : l.serial);
    }

    /** Serials of the newest certificates of {@code revoked} lineages, for the CRL. */
    public synchronized List<String> serialsOf(Set<String> revoked) {
        List<String> serials = new ArrayList<>();
        revoked.forEach(name -> {
            Lineage l = lineages.get(name);
            if (l != null && l.serial != null) {
                serials.add(l.serial);
            }
        });
        return serials;
    }

    /**
     * The {@code cert.expiring} events due at {@code now}: for each certificate whose tier differs
     * from the one last announced for it and is not empty. Marks them announced.
     */
    public synchronized List<CertExpiring> dueExpiryEvents(Instant now, Set<String> revoked) {
        List<CertExpiring> due = new ArrayList<>();
        lineages.forEach((name, l) -> {
            if (l.serial == null || revoked.contains(name)) {
                return;
            }
            adoptAnnouncedBefore(name, l);
            Optional<ExpiryTier> tier = ExpiryTiers.tier(l.notBefore, l.notAfter, now);
            if (tier.isPresent() && tier.get() != l.announced) {
                l.announced = tier.get();
                due.add(new CertExpiring(l.node, name, l.service, l.notAfter, tier.get(),
                        ExpiryTiers.kind(l.notBefore, l.notAfter), now));
            }
        });
        return due;
    }

    /**
     * Events {@link #dueExpiryEvents} marked announced that never reached the topic: they are due
     * again at the next scan (at the tier reached by then), instead of being lost.
     */
    public synchronized void unannounce(List<CertExpiring> undelivered) {
        for (CertExpiring expiring : undelivered) {
            Lineage l = lineages.get(expiring.lineage());
            if (l != null && l.announced == expiring.tier() && expiring.notAfter().equals(l.notAfter)) {
                l.announced = null;
            }
        }
    }

    /** A restored announcement counts only for the certificate it was about (same notAfter). */
    private void adoptAnnouncedBefore(String name, Lineage l) {
        CertExpiring before = announcedBefore.remove(name);
        if (before != null && l.announced == null && before.notAfter().equals(l.notAfter)) {
            l.announced = before.tier();
        }
    }

    public synchronized List<CertLineageView> view(Instant now, Set<String> revoked) {
        List<CertLineageView> rows = new ArrayList<>();
        lineages.forEach((name, l) -> {
            Long secondsLeft = l.notAfter == null ? null : Duration.between(now, l.notAfter).toSeconds();
            rows.add(new CertLineageView(name, l.node, l.service, l.kind, l.serial, l.notBefore, l.notAfter,
                    secondsLeft, l.lastRenewal, l.lastRefusal, status(l, name, now, revoked)));
        });
        rows.sort(Comparator.comparing(CertLineageView::node, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(CertLineageView::lineage));
        return rows;
    }

    public synchronized int size() {
        return lineages.size();
    }

    private static String status(Lineage l, String name, Instant now, Set<String> revoked) {
        if (revoked.contains(name)) {
            return "revoked";
        }
        if (l.serial == null) {
            return "refused";
        }
        return ExpiryTiers.status(l.notBefore, l.notAfter, now);
    }
}
