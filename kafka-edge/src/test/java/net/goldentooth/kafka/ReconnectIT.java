package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

/**
 * Replacing the Kafka clients while records flow (what a node agent does after its client
 * certificate is renewed): nothing is lost, nothing is handled twice, the order is kept.
 */
class ReconnectIT {

    private static final int RECORDS = 600;
    private static final int MAX_RECORDS = 20_000;

    private final String bootstrap = KafkaBroker.shared().bootstrapServers();

    @Test
    void aPublisherReconnectingUnderLoadLosesReordersAndDuplicatesNothing() throws Exception {
        String job = "reconnect-" + UUID.randomUUID();
        AtomicInteger made = new AtomicInteger();
        List<CompletableFuture<RecordMetadata>> sent = Collections.synchronizedList(new ArrayList<>());
        try (EventPublisher publisher = new EventPublisher(() -> {
                made.incrementAndGet();
                return new KafkaProducer<>(KafkaSettings.producer(bootstrap, "reconnect-it"));
            }, "//test", Clock.systemUTC());
             TopicProbe probe = new TopicProbe(bootstrap)) {
            // The sender keeps going until the producer has been replaced twice under it (at least
            // RECORDS, at most MAX_RECORDS), so a slow machine cannot end the load before the swaps.
            AtomicInteger swaps = new AtomicInteger();
            AtomicLong count = new AtomicLong();
            Thread sender = new Thread(() -> {
                long seq = 0;
                while (seq < MAX_RECORDS && (seq < RECORDS || swaps.get() < 2)) {
                    sent.add(publisher.publish(Topics.JOB_PROGRESS, job, progress(job, seq)));
                    if (seq % 20 == 0) {
                        pause(5);
                    }
                    seq++;
                }
                count.set(seq);
            });
            sender.start();
            while (sender.isAlive()) {
                if (publisher.reconnect(Duration.ofSeconds(10))) {
                    swaps.incrementAndGet();
                }
                pause(20);
            }
            sender.join();
            int swapped = swaps.get();
            long records = count.get();
            assertTrue(swapped >= 2, "the producer was replaced while records were sent (" + swapped + " times)");
            assertEquals(1 + swapped, made.get(), "one new producer per reconnect");
            for (CompletableFuture<RecordMetadata> future : sent) {
                future.get(60, TimeUnit.SECONDS);
            }
            assertEquals(0, publisher.inFlight());

            List<Long> seqs = new ArrayList<>();
            for (ConsumerRecord<String, byte[]> r : probe.awaitRecord(Topics.JOB_PROGRESS,
                    r -> job.equals(r.key()) && EventCodec.decode(r.value(), JobProgress.class).seq() == records - 1,
                    Duration.ofSeconds(60))) {
                if (job.equals(r.key())) {
                    seqs.add(EventCodec.decode(r.value(), JobProgress.class).seq());
                }
            }
            assertEquals(LongStream.range(0, records).boxed().toList(), seqs,
                    "every record once, in the order sent, across " + swapped + " producers");
        }
    }

    @Test
    void aConsumerLoopReconnectingReadsOnFromWhereItWas() throws Exception {
        String job = "reconnect-" + UUID.randomUUID();
        List<Long> handled = new CopyOnWriteArrayList<>();
        try (EventPublisher publisher = new EventPublisher(bootstrap, "//test", Clock.systemUTC());
             // Without a group: a new consumer positioned by the loop's start rule would read the
             // topic again from the beginning (EARLIEST); only the old positions avoid duplicates.
             ConsumerLoop<JobProgress> loop = ConsumerLoop.builder(bootstrap, Topics.JOB_PROGRESS, JobProgress.class)
                     .assignAllPartitions()
                     .start(ConsumerLoop.Start.EARLIEST)
                     .pollTimeout(Duration.ofMillis(100))
                     .keyFilter(job::equals)
                     .deadLetters(publisher, (topic, reason) -> { })
                     .handler(d -> handled.add(d.event().seq()))
                     .start()) {
            assertTrue(loop.awaitAssignment(Duration.ofSeconds(60)));
            int reconnects = 0;
            for (long seq = 0; seq < RECORDS; seq++) {
                publisher.publish(Topics.JOB_PROGRESS, job, progress(job, seq));
                if (seq % 150 == 75) {
                    publisher.flush();
                    loop.reconnect().get(30, TimeUnit.SECONDS);
                    reconnects++;
                }
            }
            publisher.flush();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (handled.size() < RECORDS && System.nanoTime() < deadline) {
                pause(50);
            }
            pause(500);
            assertEquals(4, reconnects);
            assertEquals(LongStream.range(0, RECORDS).boxed().toList(), handled,
                    "every record handled once, in order, across " + reconnects + " consumers");
            assertTrue(loop.isRunning());
        }
    }

    private static JobProgress progress(String job, long seq) {
        return new JobProgress(job, "task-1", "bettley", ProgressKind.OUTPUT, seq, Instant.now(), "stdout",
                "line " + seq + "\n", null, null, null, null, null);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
