package net.goldentooth.storage.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.goldentooth.storage.nfs.ClientMount;
import net.goldentooth.storage.nfs.NfsExport;
import net.goldentooth.storage.nfs.NfsExports;
import net.goldentooth.storage.nfs.NfsLayout;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.storage.topology.Inventory;
import net.goldentooth.storage.topology.InventoryReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NfsOperationsTest {

    static final List<NfsExport> SEED = NfsExports.parse(
            "allyrion:/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check);"
                    + "velaryon:/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)");
    static final Inventory INVENTORY = InventoryReader.read("inv.yaml", "all:\n  hosts:\n"
            + "    allyrion: {ansible_host: 10.4.0.10, nfs_export: /mnt/usb1, nfs_mount: /mnt/nfs}\n"
            + "    velaryon: {ansible_host: 10.4.1.10}\n");

    record Call(String node, String command, String stdin) {
    }

    @TempDir
    Path dir;

    @Test
    void applyWritesExportsOnServersAndInstallsUnitsOnClients() throws Exception {
        List<Call> calls = new ArrayList<>();
        NfsLayout layout = NfsLayout.of(SEED, INVENTORY, "all");
        NfsOperations nfs = new NfsOperations((node, command, stdin) -> {
            calls.add(new Call(node, command, stdin));
            return new ShellResult(node.equals("velaryon") && command.contains("exportfs") ? 1 : 0, "",
                    "exportfs: /mnt/gpu-storage does not exist");
        }, SEED, layout);

        List<NfsOperations.Applied> applied = nfs.apply();

        assertEquals(4, applied.size(), applied.toString());
        assertTrue(calls.get(0).command().endsWith("exportfs -ra"));
        assertEquals(layout.exportsFiles().get("allyrion"), calls.get(0).stdin());
        assertFalse(applied.get(1).ok());
        assertEquals("exportfs: /mnt/gpu-storage does not exist", applied.get(1).error());

        // The client script, run with its paths moved into a temporary root and systemctl stubbed,
        // writes exactly the rendered units.
        String script = calls.get(2).command().replace("/etc/systemd/system/", dir + "/")
                .replace("mkdir -p '/", "mkdir -p '" + dir + "/");
        ShellResult ran = new LocalNodeShell(Duration.ofSeconds(30)).run("local",
                "systemctl() { echo \"systemctl $*\"; }\n" + script, null);
        assertEquals(0, ran.exitCode(), ran.stderr());
        assertTrue(ran.stdout().contains("systemctl enable --now mnt-gpu\\x2dstorage.automount"), ran.stdout());
        ClientMount gpu = layout.clientMounts().get(1);
        assertEquals(gpu.mountUnit(), Files.readString(dir.resolve("mnt-gpu\\x2dstorage.mount")));
        assertEquals(gpu.automountUnit(), Files.readString(dir.resolve("mnt-gpu\\x2dstorage.automount")));
        assertTrue(Files.isDirectory(dir.resolve("mnt/nfs")));
    }

    @Test
    void healthNamesTheDeclaredExportsShowmountDoesNotList() {
        NfsOperations nfs = new NfsOperations((node, command, stdin) -> node.equals("allyrion")
                ? new ShellResult(0, "Export list for localhost:\n/mnt/usb1 *\n", "")
                : new ShellResult(0, "Export list for localhost:\n", ""), SEED, NfsLayout.of(SEED, INVENTORY, "all"));
        List<NfsOperations.ExportHealth> health = nfs.health();
        assertTrue(health.get(0).healthy());
        assertEquals(List.of("/mnt/usb1"), health.get(0).exported());
        assertFalse(health.get(1).healthy());
        assertEquals(List.of("/mnt/gpu-storage"), health.get(1).missing());
    }
}
