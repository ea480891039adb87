package net.goldentooth.monitor.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.Topics;
import net.goldentooth.events.api.LogPage;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.kafka.KafkaSettings;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Reads {@code node.logs} on demand for one query, with a consumer of its own that belongs to no
 * group. Only the partitions of the selected nodes are read when the pattern names them; a time
 * range is found by seeking by record time ({@code offsetsForTimes}): a record is appended after its
 * line was written, so no line at or after {@code since} lies before that offset. The upper end is
 * {@code until} plus {@code lateGrace} in append time, so lines that reached the bus late (an agent
 * catching up after a cut) within the grace are still found. {@code n} without {@code since} reads
 * each partition backwards in growing windows until it has {@code n} matches. A {@code grep} that is
 * plain text rules lines out on their records' bytes before they are decoded ({@link GrepPrefilter}).
 */
public final class LogSearch {

    private static final Logger LOG = Logger.getLogger(LogSearch.class);
    private static final Comparator<LogEntry> TIME_ORDER = Comparator
            .comparing(LogEntry::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(LogEntry::node, Comparator.nullsFirst(Comparator.naturalOrder()));
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** A partition that yields nothing for this long before its end offset is given up on (answer with what there is). */
    private static final Duration STALL = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final int maxLines;
    private final Duration lateGrace;

    public LogSearch(String bootstrapServers, int maxLines, Duration lateGrace) {
        this.bootstrapServers = bootstrapServers;
        this.maxLines = maxLines;
        this.lateGrace = lateGrace;
    }

    /** The matching lines, oldest first, at most {@code n} (or the server's maximum) of the newest. */
    public LogPage search(LogQuery query) {
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, query);
            consumer.assign(partitions);
            return search(consumer, query, partitions);
        }
    }

    /**
     * The last lines as {@link #search} finds them ({@code n}, 10 when not given), then every new
     * matching line as it arrives, in batches, until {@code open} turns false; an empty batch after
     * 15 s without lines, so a client that went away is noticed.
     */
    public void follow(LogQuery query, Consumer<List<LogEntry>> out, BooleanSupplier open) {
        LogQuery initial = query.lastN() == null ? new LogQuery(query.nodes(), query.units(), query.maxPriority(),
                query.since(), query.until(), query.grep(), 10) : query;
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = partitions(consumer, query);
            consumer.assign(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<LogEntry> last = search(consumer, initial, partitions).lines();
            // Lines that arrived while the last ones were read are in both: the follow drops them.
            Recent recent = new Recent(10_000);
            last.forEach(recent::firstTime);
            out.accept(last);
            consumer.resume(partitions);
            ends.forEach(consumer::seek);
            long lastSent = System.nanoTime();
            while (open.getAsBoolean()) {
                ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
                List<LogEntry> batch = new ArrayList<>();
                for (ConsumerRecord<String, byte[]> record : records) {
                    LogEntry entry = decode(record);
                    if (entry != null && query.matches(entry) && recent.firstTime(entry)) {
                        batch.add(entry);
                    }
                }
                if (!batch.isEmpty() || System.nanoTime() - lastSent > HEARTBEAT.toNanos()) {
                    // An empty batch now and then finds out whether the client is still there.
                    batch.sort(TIME_ORDER);
                    out.accept(batch);
                    lastSent = System.nanoTime();
                }
            }
        }
    }

    private LogPage search(KafkaConsumer<String, byte[]> consumer, LogQuery query, List<TopicPartition> partitions) {
        int limit = query.lastN() == null ? maxLines : Math.min(query.lastN(), maxLines);
        Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        Map<TopicPartition, Long> from = new HashMap<>(begin);
        Map<TopicPartition, Long> to = new HashMap<>(end);
        if (query.since() != null) {
            from = offsets(consumer, partitions, query.since(), end);
        }
        if (query.until() != null) {
            to = offsets(consumer, partitions, query.until().plus(lateGrace), end);
        }
        Scan scan = new Scan();
        if (limit == 0) {
            return new LogPage(List.of(), false, 0);
        }
        for (TopicPartition partition : partitions) {
            long first = from.get(partition);
            long last = to.get(partition);
            if (query.lastN() != null && query.since() == null) {
                backwards(consumer, partition, begin.get(partition), last, query, scan, limit);
            } else {
                Window window = new Window(limit);
                read(consumer, partition, first, last, query, window);
                scan.scanned += window.scanned;
                scan.overflow |= window.overflow;
                scan.addAll(new ArrayList<>(window.lines));
            }
        }
        List<LogEntry> lines = scan.merged();
        boolean truncated = scan.overflow || lines.size() > limit;
        if (lines.size() > limit) {
            lines = lines.subList(lines.size() - limit, lines.size());
        }
        return new LogPage(List.copyOf(lines), truncated, scan.scanned);
    }

    /** Reads windows of growing size back from {@code last} until the partition gave {@code limit} matches. */
    private void backwards(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long begin, long last,
                           LogQuery query, Scan scan, int limit) {
        long window = Math.max(1000, limit * 4L);
        long end = last;
        List<List<LogEntry>> chunks = new ArrayList<>();
        int found = 0;
        while (end > begin && found < limit) {
            long start = Math.max(begin, end - window);
            Window chunk = new Window(limit);
            read(consumer, partition, start, end, query, chunk);
            scan.scanned += chunk.scanned;
            chunks.add(0, new ArrayList<>(chunk.lines));
            found += chunk.lines.size();
            end = start;
            window *= 4;
        }
        chunks.forEach(scan::addAll);
    }

    private void read(KafkaConsumer<String, byte[]> consumer, TopicPartition partition, long from, long to,
                      LogQuery query, Window into) {
        if (from >= to) {
            return;
        }
        // Every partition stays assigned (offset lookups need that); only this one is read now.
        consumer.pause(consumer.assignment());
        consumer.resume(List.of(partition));
        consumer.seek(partition, from);
        GrepPrefilter prefilter = GrepPrefilter.of(query.grep());
        long lastProgress = System.nanoTime();
        while (consumer.position(partition) < to) {
            ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
            if (records.isEmpty()) {
                if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    LOG.warnf("%s stopped at offset %d of %d; answering with what was read", partition,
                            consumer.position(partition), to);
                    return;
                }
                continue;
            }
            lastProgress = System.nanoTime();
            for (ConsumerRecord<String, byte[]> record : records) {
                if (record.offset() >= to) {
                    return;
                }
                into.scanned++;
                if (!query.nodes().matches(record.key())
                        || (prefilter != null && !prefilter.mayMatch(record.value()))) {
                    continue;
                }
                LogEntry entry = decode(record);
                if (entry != null && query.matches(entry)) {
                    into.add(entry);
                }
            }
        }
    }

    private static LogEntry decode(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.decode(record.value(), LogEntry.class);
        } catch (PoisonMessageException e) {
            // The query shows what it can; dead-lettering is the job of the topic's own consumers.
            return null;
        }
    }

    private static Map<TopicPartition, Long> offsets(KafkaConsumer<String, byte[]> consumer,
                                                     List<TopicPartition> partitions, Instant at,
                                                     Map<TopicPartition, Long> end) {
        Map<TopicPartition, Long> times = new HashMap<>();
        partitions.forEach(p -> times.put(p, at.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp o = found.get(p);
            offsets.put(p, o == null ? end.get(p) : o.offset());
        }
        return offsets;
    }

    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> consumer, LogQuery query) {
        int count = consumer.partitionsFor(Topics.NODE_LOGS).size();
        Set<String> nodes = query.nodes().exactNodes().orElse(null);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            int partition = p;
            if (nodes == null || nodes.stream().anyMatch(n -> NodeRouting.partitionFor(n, count) == partition)) {
                partitions.add(new TopicPartition(Topics.NODE_LOGS, p));
            }
        }
        return partitions;
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(KafkaSettings.consumer(bootstrapServers, null, "monitor-logs-" + UUID.randomUUID()));
    }

    /** What one read keeps: the newest {@code limit} matches. */
    private static final class Window {
        final int limit;
        final ArrayDeque<LogEntry> lines = new ArrayDeque<>();
        long scanned;
        boolean overflow;

        Window(int limit) {
            this.limit = limit;
        }

        void add(LogEntry entry) {
            lines.addLast(entry);
            if (lines.size() > limit) {
                lines.removeFirst();
                overflow = true;
            }
        }
    }

    /** Every partition's matches, deduplicated by (node, cursor). */
    private static final class Scan {
        final List<LogEntry> all = new ArrayList<>();
        long scanned;
        boolean overflow;

        void addAll(List<LogEntry> lines) {
            all.addAll(lines);
        }

        List<LogEntry> merged() {
            Recent seen = new Recent(Integer.MAX_VALUE);
            List<LogEntry> unique = new ArrayList<>(all.size());
            for (LogEntry e : all) {
                if (seen.firstTime(e)) {
                    unique.add(e);
                }
            }
            unique.sort(TIME_ORDER);
            return unique;
        }
    }

    /** Remembers the (node, cursor) of recent lines to drop redelivered duplicates; lines without a cursor always pass. */
    static final class Recent {
        private final Map<String, Boolean> seen;

        Recent(int capacity) {
            this.seen = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > capacity;
                }
            };
        }

        boolean firstTime(LogEntry entry) {
            if (entry.cursor() == null) {
                return true;
            }
            return seen.put(entry.node() + '\u0000' + entry.cursor(), Boolean.TRUE) == null;
        }
    }
}
