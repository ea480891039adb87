package net.goldentooth.monitor.dashboard;

import java.time.Instant;
import java.util.List;
import net.goldentooth.monitor.facts.DataError;

/**
 * What the dashboard and {@code GET /nodes} show for a node.
 *
 * @param diskUsedRatio the fullest filesystem's used share
 */
public record NodeTile(String node, String address, String liveness, Boolean probeReachable, Instant lastFactsAt,
                       Double factsAgeSeconds, Double temperature, Double load1, Integer cpus, Double memoryUsedRatio,
                       Double diskUsedRatio, List<String> groups, List<DataError> dataErrors,
                       List<History.Point> history) {
}
