package net.goldentooth.storage.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryTopologyTest {

    static Inventory sample() throws Exception {
        Path file = Path.of(InventoryTopologyTest.class.getResource("/inventory/storage.yaml").toURI());
        return InventoryReader.read("storage.yaml", Files.readString(file));
    }

    @Test
    void theFirstZfsHostReplicatesToTheOthers() throws Exception {
        ReplicationTopology topology = ReplicationTopology.hubAndSpoke(sample(), "zfs");
        assertEquals("allyrion", topology.source());
        assertEquals(List.of("erenford", "gardener"), topology.targets());
    }

    @Test
    void theRealInventoryHasTheSeedsHub() throws Exception {
        Path real = Path.of(System.getProperty("goldentooth.root", ".."), "deploy/inventory/goldentooth.yaml");
        if (!Files.exists(real)) {
            real = Path.of("../deploy/inventory/goldentooth.yaml");
        }
        Inventory inventory = InventoryReader.read(real.toString(), Files.readString(real));
        assertEquals("allyrion", ReplicationTopology.hubAndSpoke(inventory, "zfs").source());
        assertEquals("10.4.1.10", inventory.address("velaryon"));
    }

    @Test
    void groupsIncludeTheirChildrenAndHostVarsMerge() throws Exception {
        Inventory inventory = sample();
        assertTrue(inventory.group("all").containsAll(List.of("allyrion", "velaryon", "payne")));
        assertEquals("10.4.0.10", inventory.address("allyrion"));
        assertEquals("/mnt/nfs", inventory.hostVar("allyrion", "nfs_mount").orElseThrow());
    }

    @Test
    void aMissingGroupOrBadYamlIsNamed() throws Exception {
        InventoryException e = assertThrows(InventoryException.class,
                () -> ReplicationTopology.hubAndSpoke(sample(), "zfz"));
        assertTrue(e.getMessage().contains("'zfz'") && e.getMessage().contains("zfs"), e.getMessage());
        assertThrows(InventoryException.class, () -> InventoryReader.read("x.yaml", "all: [1, 2"));
        assertThrows(InventoryException.class, () -> InventoryReader.read("x.yaml", "all:\n  hosts: [a, b]\n"));
    }
}
