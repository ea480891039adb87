package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.monitor.export.MetricNames;
import net.goldentooth.monitor.services.ServiceFindings;

/**
 * The typed conditions a rule can hold. Each finds the subjects it holds for in the observations,
 * and says how the same condition reads in PromQL over the monitor's exported metrics, so the
 * Prometheus rule file is derived from the same definition and cannot drift.
 */
public sealed interface Condition {

    List<Match> matches(Observations observations, Instant now);

    /** The equivalent PromQL expression over {@link MetricNames}. */
    String promQl();

    /** True for the condition whose firing alert inhibits every other alert on the same node. */
    default boolean marksNodeDown() {
        return false;
    }

    /**
     * True for a condition that stays visible on a node with a firing node-down alert: a wrong
     * clock is a cause of trouble, not a symptom of the node being away (the seed's 8-day clock
     * was hidden behind NodeDown).
     */
    default boolean survivesNodeDown() {
        return false;
    }

    /** Node conditions may be limited to an inventory group ({@code k8s_cluster}); null means every node. */
    private static List<Match> perNode(Observations o, String group, java.util.function.Function<ObservedNode, Double> test) {
        List<Match> out = new ArrayList<>();
        for (ObservedNode node : o.nodes().values()) {
            if (group != null && !node.groups().contains(group)) {
                continue;
            }
            Double value = test.apply(node);
            if (value != null) {
                out.add(new Match(Map.of("node", node.node()), value));
            }
        }
        return out;
    }

    private static String inGroup(String expr, String group) {
        return group == null ? expr
                : "(" + expr + ") and on(node) " + MetricNames.NODE_GROUP + "{group=\"" + group + "\"} == 1";
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    /** The node's facts are older than the liveness window (including the recovery hold-down). */
    record NodeDown() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, null, n -> n.liveness() != null && n.liveness().liveness().down()
                    ? (n.liveness().factsAge() == null ? 0.0 : n.liveness().factsAge().toMillis() / 1000.0) : null);
        }

        @Override
        public String promQl() {
            return MetricNames.NODE_UP + " == 0";
        }

        @Override
        public boolean marksNodeDown() {
            return true;
        }
    }

    /**
     * The node's clock is off bus time by more than {@code threshold}, beyond the measurement's
     * error: measured on its heartbeats, whether or not the node reports any NTP state. The value
     * is the signed offset in seconds (negative: the node is behind).
     */
    record ClockSkew(Duration threshold, String group) implements Condition {
        public ClockSkew {
            if (threshold.isNegative() || threshold.isZero()) {
                throw new IllegalArgumentException("clock-skew threshold must be positive, got " + threshold);
            }
        }

        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> {
                if (n.liveness() == null || n.liveness().clockOffset() == null) {
                    return null;
                }
                Duration offset = n.liveness().clockOffset();
                Duration error = n.liveness().clockOffsetError() == null ? Duration.ZERO : n.liveness().clockOffsetError();
                return offset.abs().minus(error).compareTo(threshold) > 0 ? seconds(offset) : null;
            });
        }

        /**
         * Whole seconds from 100 s on (an annotation then reads "-691200 s", not "-6.91e+05 s");
         * milliseconds below, where they matter.
         */
        private static double seconds(Duration offset) {
            double s = offset.toMillis() / 1000.0;
            return Math.abs(s) >= 100 ? Math.rint(s) : s;
        }

        @Override
        public String promQl() {
            String error = "(" + MetricNames.NODE_BUS_CLOCK_OFFSET_ERROR + " or " + MetricNames.NODE_BUS_CLOCK_OFFSET + " * 0)";
            return inGroup("abs(" + MetricNames.NODE_BUS_CLOCK_OFFSET + ") - on(node) " + error + " > "
                    + number(threshold.toMillis() / 1000.0), group);
        }

        @Override
        public boolean survivesNodeDown() {
            return true;
        }
    }

    /**
     * The monitor's own beats are not acknowledged: the bus is down (or the monitor is cut off from
     * it). One alert for the whole fleet, with no node label; node verdicts hold meanwhile. Value 1.
     */
    record BusDown() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return o.bus() != null && !o.bus().up() ? List.of(new Match(Map.of(), 1.0)) : List.of();
        }

        @Override
        public String promQl() {
            return MetricNames.BUS_UP + " == 0";
        }
    }

    /** A number from the facts compared with a threshold. */
    record Metric(NodeMetric metric, Comparison comparison, double threshold, String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> {
                Double v = metric.read(n.facts());
                return v != null && comparison.holds(v, threshold) ? v : null;
            });
        }

        @Override
        public String promQl() {
            return inGroup(metric.exportedAs() + " " + comparison.symbol() + " " + number(threshold), group);
        }
    }

    /** A filesystem's used share, per mount point. */
    record FilesystemUsed(Comparison comparison, double threshold, String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ObservedNode n : o.nodes().values()) {
                if ((group != null && !n.groups().contains(group)) || n.facts() == null || n.facts().filesystems() == null) {
                    continue;
                }
                for (NodeFacts.Filesystem fs : n.facts().filesystems().value()) {
                    if (fs.totalBytes() <= 0) {
                        continue;
                    }
                    double used = 1.0 - (double) fs.availableBytes() / fs.totalBytes();
                    if (comparison.holds(used, threshold)) {
                        out.add(new Match(Map.of("node", n.node(), "mountpoint", fs.mountPoint()), used));
                    }
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.NODE_FILESYSTEM_USED_RATIO + " " + comparison.symbol() + " " + number(threshold), group);
        }
    }

    /** Swap configured (Kubernetes nodes must run without it). */
    record SwapEnabled(String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> n.facts() != null && n.facts().memory() != null
                    && n.facts().memory().value().swapTotalBytes() > 0
                    ? (double) n.facts().memory().value().swapTotalBytes() : null);
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.NODE_SWAP_TOTAL_BYTES + " > 0", group);
        }
    }

    /** The agent reports the clock as not synchronised. */
    record NtpUnsynced(String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> n.facts() != null && n.facts().timeSync() != null
                    && Boolean.FALSE.equals(n.facts().timeSync().value().synced()) ? 0.0 : null);
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.NODE_NTP_SYNCED + " == 0", group);
        }

        @Override
        public boolean survivesNodeDown() {
            return true;
        }
    }

    /** The default route leaves through another NIC than the primary one (the seed's wlan0 mix-up). */
    record DefaultRouteNotPrimary(String primaryNic, String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> {
                if (n.facts() == null || n.facts().network() == null) {
                    return null;
                }
                String nic = n.facts().network().value().defaultRouteNic();
                return nic != null && !nic.equals(primaryNic) ? 1.0 : null;
            });
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.NODE_DEFAULT_ROUTE_INFO + "{nic!=\"" + primaryNic + "\"} == 1", group);
        }
    }

    /** The firmware is throttling now (not merely "has throttled since boot"). */
    record Throttled(String group) implements Condition {
        /** The flags that mean "now"; their "-occurred" variants only mean "since boot". */
        public static final Set<String> CURRENT = Set.of("under-voltage", "arm-frequency-capped", "throttled",
                "soft-temperature-limit");

        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> n.facts() != null && n.facts().thermal() != null
                    && n.facts().thermal().value().throttleFlags() != null
                    && n.facts().thermal().value().throttleFlags().stream().anyMatch(CURRENT::contains) ? 1.0 : null);
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.NODE_THROTTLED + " == 1", group);
        }
    }

    /** pki-service put the lineage's newest certificate in this expiry tier. */
    record CertExpiring(String tier, int rank) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            // A tier reported for a certificate that expired over a day ago is history, not an alert.
            return perCert(o, now, c -> tier.equals(c.tier()) && c.notAfter() != null
                    && now.isBefore(c.notAfter().plusSeconds(86400)));
        }

        @Override
        public String promQl() {
            return MetricNames.CERT_EXPIRY_TIER + " == " + rank;
        }
    }

    /** Less than {@code remaining} (and less than {@code lifetimeFraction} of the lifetime) is left. */
    record CertRemainingBelow(Duration remaining, double lifetimeFraction) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perCert(o, now, c -> {
                if (c.lifetime() == null) {
                    return false;
                }
                Duration left = Duration.between(now, c.notAfter());
                double fractionLeft = (double) left.toMillis() / Math.max(1, c.lifetime().toMillis());
                return left.compareTo(remaining) < 0 && fractionLeft < lifetimeFraction;
            });
        }

        @Override
        public String promQl() {
            String left = "(" + MetricNames.CERT_NOT_AFTER + " - time())";
            return left + " < " + remaining.toSeconds() + " and " + left + " < " + number(lifetimeFraction)
                    + " * " + MetricNames.CERT_LIFETIME;
        }
    }

    /**
     * No successful renewal by the time a third of the lifetime remains: agents renew at two
     * thirds, so by then at least one renewal should have landed (the seed's invisible timer failure).
     */
    record CertRenewalOverdue() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perCert(o, now, c -> c.lifetime() != null
                    && !now.isBefore(c.notAfter().minus(c.lifetime().dividedBy(3))));
        }

        @Override
        public String promQl() {
            return "(" + MetricNames.CERT_NOT_AFTER + " - time()) < " + MetricNames.CERT_LIFETIME + " / 3";
        }
    }

    /** The lineage's newest renewal attempt failed and none has succeeded since. */
    record CertRenewalFailed() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perCert(o, now, c -> c.failingSince() != null);
        }

        @Override
        public String promQl() {
            return MetricNames.CERT_RENEWAL_FAILING + " == 1";
        }
    }

    /** A probe's newest answer was a failure; null filters match every kind or target. */
    record ProbeFailed(String kind, String target) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ProbeResult p : o.probes()) {
                if (!p.success() && (kind == null || kind.equals(p.kind())) && (target == null || target.equals(p.target()))) {
                    out.add(new Match(Map.of("target", p.target(), "kind", p.kind(), "instance", p.address()), 0.0));
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            List<String> selectors = new ArrayList<>();
            if (kind != null) {
                selectors.add("kind=\"" + kind + "\"");
            }
            if (target != null) {
                selectors.add("target=\"" + target + "\"");
            }
            return MetricNames.PROBE_SUCCESS + (selectors.isEmpty() ? "" : "{" + String.join(",", selectors) + "}") + " == 0";
        }
    }

    /**
     * storage-service found the target's newest snapshot missing on the source: the pair is stopped
     * (nothing is sent or destroyed) until someone repairs the target.
     */
    record ReplicationDiverged() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ReplicationStatus r : o.replication()) {
                if (r.state() == ReplicationState.DIVERGED) {
                    out.add(new Match(replicationSubject(r), (double) r.snapshotsBehind()));
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return MetricNames.REPLICATION_DIVERGED + " == 1";
        }
    }

    /**
     * The target's newest common snapshot is at least {@code lag} older than the source's newest
     * (creation times, as storage-service reports them): snapshots are taken but not arriving.
     */
    record ReplicationLagging(Duration lag) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ReplicationStatus r : o.replication()) {
                if (r.state() != ReplicationState.DIVERGED && r.lagSeconds() >= lag.toSeconds()) {
                    out.add(new Match(replicationSubject(r), (double) r.lagSeconds()));
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return MetricNames.REPLICATION_LAG + " >= " + lag.toSeconds() + " unless " + MetricNames.REPLICATION_DIVERGED
                    + " == 1";
        }
    }

    /** storage-service put a node's filesystem at this capacity level (80 % warning, 90 % critical by default). */
    record CapacityLevelReached(CapacityLevel level) implements Condition {
        public CapacityLevelReached {
            if (level == CapacityLevel.OK) {
                throw new IllegalArgumentException("level must be warning or critical");
            }
        }

        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (CapacityStatus c : o.capacity()) {
                if (c.level() == level) {
                    out.add(new Match(Map.of("node", c.node(), "mountpoint", c.mountPoint()), c.usedPercent()));
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return MetricNames.STORAGE_CAPACITY_LEVEL + " == " + number(gaugeValue(level));
        }

        /** The level as the exported gauge carries it: 0 ok, 1 warning, 2 critical. */
        public static double gaugeValue(CapacityLevel level) {
            return switch (level) {
                case OK -> 0;
                case WARNING -> 1;
                case CRITICAL -> 2;
            };
        }
    }

    /**
     * A node's service check (slurmd, haproxy, consul, vault, nomad, kubelet, ports) in {@code state}
     * or, with {@code orWorse}, in a worse one ({@code warning} < {@code unknown} < {@code critical});
     * null kind: any check.
     */
    record ServiceState(String kind, ServiceCheck.State state, boolean orWorse, String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ObservedNode n : o.nodes().values()) {
                if (group != null && !n.groups().contains(group)) {
                    continue;
                }
                for (ServiceCheck c : ServiceFindings.checks(n.facts())) {
                    int rank = ServiceFindings.rank(c.state());
                    int wanted = ServiceFindings.rank(state);
                    if ((kind == null || kind.equals(c.kind())) && (orWorse ? rank >= wanted : rank == wanted)) {
                        out.add(new Match(Map.of("node", n.node(), "service", c.name()),
                                (double) ServiceFindings.rank(c.state())));
                    }
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.SERVICE_CHECK_STATE + (kind == null ? "" : "{kind=\"" + kind + "\"}")
                    + (orWorse ? " >= " : " == ") + ServiceFindings.rank(state), group);
        }
    }

    /**
     * slurm.conf's RealMemory for the node is above the memory it has: slurmctld marks it
     * {@code inval} when slurmd registers (the seed's 4096 MB on Pis with ~3797 MB). The value is
     * the excess in MiB.
     */
    record SlurmMemoryAboveMeasured(String group) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            return perNode(o, group, n -> {
                Long excess = ServiceFindings.slurmMemoryExcessBytes(n.facts());
                return excess != null && excess > 0 ? excess / 1048576.0 : null;
            });
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.SLURM_MEMORY_EXCESS + " > 0", group);
        }
    }

    /** An HAProxy backend with servers and none of them up ("no server available"); per backend. */
    record HaproxyBackendDown() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ObservedNode n : o.nodes().values()) {
                for (ServiceFindings.Backend b : ServiceFindings.haproxyBackends(n.facts())) {
                    if (b.servers() > 0 && b.serversUp() == 0) {
                        out.add(new Match(Map.of("node", n.node(), "backend", b.name()), (double) b.servers()));
                    }
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return MetricNames.HAPROXY_BACKEND_SERVERS_UP + " == 0 and " + MetricNames.HAPROXY_BACKEND_SERVERS + " > 0";
        }
    }

    /**
     * A Consul server's last-seen mark is at least {@code age} old, measured at evaluation time, so
     * it keeps ageing while the node is down and its last facts are all there is. Consul refuses to
     * rejoin past {@code server_rejoin_age_max} (168 h); set {@code age} well below it. The subject
     * is labelled {@code consul_server}, not {@code node}: a down node is exactly when this clock
     * runs, and node-down inhibits the alerts labelled with its node.
     */
    record ConsulRejoinAge(Duration age) implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ObservedNode n : o.nodes().values()) {
                Long lastSeen = ServiceFindings.consulLastSeen(n.facts());
                if (lastSeen != null && now.getEpochSecond() - lastSeen >= age.toSeconds()) {
                    out.add(new Match(Map.of("consul_server", n.node()), (now.getEpochSecond() - lastSeen) / 3600.0));
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return "time() - " + MetricNames.CONSUL_LAST_SEEN + " >= " + age.toSeconds();
        }
    }

    /** A port a service of the node needs is held by another process (the seed's node_exporter on :9100). */
    record PortHeld() implements Condition {
        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            for (ObservedNode n : o.nodes().values()) {
                for (ServiceFindings.Port p : ServiceFindings.ports(n.facts())) {
                    if (p.heldByOther()) {
                        out.add(new Match(Map.of("node", n.node(), "port", Integer.toString(p.port()),
                                "holder", p.verdict().substring("held by ".length())), (double) p.port()));
                    }
                }
            }
            return out;
        }

        @Override
        public String promQl() {
            return MetricNames.PORT_HELD_BY_OTHER + " == 1";
        }
    }

    private static Map<String, String> replicationSubject(ReplicationStatus r) {
        return Map.of("dataset", r.dataset(), "target", r.target(), "source", r.source() == null ? "" : r.source());
    }

    /** Certificate conditions match per lineage; the value is the days left. */
    private static List<Match> perCert(Observations o, Instant now, java.util.function.Predicate<ObservedCert> test) {
        List<Match> out = new ArrayList<>();
        for (ObservedCert c : o.certs().values()) {
            if (test.test(c)) {
                double daysLeft = c.notAfter() == null ? Double.NaN
                        : Duration.between(now, c.notAfter()).toSeconds() / 86400.0;
                out.add(new Match(Map.of("lineage", c.lineage(), "node", c.node() == null ? "" : c.node()), daysLeft));
            }
        }
        return out;
    }

    /**
     * Lines of {@code node.logs} whose message matches {@code regex} (found anywhere in it), of the
     * given units (a unit with or without {@code .service}, or the syslog identifier of a line without
     * a unit, e.g. {@code kernel}; empty: every unit) and at least as important as {@code maxPriority},
     * arriving at least {@code minCount} times within {@code window} on a node. Labels: node; value: the count.
     */
    record LogMatch(String regex, List<String> units, int maxPriority, int minCount, java.time.Duration window,
                    String group) implements Condition, LogCondition {

        private static final Map<String, java.util.regex.Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

        public LogMatch {
            units = List.copyOf(units);
            java.util.regex.Pattern.compile(regex);
            if (minCount < 1) {
                throw new IllegalArgumentException("count must be at least 1, was " + minCount);
            }
            if (window.isZero() || window.isNegative()) {
                throw new IllegalArgumentException("window must be positive, was " + window);
            }
            if (maxPriority < 0 || maxPriority > 7) {
                throw new IllegalArgumentException("priority must be 0-7, was " + maxPriority);
            }
        }

        /** Whether a line counts for this condition (its node's group is checked at evaluation). */
        public boolean accepts(net.goldentooth.events.logs.LogEntry line) {
            if (line.priority() > maxPriority || line.message() == null) {
                return false;
            }
            if (!units.isEmpty()) {
                String unit = line.unit() != null ? line.unit() : line.identifier();
                if (unit == null || units.stream().noneMatch(u -> unitName(u).equals(unitName(unit)))) {
                    return false;
                }
            }
            return COMPILED.computeIfAbsent(regex, java.util.regex.Pattern::compile).matcher(line.message()).find();
        }

        private static String unitName(String unit) {
            return unit.endsWith(".service") ? unit.substring(0, unit.length() - ".service".length()) : unit;
        }

        /** A short stable name of this condition: the {@code match} label of its exported count. */
        public String id() {
            return Fingerprint.of(Map.of("regex", regex, "units", String.join(",", units),
                    "priority", Integer.toString(maxPriority), "window", window.toString())).substring(0, 12);
        }

        @Override
        public List<Match> matches(Observations o, Instant now) {
            List<Match> out = new ArrayList<>();
            o.logMatches().getOrDefault(this, Map.of()).forEach((node, count) -> {
                ObservedNode observed = o.nodes().get(node);
                boolean inGroup = group == null || (observed != null && observed.groups().contains(group));
                if (inGroup && count >= minCount) {
                    out.add(new Match(Map.of("node", node), (double) count));
                }
            });
            return out;
        }

        @Override
        public String promQl() {
            return inGroup(MetricNames.LOG_MATCHES + "{match=\"" + id() + "\"} >= " + minCount, group);
        }
    }
}
