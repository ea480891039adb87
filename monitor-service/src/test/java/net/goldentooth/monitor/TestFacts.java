package net.goldentooth.monitor;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;

/** Facts for tests: a healthy Pi, with setters for what a test changes. */
public final class TestFacts {

    public static NodeFacts healthy(String node, Instant at) {
        return withTemperature(node, at, 45.0);
    }

    public static NodeFacts withTemperature(String node, Instant at, Double celsius) {
        return build(node, at, celsius, new NodeFacts.Memory(8_000_000_000L, 6_000_000_000L, 0, 0), 0.5);
    }

    public static NodeFacts build(String node, Instant at, Double celsius, NodeFacts.Memory memory, double usedDisk) {
        return build(node, at, celsius, memory, usedDisk, new NodeFacts.TimeSync(true, 0.001, "timedatectl"));
    }

    /** Facts of a node that reports its clock as not synchronised (the seed's node without NTP). */
    public static NodeFacts unsynced(String node, Instant at, Double celsius) {
        return build(node, at, celsius, new NodeFacts.Memory(8_000_000_000L, 6_000_000_000L, 0, 0), 0.5,
                new NodeFacts.TimeSync(false, null, "timedatectl"));
    }

    private static NodeFacts build(String node, Instant at, Double celsius, NodeFacts.Memory memory, double usedDisk,
                                   NodeFacts.TimeSync timeSync) {
        long total = 100_000_000_000L;
        return new NodeFacts(node, at, 1, "test",
                Section.fresh(new NodeFacts.Host(node, "6.1", "aarch64", "Raspberry Pi 4", "Debian 12", 100), at),
                Section.fresh(new NodeFacts.Network(List.of(), "eth0", "10.4.0.1"), at),
                Section.fresh(new NodeFacts.Thermal(celsius, 1_800_000L, "0x0", List.of()), at),
                Section.fresh(new NodeFacts.Load(0.2, 0.2, 0.2, 4), at),
                Section.fresh(memory, at),
                Section.fresh(List.of(new NodeFacts.Filesystem("/", "/dev/mmcblk0p2", "ext4", total,
                        (long) (total * (1 - usedDisk)))), at),
                Section.fresh(timeSync, at),
                Section.fresh(Map.of(), at),
                Section.fresh(new NodeFacts.Kernel(List.of(), Map.of()), at), null);
    }

    private TestFacts() {
    }
}
