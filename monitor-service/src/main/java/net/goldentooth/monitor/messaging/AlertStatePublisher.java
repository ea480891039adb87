package net.goldentooth.monitor.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.kafka.EventPublisher;

/** Publishes alert state changes to the compacted {@code alert.state}, keyed by fingerprint. */
public final class AlertStatePublisher {

    private final EventPublisher publisher;

    public AlertStatePublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Sends and waits for the broker, so a state is durable before anyone is told about it. */
    public void publish(List<AlertState> changed) {
        if (changed.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> sent = changed.stream()
                .<CompletableFuture<?>>map(s -> publisher.publish(Topics.ALERT_STATE, s.fingerprint(), s)).toList();
        publisher.flush();
        CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    }
}
