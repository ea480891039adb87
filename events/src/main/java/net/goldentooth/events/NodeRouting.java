package net.goldentooth.events;

import java.nio.charset.StandardCharsets;

/**
 * Which partition of a node-routed topic carries a node's records. It is Kafka's default
 * partitioner for keyed records (murmur2 of the UTF-8 key, made positive, modulo the partition
 * count), written out here so that agents can compute their partition without a producer and
 * the contract stays free of Kafka classes. A test pins it to Kafka's own implementation.
 *
 * <p>Most node-routed topics are keyed by the node, so Kafka's partitioner already puts a node's
 * records on {@link #partitionFor(String, int)}. {@code cert.issued} is keyed per lineage,
 * {@link #lineageKey(String, String)} = {@code <node>|<lineage>}, so that compaction keeps one
 * record per lineage; its producer therefore sets the partition explicitly to
 * {@code partitionFor(node, Topics.NODE_ROUTED_PARTITIONS)}, and an agent keeps the records whose
 * key starts with {@link #lineageKeyPrefix(String)}.
 */
public final class NodeRouting {

    /** Separates node and lineage in a {@link #lineageKey(String, String)}; not allowed in node names. */
    public static final char LINEAGE_KEY_SEPARATOR = '|';

    /** A parsed {@link #lineageKey(String, String)}. */
    public record LineageKey(String node, String lineage) {
    }

    /** The record key of a lineage's records on {@code cert.issued}: {@code <node>|<lineage>}. */
    public static String lineageKey(String node, String lineage) {
        if (node == null || node.isEmpty() || node.indexOf(LINEAGE_KEY_SEPARATOR) >= 0) {
            throw new IllegalArgumentException("node must be non-empty and free of '|', was " + node);
        }
        if (lineage == null || lineage.isEmpty()) {
            throw new IllegalArgumentException("lineage must be non-empty");
        }
        return node + LINEAGE_KEY_SEPARATOR + lineage;
    }

    /** What every {@link #lineageKey(String, String)} of {@code node} starts with. */
    public static String lineageKeyPrefix(String node) {
        return node + LINEAGE_KEY_SEPARATOR;
    }

    /** Parses a {@link #lineageKey(String, String)}; anything else is an {@link IllegalArgumentException}. */
    public static LineageKey parseLineageKey(String key) {
        int separator = key == null ? -1 : key.indexOf(LINEAGE_KEY_SEPARATOR);
        if (separator <= 0 || separator == key.length() - 1) {
            throw new IllegalArgumentException("not a <node>|<lineage> key: " + key);
        }
        return new LineageKey(key.substring(0, separator), key.substring(separator + 1));
    }

    public static int partitionFor(String node, int partitions) {
        if (partitions <= 0) {
            throw new IllegalArgumentException("partitions must be positive, was " + partitions);
        }
        return (murmur2(node.getBytes(StandardCharsets.UTF_8)) & 0x7fffffff) % partitions;
    }

    static int murmur2(byte[] data) {
        final int m = 0x5bd1e995;
        final int r = 24;
        int length = data.length;
        int h = 0x9747b28c ^ length;
        int blocks = length / 4;
        for (int i = 0; i < blocks; i++) {
            int offset = i * 4;
            int k = (data[offset] & 0xff)
                    | ((data[offset + 1] & 0xff) << 8)
                    | ((data[offset + 2] & 0xff) << 16)
                    | ((data[offset + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }
        int tail = blocks * 4;
        switch (length % 4) {
            case 3:
                h ^= (data[tail + 2] & 0xff) << 16;
            // fall through
            case 2:
                h ^= (data[tail + 1] & 0xff) << 8;
            // fall through
            case 1:
                h ^= data[tail] & 0xff;
                h *= m;
            default:
                break;
        }
        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    private NodeRouting() {
    }
}
