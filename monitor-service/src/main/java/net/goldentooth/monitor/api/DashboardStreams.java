package net.goldentooth.monitor.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.goldentooth.events.EventCodec;
import net.goldentooth.monitor.dashboard.Snapshot;

/**
 * The open {@code GET /events} streams. After each evaluation every subscriber gets the whole
 * snapshot as one {@code snapshot} event; the snapshot is built only when someone listens.
 */
@ApplicationScoped
public class DashboardStreams {

    private record Subscriber(SseEventSink sink, Sse sse) {
    }

    private final Set<Subscriber> subscribers = ConcurrentHashMap.newKeySet();

    public void subscribe(SseEventSink sink, Sse sse, Snapshot first) {
        Subscriber subscriber = new Subscriber(sink, sse);
        subscribers.add(subscriber);
        send(subscriber, EventCodec.encodeToString(first));
    }

    public void publish(Supplier<Snapshot> snapshot) {
        subscribers.removeIf(s -> s.sink().isClosed());
        if (subscribers.isEmpty()) {
            return;
        }
        String json = EventCodec.encodeToString(snapshot.get());
        subscribers.forEach(s -> send(s, json));
    }

    private void send(Subscriber s, String json) {
        OutboundSseEvent event = s.sse().newEventBuilder().name("snapshot").mediaType(MediaType.TEXT_PLAIN_TYPE)
                .data(json).build();
        s.sink().send(event).exceptionally(e -> {
            subscribers.remove(s);
            return null;
        });
    }
}
