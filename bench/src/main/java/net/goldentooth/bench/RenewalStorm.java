package net.goldentooth.bench;

import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import net.goldentooth.agent.certs.renewal.RenewalSchedule;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRequest;

/**
 * {@code bench/pki-issuance --storm N}: N lineages enrolled together fall due together, the
 * seed's fleet after an outage or a mass roll-out. Each renewal is sent at the moment the agent's
 * own {@link RenewalSchedule} puts it (2/3 of the lifetime plus the lineage's jitter in
 * [0, lifetime/20)) after its certificate's notBefore, as if every certificate had been issued
 * at the same instant, and shifted so the first is sent at once rather than after 2/3 of the
 * lifetime: the storm is the jitter window. Then, for comparison, the same N renewals without
 * jitter, all sent at once.
 */
final class RenewalStorm {

    static void run(PkiIssuanceBench.Wire wire, List<CertRequest> enrolments, List<KeyPair> keys, List<String> csrs,
                    Duration lifetime) throws Exception {
        int n = enrolments.size();
        System.out.printf(Locale.ROOT, "enrolling %d lineages of %s...%n", n, lifetime);
        PkiIssuanceBench.Phase enrolled = wire.run(enrolments);
        List<CertIssued> current = new ArrayList<>();
        for (CertRequest enrolment : enrolments) {
            CertIssued answer = wire.answers.get(enrolment.requestId());
            if (answer == null || !answer.issued()) {
                throw new IllegalStateException("enrolment of " + enrolment.lineage() + " refused: " + answer);
            }
            current.add(answer);
        }
        // The agent seeds its jitter from its node name (goldentooth.agent.renewal.jitter-seed unset).
        RenewalSchedule schedule = new RenewalSchedule(PkiIssuanceBench.NODE.hashCode(), Duration.ofSeconds(5),
                Duration.ofMinutes(10), Duration.ofSeconds(60));
        List<Duration> due = new ArrayList<>();
        for (CertIssued issued : current) {
            due.add(Duration.between(issued.notBefore(),
                    schedule.renewAt(issued.lineage(), issued.notBefore(), issued.notAfter())));
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, Comparator.comparing(due::get));
        Duration first = due.get(order[0]);
        List<CertRequest> jittered = new ArrayList<>();
        long[] offsets = new long[n];
        for (int k = 0; k < n; k++) {
            int i = order[k];
            jittered.add(PkiIssuanceBench.renewalOf(current.get(i), keys.get(i), csrs.get(i), lifetime.toSeconds()));
            offsets[k] = due.get(i).minus(first).toNanos();
        }
        double[] idle = wire.idle(Duration.ofSeconds(10));
        double window = offsets[n - 1] / 1e9;
        System.out.printf(Locale.ROOT, "renewing with the agent's jitter (window %.1f s)...%n", window);
        PkiIssuanceBench.Phase spread = wire.run(jittered, offsets);

        List<CertRequest> burst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            CertIssued renewed = wire.answers.get(jittered.get(indexOf(order, i)).requestId());
            burst.add(PkiIssuanceBench.renewalOf(renewed, keys.get(i), csrs.get(i), lifetime.toSeconds()));
        }
        System.out.printf(Locale.ROOT, "renewing all at once, without jitter...%n");
        PkiIssuanceBench.Phase together = wire.run(burst);

        System.out.printf(Locale.ROOT, "%n%d lineages of %s due together, CSR on cert.requested -> cert.issued:%n",
                n, lifetime);
        System.out.printf(Locale.ROOT, "  %-34s %7.1f s  (%d issued, %d refused, %.0f/s)%n", "enrolment of all",
                enrolled.seconds(), enrolled.issued(), enrolled.refused(), enrolled.rate());
        System.out.printf(Locale.ROOT, "  %-34s %7.1f s  (%d issued, %d refused; jitter window %.1f s, "
                        + "slowest answer %.2f s after its request)%n", "renewal with the agent's jitter",
                spread.seconds(), spread.issued(), spread.refused(), window, spread.maxLatencySeconds());
        System.out.printf(Locale.ROOT, "  %-34s %7.1f s  (%d issued, %d refused, %.0f/s; slowest answer %.2f s)%n",
                "renewal all at once (no jitter)", together.seconds(), together.issued(), together.refused(),
                together.rate(), together.maxLatencySeconds());
        System.out.printf(Locale.ROOT, "  %-34s pki-service %.1f, broker %.1f, this bench %.1f (jitter); "
                        + "%.1f, %.1f, %.1f (at once)%n", "CPU-seconds", spread.cpuSeconds(), spread.brokerCpuSeconds(),
                spread.clientCpuSeconds(), together.cpuSeconds(), together.brokerCpuSeconds(), together.clientCpuSeconds());
        System.out.printf(Locale.ROOT, "  %-34s pki-service %.2f, broker %.2f, this bench %.2f CPU-seconds per second "
                + "(10 s with nothing sent; times the window: the floor of the jitter row)%n", "idle", idle[0], idle[1],
                idle[2]);
        System.out.printf(Locale.ROOT, "  cores available: %d, load average %s%n", Runtime.getRuntime().availableProcessors(),
                java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
    }

    private static int indexOf(Integer[] order, int lineage) {
        for (int k = 0; k < order.length; k++) {
            if (order[k] == lineage) {
                return k;
            }
        }
        throw new IllegalArgumentException("no lineage " + lineage);
    }

    private RenewalStorm() {
    }
}
