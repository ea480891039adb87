package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import net.goldentooth.events.Topics;
import net.goldentooth.events.leadership.LeaderChange;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;

/**
 * Two members of one election on the real broker: one leads, the other waits; a second member
 * joining does not take leadership from a live leader (cooperative-sticky); when the leader leaves,
 * the other leads under a newer generation, and each start of leadership is on the topic.
 * (kill -9 of a leader, with eviction by session timeout, is in the monitor and storage failover ITs.)
 */
class LeaderElectionIT {

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();

    @Test
    void oneLeadsTheOtherTakesOverWhenItLeaves() throws Exception {
        String group = "election-it-" + UUID.randomUUID();
        Instant from = Instant.now().minusSeconds(1);
        List<String> changes = new CopyOnWriteArrayList<>();
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//test", Clock.systemUTC());
             LeaderElection a = LeaderElection.start(bootstrap, group, "a", publisher, leads -> changes.add("a " + leads))) {
            await(a::leads, Duration.ofSeconds(15), "the only member leads");
            int first = a.generation();
            try (LeaderElection b = LeaderElection.start(bootstrap, group, "b", publisher,
                    leads -> changes.add("b " + leads))) {
                // Long enough for b to have joined and the group to have rebalanced around it.
                Thread.sleep(4000);
                assertTrue(a.leads(), "a joining member does not unseat a live leader");
                assertFalse(b.leads());
                a.close();
                assertFalse(a.leads(), "a closed election does not lead");
                await(b::leads, Duration.ofSeconds(15), "the survivor leads");
                assertTrue(b.generation() > first, "the handover is a newer generation: " + b.generation() + " after " + first);
                assertEquals(List.of("a true", "a false", "b true"), changes);
            }
            publisher.flush();
            List<LeaderChange> recorded = new CopyOnWriteArrayList<>();
            ConsumerLoop.replay(bootstrap, Topics.LEADERSHIP, LeaderChange.class, "election-it", from, d -> {
                if (d.event().group().equals(group)) {
                    recorded.add(d.event());
                }
            });
            assertEquals(List.of("a", "b"), recorded.stream().map(LeaderChange::member).toList());
            assertTrue(recorded.get(1).generation() > recorded.get(0).generation());
        }
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeout + ": " + what);
            }
            Thread.sleep(50);
        }
    }
}
