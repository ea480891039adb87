package net.goldentooth.monitor.dashboard;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import net.goldentooth.events.facts.NodeFacts;

/**
 * One node's temperature, load, CPU, memory, network and disk samples over a sliding window (a ring
 * that drops what is too old). CPU and network come from the kernel's cumulative counters in the
 * facts, differenced against the previous facts of the node.
 */
public final class History {

    /**
     * @param temperature                  null where the facts had none (likewise every figure)
     * @param memoryUsedRatio              share of memory not available
     * @param diskUsedRatio                the fullest filesystem's used share
     * @param cpuBusyRatio                 share of all CPU time that was busy since the previous counters
     * @param networkReceiveBytesPerSecond bytes received per second since the previous counters (all
     *                                     interfaces but loopback); null for the first, after a reboot
     *                                     (counters went down) and from agents without counters
     */
    public record Point(Instant at, Double temperature, Double load1, Double memoryUsedRatio, Double diskUsedRatio,
                        Double cpuBusyRatio, Double networkReceiveBytesPerSecond,
                        Double networkTransmitBytesPerSecond) {

        /** A point without CPU and network figures. */
        public Point(Instant at, Double temperature, Double load1, Double memoryUsedRatio, Double diskUsedRatio) {
            this(at, temperature, load1, memoryUsedRatio, diskUsedRatio, null, null, null);
        }
    }

    private final Duration window;
    private final ArrayDeque<Point> points = new ArrayDeque<>();
    private NodeFacts.Counters lastCounters;
    private Instant lastCountersAt;

    public History(Duration window) {
        this.window = window;
    }

    public synchronized void add(Point point) {
        if (!points.isEmpty() && !point.at().isAfter(points.peekLast().at())) {
            return;
        }
        points.addLast(point);
        Instant oldest = point.at().minus(window);
        while (!points.isEmpty() && points.peekFirst().at().isBefore(oldest)) {
            points.removeFirst();
        }
    }

    /**
     * Adds {@code point} with CPU and network rates from {@code counters} (null, stale or valueless:
     * none) against the previous counters added. A stale section repeats old counters, so it is not
     * differenced and does not replace the previous ones.
     */
    public synchronized void add(Point point, NodeFacts.Section<NodeFacts.Counters> counters) {
        if (!points.isEmpty() && !point.at().isAfter(points.peekLast().at())) {
            return;
        }
        if (counters == null || counters.stale() || counters.value() == null) {
            add(point);
            return;
        }
        NodeFacts.Counters now = counters.value();
        Instant at = counters.collectedAt() == null ? point.at() : counters.collectedAt();
        Double cpu = null;
        Double received = null;
        Double sent = null;
        if (lastCounters != null && at.isAfter(lastCountersAt)) {
            double seconds = Duration.between(lastCountersAt, at).toNanos() / 1e9;
            double busy = now.cpuBusySeconds() - lastCounters.cpuBusySeconds();
            double all = now.cpuTotalSeconds() - lastCounters.cpuTotalSeconds();
            if (all > 0 && busy >= 0 && busy <= all) {
                cpu = busy / all;
            }
            received = rate(now.networkReceiveBytes() - lastCounters.networkReceiveBytes(), seconds);
            sent = rate(now.networkTransmitBytes() - lastCounters.networkTransmitBytes(), seconds);
        }
        if (lastCounters == null || at.isAfter(lastCountersAt)) {
            lastCounters = now;
            lastCountersAt = at;
        }
        add(new Point(point.at(), point.temperature(), point.load1(), point.memoryUsedRatio(), point.diskUsedRatio(),
                cpu, received, sent));
    }

    /** A decrease is a reset (a reboot, an interface gone): no rate rather than a negative one. */
    private static Double rate(long delta, double seconds) {
        return delta < 0 ? null : delta / seconds;
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
