package net.goldentooth.storage.seaweedfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.goldentooth.storage.topology.Inventory;
import net.goldentooth.storage.topology.InventoryReader;
import org.junit.jupiter.api.Test;

/**
 * SeaweedFS is not available offline, so the health client is tested against RECORDED answers
 * (src/test/resources/seaweedfs/*.json) written from SeaweedFS's documented JSON for
 * {@code /cluster/status} and {@code /dir/status}, not against a running master.
 */
class SeaweedTest {

    static String resource(String name) throws Exception {
        return Files.readString(Path.of(SeaweedTest.class.getResource("/seaweedfs/" + name).toURI()));
    }

    static Inventory inventory(String seaweedGroup) {
        return InventoryReader.read("inv.yaml", "all:\n  children:\n    seaweedfs:\n      hosts:\n" + seaweedGroup);
    }

    @Test
    void fourMastersAreRefusedNamingTheSeedsFailure() {
        Inventory four = inventory("        manderly: {ansible_host: 10.4.0.22}\n        norcross: {ansible_host: 10.4.0.23}\n"
                + "        oakheart: {ansible_host: 10.4.0.24}\n        payne: {ansible_host: 10.4.0.25}\n");
        SeaweedTopologyException e = assertThrows(SeaweedTopologyException.class,
                () -> SeaweedTopology.fromInventory(four, "seaweedfs"));
        assertTrue(e.getMessage().startsWith("4 SeaweedFS masters (manderly, norcross, oakheart, payne) is an even number"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Only odd number of masters are supported"), e.getMessage());
        assertTrue(e.getMessage().contains("seed lines 12298-12322"), e.getMessage());
    }

    @Test
    void threeMarkedMastersAndFourVolumeServersAsInTheSeed() {
        SeaweedTopology topology = SeaweedTopology.fromInventory(inventory(
                "        manderly: {ansible_host: 10.4.0.22, seaweedfs_master: true}\n"
                        + "        norcross: {ansible_host: 10.4.0.23, seaweedfs_master: true}\n"
                        + "        oakheart: {ansible_host: 10.4.0.24, seaweedfs_master: true}\n"
                        + "        payne: {ansible_host: 10.4.0.25}\n"), "seaweedfs");
        assertEquals(List.of("manderly", "norcross", "oakheart"), topology.masters());
        assertEquals(4, topology.volumes().size());
        assertEquals("10.4.0.22:9333,10.4.0.23:9333,10.4.0.24:9333", topology.peers());
        String master = topology.masterCommand("/mnt/seaweedfs-nvme");
        assertFalse(master.contains("-ip"), master);
        assertTrue(master.contains("-peers=10.4.0.22:9333,10.4.0.23:9333,10.4.0.24:9333"), master);
        assertTrue(topology.volumeCommand("/mnt/seaweedfs-nvme").contains("-mserver=10.4.0.22:9333,"));
    }

    @Test
    void theLayoutReportsAnEvenMasterCountInsteadOfFailingTheService() {
        SeaweedLayout even = SeaweedLayout.of(inventory("        manderly: {ansible_host: 10.4.0.22}\n"
                + "        norcross: {ansible_host: 10.4.0.23}\n"), SeaweedLayout.GROUP, "/mnt/seaweedfs-nvme");
        assertTrue(even.declared());
        assertTrue(even.error().startsWith("2 SeaweedFS masters (manderly, norcross) is an even number"), even.error());
        assertTrue(even.masters().isEmpty());
        SeaweedLayout odd = SeaweedLayout.of(inventory("        manderly: {ansible_host: 10.4.0.22}\n"),
                SeaweedLayout.GROUP, "/mnt/seaweedfs-nvme");
        assertEquals(null, odd.error());
        assertEquals(List.of("manderly"), odd.masters());
        assertTrue(odd.masterCommand().startsWith("weed master -port=9333 -mdir=/mnt/seaweedfs-nvme/master"));
        SeaweedLayout none = SeaweedLayout.of(InventoryReader.read("inv.yaml", "all:\n  hosts:\n    a: {}\n"),
                SeaweedLayout.GROUP, "/mnt/seaweedfs-nvme");
        assertFalse(none.declared());
        assertEquals(null, none.error());
    }

    @Test
    void recordedHealthAnswersParse() throws Exception {
        SeaweedHealth health = SeaweedStatusParser.parse(resource("cluster-status.json"), resource("dir-status.json"));
        assertTrue(health.hasLeader());
        assertEquals("10.4.0.22:9333", health.leader());
        assertEquals(List.of("10.4.0.23:9333", "10.4.0.24:9333"), health.peers());
        assertEquals(List.of("10.4.0.22:8080", "10.4.0.23:8080", "10.4.0.24:8080", "10.4.0.25:8080"),
                health.volumeServers());
        assertEquals(240, health.freeVolumes());
        SeaweedHealth noLeader = SeaweedStatusParser.parse(resource("cluster-status-no-leader.json"),
                resource("dir-status.json"));
        assertFalse(noLeader.hasLeader(), "'Leader not selected yet' (seed line 12315)");
        assertThrows(SeaweedTopologyException.class, () -> SeaweedStatusParser.parse("<html>", "{}"));
    }
}
