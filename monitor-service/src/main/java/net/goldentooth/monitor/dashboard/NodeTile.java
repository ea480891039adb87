package net.goldentooth.monitor.dashboard;

import java.time.Instant;
import java.util.List;
import net.goldentooth.monitor.facts.DataError;

/**
 * What the dashboard and {@code GET /nodes} show for a node.
 *
 * @param diskUsedRatio the fullest filesystem's used share
 * @param simulated     true when the node's facts say an agent stands in for it ({@code ./goldentooth up --simulate})
 */
public record NodeTile(String node, String address, String liveness, Boolean probeReachable, Instant lastFactsAt,
                       Double factsAgeSeconds, Double temperature, Double load1, Integer cpus, Double memoryUsedRatio,
                       Double diskUsedRatio, List<String> groups, List<DataError> dataErrors,
                       List<History.Point> history, Boolean simulated) {

    /** A tile of a real node. */
    public NodeTile(String node, String address, String liveness, Boolean probeReachable, Instant lastFactsAt,
                    Double factsAgeSeconds, Double temperature, Double load1, Integer cpus, Double memoryUsedRatio,
                    Double diskUsedRatio, List<String> groups, List<DataError> dataErrors,
                    List<History.Point> history) {
        this(node, address, liveness, probeReachable, lastFactsAt, factsAgeSeconds, temperature, load1, cpus,
                memoryUsedRatio, diskUsedRatio, groups, dataErrors, history, null);
    }
}
