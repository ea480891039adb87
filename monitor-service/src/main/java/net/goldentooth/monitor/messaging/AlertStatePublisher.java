package net.goldentooth.monitor.messaging;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.kafka.EventPublisher;

/** Publishes alert state changes to the compacted {@code alert.state}, keyed by fingerprint. */
public final class AlertStatePublisher {

    /**
     * Longest label or annotation value put on the topic. Labels come from the input (node names,
     * lineages, paths), and a hostile record can make one megabytes long: the broker refuses a
     * record over its 1 MiB limit, and the refused state would be retried at every evaluation,
     * for ever. The fingerprint, computed from the full labels, still names the alert.
     */
    static final int MAX_VALUE_CHARS = 1024;

    private final EventPublisher publisher;

    public AlertStatePublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends and waits for the broker, so a state is durable before anyone is told about it. */
    public void publish(List<AlertState> changed) {
        publish(changed, null);
    }

    /**
     * As {@link #publish(List)}, waiting at most {@code wait} (null: as long as it takes). A wait
     * that runs out throws: the caller keeps the states and sends them again, while it goes on
     * evaluating and alerting over HTTP (the bus may be the thing that is down).
     */
    public void publish(List<AlertState> changed, java.time.Duration wait) {
        if (changed.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> sent = changed.stream()
                .<CompletableFuture<?>>map(s -> publisher.publish(Topics.ALERT_STATE, s.fingerprint(), bounded(s)))
                .toList();
        CompletableFuture<Void> all = CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
        if (wait == null) {
            publisher.flush();
            all.join();
            return;
        }
        try {
            all.get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("alert.state did not acknowledge " + changed.size() + " states within " + wait);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("alert.state refused a state: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing alert states", e);
        }
    }

    /** {@code state} with every label and annotation value cut to {@link #MAX_VALUE_CHARS}. */
    static AlertState bounded(AlertState state) {
        Map<String, String> labels = bounded(state.labels());
        Map<String, String> annotations = bounded(state.annotations());
        if (labels == state.labels() && annotations == state.annotations()) {
            return state;
        }
        return new AlertState(state.fingerprint(), state.alertName(), state.phase(), state.severity(), labels,
                annotations, state.activeSince(), state.firedAt(), state.resolvedAt(), state.updatedAt(),
                state.inhibited(), state.value());
    }

    private static Map<String, String> bounded(Map<String, String> values) {
        if (values == null || values.values().stream().allMatch(v -> v == null || v.length() <= MAX_VALUE_CHARS)) {
            return values;
        }
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, v == null || v.length() <= MAX_VALUE_CHARS ? v
                : v.substring(0, MAX_VALUE_CHARS) + "…(" + v.length() + " chars)"));
        return out;
    }
}
