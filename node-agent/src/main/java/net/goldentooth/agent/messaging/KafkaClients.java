package net.goldentooth.agent.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import org.jboss.logging.Logger;

/**
 * Every Kafka client of the agent (its producers and consumer loops), so that all of them can be
 * made again when the agent's Kafka client certificate is renewed: a Kafka client reads its
 * certificate when it is made, and the broker sees a new certificate only on a new connection.
 * Each client drains or repositions itself (see {@link EventPublisher#reconnect} and
 * {@link ConsumerLoop#reconnect}), so nothing is lost and no task is handled twice.
 */
@ApplicationScoped
public class KafkaClients {

    private static final Logger LOG = Logger.getLogger(KafkaClients.class);

    /** One client that can be made again within a bound; it fails with the reason it could not. */
    @FunctionalInterface
    public interface Reconnectable {
        void reconnect(Duration timeout) throws Exception;
    }

    /**
     * A client made again in the background (a consumer loop between two of its polls); all of
     * them are asked first, so their waits overlap.
     */
    @FunctionalInterface
    public interface AsyncReconnectable {
        CompletableFuture<Void> reconnect();
    }

    private final Map<String, Reconnectable> clients = new LinkedHashMap<>();
    private final Map<String, AsyncReconnectable> background = new LinkedHashMap<>();

    public synchronized void add(String name, EventPublisher publisher) {
        clients.put(name, timeout -> {
            if (!publisher.reconnect(timeout)) {
                throw new TimeoutException("records were still unacknowledged after " + timeout.toSeconds()
                        + " s; the old producer is kept");
            }
        });
    }

    public synchronized void add(String name, ConsumerLoop<?> loop) {
        background.put(name, loop::reconnect);
    }

    public synchronized void add(String name, AsyncReconnectable client) {
        background.put(name, client);
    }

    public synchronized void add(String name, Reconnectable client) {
        clients.put(name, client);
    }

    public synchronized void remove(String name) {
        clients.remove(name);
        background.remove(name);
    }

    public synchronized List<String> names() {
        List<String> names = new ArrayList<>(clients.keySet());
        names.addAll(background.keySet());
        return names;
    }

    /**
     * Makes every client again, each within {@code timeout}. A client that could not be made again
     * keeps its old connection (and certificate); the others are not undone.
     *
     * @return what failed, per client; empty when every client reconnected
     */
    public Optional<String> reconnectAll(Duration timeout) {
        Map<String, Reconnectable> now;
        Map<String, AsyncReconnectable> later;
        synchronized (this) {
            now = new LinkedHashMap<>(clients);
            later = new LinkedHashMap<>(background);
        }
        Map<String, CompletableFuture<Void>> asked = new LinkedHashMap<>();
        later.forEach((name, client) -> asked.put(name, client.reconnect()));
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, CompletableFuture<Void>> client : asked.entrySet()) {
            now.put(client.getKey(), bound -> client.getValue().get(bound.toMillis(), TimeUnit.MILLISECONDS));
        }
        for (Map.Entry<String, Reconnectable> client : now.entrySet()) {
            try {
                client.getValue().reconnect(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problems.add(client.getKey() + ": interrupted");
                break;
            } catch (ExecutionException e) {
                problems.add(client.getKey() + ": " + e.getCause());
            } catch (TimeoutException e) {
                problems.add(client.getKey() + ": " + (e.getMessage() == null
                        ? "not reconnected within " + timeout.toSeconds() + " s" : e.getMessage()));
            } catch (Exception e) {
                problems.add(client.getKey() + ": " + e);
            }
        }
        if (problems.isEmpty()) {
            LOG.infof("made the %d Kafka clients again with the renewed certificate (%s)", now.size(),
                    String.join(", ", now.keySet()));
            return Optional.empty();
        }
        return Optional.of("Kafka clients not made again: " + String.join("; ", problems));
    }
}
