package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The consumer loop against a real broker: poison is dead-lettered and the loop keeps going. */
class ConsumerLoopIT {

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();

    @Test
    void poisonIsDeadLetteredWithItsReasonAndGoodRecordsAroundItAreHandled() throws Exception {
        String job = "job-" + UUID.randomUUID();
        List<Long> handledSeqs = new CopyOnWriteArrayList<>();
        Map<String, String> reasons = new ConcurrentHashMap<>();
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//test", Clock.systemUTC());
             TopicProbe probe = new TopicProbe(bootstrap);
             ConsumerLoop<JobProgress> loop = ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                     .group("loop-it-" + UUID.randomUUID())
                     .keyFilter(job::equals)
                     .deadLetters(publisher, reasons::put)
                     .handler(d -> {
                         if (d.event().seq() == 2) {
                             throw new IllegalStateException("seq 2 is refused by this handler");
                         }
                         handledSeqs.add(d.event().seq());
                     })
                     .start()) {
            publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 0)).get();
            probe.sendRaw(Topics.JOB_PROGRESS, job, "{\"jobId\": \"trunc");
            publisher.publishRaw(Topics.JOB_PROGRESS, job, "{}".getBytes(StandardCharsets.UTF_8),
                    Map.of(CloudEventHeaders.TYPE, "net.goldentooth.something.else.v1".getBytes(StandardCharsets.UTF_8)))
                    .get();
            publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 1)).get();
            publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 2)).get();
            publisher.publish(Topics.JOB_PROGRESS, job, progress(job, 3)).get();

            List<ConsumerRecord<String, byte[]>> dead = probe.awaitRecord(Topics.deadLetterOf(Topics.JOB_PROGRESS),
                    r -> job.equals(r.key()) && TopicProbe.header(r, CloudEventHeaders.DLQ_ERROR).contains("seq 2"),
                    Duration.ofSeconds(60));
            List<String> errors = dead.stream().filter(r -> job.equals(r.key()))
                    .map(r -> TopicProbe.header(r, CloudEventHeaders.DLQ_ERROR)).toList();
            assertEquals(3, errors.size(), "truncated JSON, foreign type and the refused record: " + errors);
            assertTrue(errors.get(0).contains("not a valid JobProgress"), errors.get(0));
            assertTrue(errors.get(1).contains("unknown event type"), errors.get(1));

            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (handledSeqs.size() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(List.of(0L, 1L, 3L), handledSeqs);
            assertTrue(loop.isRunning(), "the loop must survive poison");
            assertEquals(3, loop.deadLettered());
        }
    }

    /**
     * A stop must not wait out the fetch the broker is holding: an agent, whose consumers wait up to
     * 5 s for records, took 12 s to stop, and a systemd restart as long. The long wait here makes the
     * difference plain without timing anything closely.
     */
    @Test
    void closeLeavesWithoutWaitingForTheFetchInFlight() throws Exception {
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//test", Clock.systemUTC())) {
            ConsumerLoop<JobProgress> loop = ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                    .group("loop-close-it-" + UUID.randomUUID())
                    .start(ConsumerLoop.Start.LATEST)
                    .fetchMaxWait(Duration.ofSeconds(20))
                    .deadLetters(publisher, (topic, reason) -> { })
                    .handler(d -> { })
                    .start();
            assertTrue(loop.awaitAssignment(Duration.ofSeconds(60)));
            Thread.sleep(1_000); // a fetch is now held by the broker, which has nothing new to give
            long start = System.nanoTime();
            loop.close();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertFalse(loop.isRunning());
            assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "close took " + took + ", the fetch wait is 20 s");
        }
    }

    private static JobProgress progress(String job, long seq) {
        return new JobProgress(job, "task-1", "bettley", ProgressKind.OUTPUT, seq, Instant.now(), "stdout",
                "line " + seq + "\n", null, null, null, null, null);
    }
}
