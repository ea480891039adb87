package net.goldentooth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;

class NodeRoutingTest {

    @Test
    void routesExactlyLikeKafkasDefaultPartitioner() {
        List<String> nodes = new java.util.ArrayList<>(List.of("allyrion", "bettley", "cargyll", "dalt", "erenford",
                "fenn", "gardener", "harlton", "inchfield", "jast", "karstark", "lipps", "velaryon", "", "ü-node"));
        for (int i = 0; i < 2000; i++) {
            nodes.add("sim-" + i);
        }
        for (String node : nodes) {
            byte[] key = node.getBytes(StandardCharsets.UTF_8);
            for (int partitions : new int[] {1, 3, 12, 64}) {
                int kafka = Utils.toPositive(Utils.murmur2(key)) % partitions;
                assertEquals(kafka, NodeRouting.partitionFor(node, partitions), node + " over " + partitions);
            }
        }
    }

    @Test
    void refusesANonPositivePartitionCount() {
        assertThrows(IllegalArgumentException.class, () -> NodeRouting.partitionFor("fenn", 0));
    }
}
