package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.Test;

/** commitWhen holds the group's offsets back until the handler's effects are durable. */
class ConsumerLoopCommitGateIT {

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();

    @Test
    void offsetsAreNotCommittedUntilTheGateOpensAndThenCommittedOnAnIdlePoll() throws Exception {
        String job = "gate-" + UUID.randomUUID();
        String group = "gate-it-" + UUID.randomUUID();
        AtomicBoolean durable = new AtomicBoolean(false);
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//test", Clock.systemUTC())) {
            Runnable nothing = () -> { };
            List<Long> first = read(group, job, durable, publisher,
                    () -> publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 0)).join(), nothing, 1);
            assertEquals(List.of(0L), first);
            // The gate stayed shut: the same group reads the record again.
            assertEquals(List.of(0L), read(group, job, durable, publisher, nothing, nothing, 1));
            // The gate opens only after the batch, while the loop idles: the owed commit happens then.
            assertEquals(List.of(0L), read(group, job, durable, publisher, nothing, () -> durable.set(true), 1));
            // A new record proves the loop read; the old one is not seen again.
            assertEquals(List.of(1L), read(group, job, durable, publisher,
                    () -> publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 1)).join(), nothing, 1));
        }
    }

    private List<Long> read(String group, String job, AtomicBoolean durable, EventPublisher publisher,
                            Runnable beforeRead, Runnable afterSeen, int expected) throws Exception {
        List<Long> seen = new CopyOnWriteArrayList<>();
        // What the loop last asked the gate: how many records it had handled then, and the answer.
        AtomicReference<GateCheck> lastCheck = new AtomicReference<>();
        try (ConsumerLoop<JobProgress> loop = ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                .group(group)
                .start(ConsumerLoop.Start.EARLIEST)
                .keyFilter(job::equals)
                .commitWhen(() -> {
                    boolean open = durable.get();
                    lastCheck.set(new GateCheck(seen.size(), open));
                    return open;
                })
                .deadLetters(publisher, (t, r) -> { })
                .handler(d -> seen.add(d.event().seq()))
                .start()) {
            assertTrue(loop.awaitAssignment(Duration.ofSeconds(30)));
            beforeRead.run();
            // A group's first join waits out the broker's initial rebalance delay.
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            afterSeen.run();
            // Wait until the loop has asked the gate as it now stands, after handling every record:
            // a shut gate has then refused the commit, an open one has been told to commit, which
            // the loop does before close() returns. No sleep decides the outcome.
            GateCheck owed = new GateCheck(expected, durable.get());
            deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!owed.equals(lastCheck.get()) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(owed, lastCheck.get(), "the loop consulted the gate after the batch");
        }
        return seen;
    }

    private record GateCheck(int handled, boolean open) { }

    private static JobProgress progress(String job, long seq) {
        return new JobProgress(job, "task-1", "bettley", ProgressKind.ACCEPTED, seq, Instant.now(), null, null, null,
                null, null, null, null);
    }
}
