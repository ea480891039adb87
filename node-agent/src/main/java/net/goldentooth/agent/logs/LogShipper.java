package net.goldentooth.agent.logs;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.logs.LogEntry;
import org.jboss.logging.Logger;

/**
 * Where the sources hand their lines: filter, rate limit, send, and tell the source when a line is
 * done so it may save its position past it. What is sent and not yet acknowledged is bounded in
 * bytes; past the bound {@link #ship} blocks the source's thread, so a reader stops reading while
 * the broker is away and the journal (or the file) is the buffer, not the agent's heap.
 */
public final class LogShipper {

    private static final Logger LOG = Logger.getLogger(LogShipper.class);

    /** Sends one encoded line; the future completes when the broker has it. */
    public interface Sink {
        CompletableFuture<?> send(String node, byte[] value);
    }

    /** Called once a line is done: acknowledged, or not to be shipped (filtered, rate-limited). */
    interface Done {
        void done();
    }

    private final Sink sink;
    private final LineFilter filter;
    private final RateLimit rate;
    private final LongSupplier nanos;
    private final long maxInFlightBytes;
    private final LogMetrics metrics;
    private long inFlightBytes;
    private volatile boolean closing;

    LogShipper(Sink sink, LineFilter filter, RateLimit rate, long maxInFlightBytes, LogMetrics metrics,
               LongSupplier nanos) {
        if (maxInFlightBytes <= 0) {
            throw new IllegalArgumentException("goldentooth.agent.logs.max-in-flight-bytes must be positive, was "
                    + maxInFlightBytes);
        }
        this.sink = sink;
        this.filter = filter;
        this.rate = rate;
        this.nanos = nanos;
        this.maxInFlightBytes = maxInFlightBytes;
        this.metrics = metrics;
    }

    /**
     * Ships a line, blocking while too much is unacknowledged. {@code done} runs when the broker has
     * the line, or at once when the line is filtered out or over the node's rate (both counted). A
     * send the producer fails for good (it retries everything retriable for as long as it takes) is
     * logged and counted and done too, so one bad record cannot hold the position back for ever;
     * while the shipper is closing a failed send is not done, and the line is read again after the restart.
     */
    void ship(LogEntry entry, Done done) throws InterruptedException {
        if (!filter.accepts(entry.unit() != null ? entry.unit() : entry.identifier(), entry.priority())) {
            metrics.line("filtered");
            done.done();
            return;
        }
        synchronized (this) {
            if (!rate.tryTake(nanos.getAsLong())) {
                metrics.line("rate-limited");
                done.done();
                return;
            }
        }
        byte[] value = EventCodec.encode(entry);
        long size = value.length;
        synchronized (this) {
            while (inFlightBytes > 0 && inFlightBytes + size > maxInFlightBytes) {
                wait();
            }
            inFlightBytes += size;
        }
        // The callback keeps what its log line needs, not the entry: an unacknowledged line holds little heap.
        String node = entry.node();
        String source = entry.source();
        CompletableFuture<?> sent;
        try {
            sent = sink.send(node, value);
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        sent.whenComplete((ok, error) -> {
            synchronized (this) {
                inFlightBytes -= size;
                notifyAll();
            }
            if (error == null) {
                metrics.line("shipped");
                done.done();
            } else if (!closing) {
                metrics.line("failed");
                LOG.errorf("a line of %s (%s) could not be shipped and is skipped: %s", node, source,
                        error.getMessage());
                done.done();
            }
        });
    }

    synchronized long inFlightBytes() {
        return inFlightBytes;
    }

    /** From now on failed sends are the shutdown's, not the record's: they are not marked done. */
    void closing() {
        closing = true;
    }
}
