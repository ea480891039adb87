package net.goldentooth.events;

import java.nio.charset.StandardCharsets;

/**
 * Which partition of a node-routed topic carries a node's records. It is Kafka's default
 * partitioner for keyed records (murmur2 of the UTF-8 key, made positive, modulo the partition
 * count), written out here so that agents can compute their partition without a producer and
 * the contract stays free of Kafka classes. A test pins it to Kafka's own implementation.
 */
public final class NodeRouting {

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
