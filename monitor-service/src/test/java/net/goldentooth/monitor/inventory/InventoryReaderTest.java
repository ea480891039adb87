package net.goldentooth.monitor.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InventoryReaderTest {

    @Test
    void readsTheClusterInventoryWithNestedGroups() {
        Map<String, InventoryHost> hosts = InventoryReader.load(Path.of("../deploy/inventory/goldentooth.yaml"));
        assertEquals("10.4.0.11", hosts.get("bettley").address());
        assertTrue(hosts.get("bettley").groups().containsAll(java.util.Set.of("k8s_cluster", "k8s_control_plane",
                "raspberry_pi", "all")), hosts.get("bettley").groups().toString());
        assertEquals("10.4.1.10", hosts.get("velaryon").address());
    }

    @Test
    void hostWithoutAddressUsesItsName() {
        Map<String, InventoryHost> hosts = InventoryReader.parse("all:\n  hosts:\n    local:\n", "t");
        assertEquals("local", hosts.get("local").address());
    }

    @Test
    void brokenYamlNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> InventoryReader.parse("all: [", "inv.yaml"));
        assertTrue(e.getMessage().contains("inv.yaml"), e.getMessage());
    }
}
