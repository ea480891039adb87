package net.goldentooth.agent.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** Making the agent's Kafka clients again: every client is tried, and what failed is named. */
class KafkaClientsTest {

    @Test
    void everyClientIsMadeAgainAndTheBackgroundOnesAreAllAskedBeforeAnyWait() {
        List<String> order = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        KafkaClients clients = new KafkaClients();
        clients.add("producer", timeout -> order.add("producer"));
        clients.add("consumer-1", () -> {
            order.add("ask consumer-1");
            return first;
        });
        clients.add("consumer-2", () -> {
            order.add("ask consumer-2");
            // Both asked before the producer is made: their waits overlap with it.
            first.complete(null);
            second.complete(null);
            return second;
        });

        assertEquals(Optional.empty(), clients.reconnectAll(Duration.ofSeconds(1)));
        assertEquals(List.of("ask consumer-1", "ask consumer-2", "producer"), order);
        assertEquals(List.of("producer", "consumer-1", "consumer-2"), clients.names());
    }

    @Test
    void aClientThatCannotBeMadeAgainIsNamedAndTheOthersAreStillMade() {
        List<String> made = new CopyOnWriteArrayList<>();
        KafkaClients clients = new KafkaClients();
        clients.add("agent producer", timeout -> {
            throw new TimeoutException("records were still unacknowledged after 1 s; the old producer is kept");
        });
        clients.add("logs producer", timeout -> made.add("logs producer"));
        clients.add("job.tasks consumer", () -> CompletableFuture.failedFuture(
                new IllegalArgumentException("goldentooth.kafka.ssl.key /x cannot be read")));
        clients.add("stuck consumer", CompletableFuture::new);

        Optional<String> problem = clients.reconnectAll(Duration.ofMillis(200));

        assertEquals(List.of("logs producer"), made);
        assertTrue(problem.isPresent());
        assertEquals("Kafka clients not made again: agent producer: records were still unacknowledged after 1 s; "
                + "the old producer is kept; job.tasks consumer: java.lang.IllegalArgumentException: "
                + "goldentooth.kafka.ssl.key /x cannot be read; stuck consumer: not reconnected within 0 s",
                problem.get());
    }
}
