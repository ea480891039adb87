package net.goldentooth.monitor.loki;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import org.jboss.logging.Logger;

/**
 * Forwards {@code node.logs} to Loki's push API, a consumer like the others: group
 * {@code monitor-loki-sink} (several monitors split the partitions), undecodable records
 * dead-lettered to {@code node.logs.dlq}, and a batch's offsets committed only after Loki
 * acknowledged every push of it. When Loki cannot be reached or answers 5xx or 429 the batch
 * fails, the loop reads again from the last commit and tries again a second later, so a Loki
 * restart loses nothing (it may receive a batch twice; Loki drops a line it already has with the
 * same time and text). A 4xx other than 429 is Loki refusing the lines themselves (too old, too
 * long for its limits): retrying cannot help, so it is logged with Loki's reason, counted in
 * {@link #refused()} and the batch committed.
 */
public final class LokiSink implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LokiSink.class);
    public static final String GROUP = "monitor-loki-sink";
    /** Line text per push request: far under Loki's default request limits. */
    static final int MAX_PUSH_BYTES = 1 << 20;

    private final URI push;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final List<LogEntry> batch = new ArrayList<>();
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final ConsumerLoop<LogEntry> loop;

    /** @param group the consumer group ({@link #GROUP}; tests use one of their own) */
    public LokiSink(String bootstrapServers, URI loki, String group, EventPublisher deadLetters,
                    ConsumerLoop.DeadLetterListener listener) {
        this.push = loki.resolve("/loki/api/v1/push");
        this.loop = ConsumerLoop.builder(bootstrapServers, Topics.NODE_LOGS, LogEntry.class)
                .group(group)
                .clientId(group)
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(deadLetters, listener)
                .handler(d -> batch.add(d.event()))
                .afterBatch(this::flush)
                .start();
    }

    /** Pushes what the batch collected; throws (so the loop rewinds) when Loki did not take it. */
    private void flush() {
        if (batch.isEmpty()) {
            return;
        }
        try {
            for (byte[] body : LokiPush.bodies(batch, MAX_PUSH_BYTES)) {
                send(body);
            }
            pushed.addAndGet(batch.size());
        } finally {
            batch.clear();
        }
    }

    private void send(byte[] body) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(push).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Loki at " + push + " cannot be reached: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing to Loki", e);
        }
        int status = response.statusCode();
        if (status / 100 == 2) {
            return;
        }
        if (status / 100 == 5 || status == 429) {
            throw new IllegalStateException("Loki answered HTTP " + status + ": " + response.body().strip());
        }
        refused.incrementAndGet();
        LOG.errorf("Loki refused a push (HTTP %d), not retried: %s", status, response.body().strip());
    }

    /** Lines pushed and acknowledged. */
    public long pushed() {
        return pushed.get();
    }

    /** Pushes Loki refused for good (4xx other than 429). */
    public long refused() {
        return refused.get();
    }

    public boolean isRunning() {
        return loop.isRunning();
    }

    @Override
    public void close() {
        loop.close();
    }
}
