package net.goldentooth.pki.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.PkiClaim;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.pki.claims.ClaimBook;
import net.goldentooth.pki.desk.ClaimArbiter;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * The Kafka edge of {@link ClaimArbiter}: claims are appended to {@code pki.claims} (one
 * partition, so one order for every reader) with {@code acks=all}, and a consumer that reads the
 * whole topic from the beginning folds them into a {@link ClaimBook}. A claimant waits until that
 * fold has passed the offset of its last claim; the book's verdict is then final, and it is the
 * same on every instance.
 */
public final class ClaimLog implements ClaimArbiter, AutoCloseable {

    /** Claims older than this are forgotten (the topic keeps them two days). */
    public static final Duration HORIZON = Duration.ofDays(2);

    private final EventPublisher publisher;
    private final String instance;
    private final Clock clock;
    private final Duration wait;
    private final ClaimBook book = new ClaimBook(HORIZON);
    private final ConsumerLoop<PkiClaim> follower;

    /**
     * @param instance this process's id, unique among live instances (random at each start)
     * @param wait     how long a claimant waits for the broker's acknowledgement and the read-back
     */
    public ClaimLog(String bootstrap, EventPublisher publisher, ConsumerLoop.DeadLetterListener listener,
                    String instance, Clock clock, Duration wait) {
        this.publisher = publisher;
        this.instance = instance;
        this.clock = clock;
        this.wait = wait;
        this.follower = ConsumerLoop.builder(bootstrap, Topics.PKI_CLAIMS, PkiClaim.class)
                .clientId("pki-service-claims")
                .assign(List.of(0))
                .start(ConsumerLoop.Start.EARLIEST)
                .fetchMaxWait(Duration.ofMillis(100))
                .deadLetters(publisher, (topic, reason) -> listener.deadLettered(topic, reason))
                .handler(d -> book.record(d.event(), d.offset(),
                        d.appendedAt() == null ? clock.instant() : d.appendedAt()))
                .start();
    }

    public ConsumerLoop<PkiClaim> follower() {
        return follower;
    }

    public String instance() {
        return instance;
    }

    @Override
    public Set<String> lost(List<Claim> claims) {
        if (claims.isEmpty()) {
            return Set.of();
        }
        Instant now = clock.instant();
        List<PkiClaim> mine = new ArrayList<>();
        List<CompletableFuture<RecordMetadata>> sent = new ArrayList<>();
        for (Claim claim : claims) {
            PkiClaim record = new PkiClaim(claim.key(), claim.requestId(), instance, now);
            mine.add(record);
            // Partition 0 explicitly: the order of one partition is the verdict, whatever the topic's count.
            sent.add(publisher.publish(Topics.PKI_CLAIMS, 0, claim.key(), record));
        }
        publisher.flush();
        long last = -1;
        try {
            CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                    .get(wait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            for (CompletableFuture<RecordMetadata> ack : sent) {
                last = Math.max(last, ack.join().offset());
            }
            book.awaitPosition(last + 1, wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while claiming on " + Topics.PKI_CLAIMS, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("claims on " + Topics.PKI_CLAIMS + " not settled within " + wait
                    + (last < 0 ? " (no acknowledgement from the broker)" : ": " + e.getMessage()), e);
        } catch (java.util.concurrent.ExecutionException | CompletionException e) {
            throw new IllegalStateException("claims on " + Topics.PKI_CLAIMS + " could not be written: "
                    + (e.getCause() == null ? e : e.getCause()), e.getCause() == null ? e : e.getCause());
        }
        Set<String> lost = new LinkedHashSet<>();
        for (PkiClaim claim : mine) {
            if (!book.won(claim)) {
                lost.add(claim.key());
            }
        }
        return lost;
    }

    @Override
    public void close() {
        follower.close();
    }
}
