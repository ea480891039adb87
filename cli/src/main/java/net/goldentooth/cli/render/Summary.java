package net.goldentooth.cli.render;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/** The one-line summary written to stderr: {@code job 42: 12 succeeded, 1 failed (dalt) in 2.1s}. */
public final class Summary {

    private static final int NAMED_NODES = 5;

    private Summary() {
    }

    public static String line(JobStatus status) {
        Map<TargetState, TreeSet<String>> byState = new EnumMap<>(TargetState.class);
        GroupedRenderer.sortedTargets(status).forEach((node, target) ->
                byState.computeIfAbsent(stateOf(target), s -> new TreeSet<>()).add(node));
        List<String> parts = new ArrayList<>();
        // Successes first, then the terminal failures in the order users care about, then unfinished.
        for (TargetState state : order()) {
            TreeSet<String> nodes = byState.get(state);
            if (nodes == null) {
                continue;
            }
            String part = nodes.size() + " " + state.wire();
            if (state != TargetState.SUCCEEDED) {
                part += " (" + names(nodes) + ")";
            }
            parts.add(part);
        }
        String counts = parts.isEmpty() ? "no targets" : String.join(", ", parts);
        String took = "";
        if (status.createdAt() != null && status.updatedAt() != null && status.state().terminal()) {
            took = " in " + seconds(Duration.between(status.createdAt(), status.updatedAt()));
        }
        return "job " + status.jobId() + " " + status.state().wire() + ": " + counts + took;
    }

    private static TargetState stateOf(TargetStatus target) {
        return target.state() == null ? TargetState.PENDING : target.state();
    }

    private static List<TargetState> order() {
        return List.of(TargetState.SUCCEEDED, TargetState.FAILED, TargetState.REJECTED, TargetState.TIMED_OUT,
                TargetState.UNREACHABLE, TargetState.RUNNING, TargetState.ACCEPTED, TargetState.DISPATCHED,
                TargetState.PENDING);
    }

    private static String names(TreeSet<String> nodes) {
        List<String> shown = new ArrayList<>(nodes).subList(0, Math.min(NAMED_NODES, nodes.size()));
        String more = nodes.size() > NAMED_NODES ? ", +" + (nodes.size() - NAMED_NODES) + " more" : "";
        return String.join(", ", shown) + more;
    }

    private static String seconds(Duration duration) {
        long millis = Math.max(0, duration.toMillis());
        return String.format(java.util.Locale.ROOT, "%.1fs", millis / 1000.0);
    }
}
