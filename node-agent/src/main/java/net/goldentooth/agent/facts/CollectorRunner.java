package net.goldentooth.agent.facts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import net.goldentooth.events.facts.NodeFacts.Section;

/**
 * Runs each facts collector on its own thread with its own deadline. A collector that does not
 * finish in time (the seed's NFS mounts: a dead server hangs {@code statfs} in the kernel, and no
 * interrupt gets it back) leaves its section stale with the last good value, and the others are
 * reported fresh. A collector still hung from an earlier round is not started again, so a dead
 * mount costs one parked thread, not one more every round. A section registered to run every n-th
 * round only (one that spawns a process, on a Pi the dearest part of a round) repeats its last
 * result in the rounds between.
 */
public final class CollectorRunner implements AutoCloseable {

    /** Collects one section; anything thrown makes the section stale with the exception's message. */
    @FunctionalInterface
    public interface Collector<T> {
        T collect() throws Exception;
    }

    /** Names a section and the type of its value. */
    public record SectionKey<T>(String name) {
    }

    /** The sections of one round. */
    public static final class Round {
        private final Map<String, Section<?>> sections;

        private Round(Map<String, Section<?>> sections) {
            this.sections = sections;
        }

        @SuppressWarnings("unchecked")
        public <T> Section<T> get(SectionKey<T> key) {
            return (Section<T>) sections.get(key.name());
        }
    }

    private static final class Slot<T> {
        final Collector<T> collector;
        final int everyRounds;
        Section<T> last;
        T lastGood;
        Instant lastGoodAt;
        Future<T> inFlight;
        Instant inFlightSince;

        Slot(Collector<T> collector, int everyRounds) {
            this.collector = collector;
            this.everyRounds = everyRounds;
        }
    }

    private final Map<String, Slot<?>> slots = new LinkedHashMap<>();
    private final Duration timeout;
    private final Clock clock;
    private final Consumer<String> timeoutListener;
    private final ExecutorService threads;
    private long rounds;

    /**
     * @param timeoutListener told the section name whenever a collector overruns (a metric)
     */
    public CollectorRunner(Duration timeout, Clock clock, Consumer<String> timeoutListener) {
        this.timeout = timeout;
        this.clock = clock;
        this.timeoutListener = timeoutListener;
        AtomicInteger count = new AtomicInteger();
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "facts-collector-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public <T> SectionKey<T> register(String name, Collector<T> collector) {
        return register(name, collector, 1);
    }

    /** Registers a collector run in the first round and then in every {@code everyRounds}-th. */
    public <T> SectionKey<T> register(String name, Collector<T> collector, int everyRounds) {
        if (slots.containsKey(name)) {
            throw new IllegalArgumentException("collector " + name + " registered twice");
        }
        if (everyRounds < 1) {
            throw new IllegalArgumentException("collector " + name + ": everyRounds must be at least 1");
        }
        slots.put(name, new Slot<>(collector, everyRounds));
        return new SectionKey<>(name);
    }

    /**
     * Runs every collector due this round that is not still hung and waits at most the timeout for
     * each; a collector not due repeats its last section.
     */
    public synchronized Round collect() {
        long round = rounds++;
        long startNanos = System.nanoTime();
        Map<String, Boolean> startedNow = new LinkedHashMap<>();
        slots.forEach((name, slot) -> {
            if (slot.last == null || round % slot.everyRounds == 0) {
                startedNow.put(name, start(slot));
            }
        });
        Map<String, Section<?>> sections = new LinkedHashMap<>();
        slots.forEach((name, slot) -> sections.put(name, section(name, slot, startedNow.get(name), startNanos)));
        return new Round(sections);
    }

    /** The slot's section this round: its last one when not due, else fresh, stale or hung. */
    private <T> Section<T> section(String name, Slot<T> slot, Boolean started, long startNanos) {
        if (started == null) {
            return slot.last;
        }
        slot.last = started
                ? await(name, slot, startNanos)
                : stale(slot, "collector '" + name + "' is still running since " + slot.inFlightSince
                        + " (hung); not started again");
        return slot.last;
    }

    private <T> boolean start(Slot<T> slot) {
        if (slot.inFlight != null && !slot.inFlight.isDone()) {
            return false;
        }
        slot.inFlight = threads.submit(slot.collector::collect);
        slot.inFlightSince = clock.instant();
        return true;
    }

    private <T> Section<T> await(String name, Slot<T> slot, long startNanos) {
        // All collectors started together, so each one's deadline is measured from the common start.
        long remaining = timeout.toNanos() - (System.nanoTime() - startNanos);
        try {
            T value = slot.inFlight.get(Math.max(0, remaining), TimeUnit.NANOSECONDS);
            slot.lastGood = value;
            slot.lastGoodAt = clock.instant();
            slot.inFlight = null;
            return Section.fresh(value, slot.lastGoodAt);
        } catch (TimeoutException e) {
            timeoutListener.accept(name);
            return stale(slot, "collector '" + name + "' did not finish within " + timeout);
        } catch (ExecutionException e) {
            slot.inFlight = null;
            Throwable cause = e.getCause();
            return stale(slot, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return stale(slot, "collection interrupted");
        }
    }

    private static <T> Section<T> stale(Slot<T> slot, String error) {
        return new Section<>(slot.lastGood, true, error, slot.lastGoodAt);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
