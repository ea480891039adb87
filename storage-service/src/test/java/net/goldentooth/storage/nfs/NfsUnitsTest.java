package net.goldentooth.storage.nfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exports and client units of the seed, checked by the real {@code systemd-escape} and {@code systemd-analyze verify}. */
class NfsUnitsTest {

    static final String SEED_EXPORTS = "allyrion:/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check);"
            + "velaryon:/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)";

    @TempDir
    Path dir;

    static String run(String... command) throws IOException, InterruptedException {
        if (!Files.isExecutable(Path.of("/usr/bin/" + command[0]))) {
            fail("/usr/bin/" + command[0] + " is missing: apt-get install systemd (listed in .ci/packages/storage-service.txt)");
        }
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed:\n" + out);
        return out;
    }

    @Test
    void escapingMatchesSystemdEscape() throws Exception {
        List<String> paths = List.of("/mnt/gpu-storage", "/mnt/nfs", "/mnt/usb1", "/", "/mnt//a b/.hidden/",
                "/.dot", "/mnt/ünïcode", "/srv/x:y_z.w", "/mnt/a\\b");
        for (String path : paths) {
            assertEquals(run("systemd-escape", "--path", path).strip(), SystemdEscape.path(path), path);
        }
        assertEquals("mnt-gpu\\x2dstorage", SystemdEscape.path("/mnt/gpu-storage"));
    }

    @Test
    void theSeedsExportsRenderPerServer() {
        Map<String, String> files = NfsExports.render(NfsExports.parse(SEED_EXPORTS));
        assertEquals(List.of("allyrion", "velaryon"), new ArrayList<>(files.keySet()));
        assertTrue(files.get("allyrion").endsWith("\n/mnt/usb1 *(rw,sync,no_root_squash,no_subtree_check)\n"));
        assertTrue(files.get("velaryon").endsWith("\n/mnt/gpu-storage 10.4.0.0/20(rw,sync,no_root_squash,no_subtree_check)\n"));
    }

    @Test
    void badExportDeclarationsNameTheEntry() {
        NfsConfigException e = assertThrows(NfsConfigException.class,
                () -> NfsExports.parse("allyrion:/mnt/usb1 *(rw,sync);velaryon /mnt/gpu-storage"));
        assertTrue(e.getMessage().contains("'velaryon /mnt/gpu-storage'"), e.getMessage());
        assertThrows(NfsConfigException.class, () -> NfsExports.parse("allyrion:/mnt/../etc *(rw)"));
        assertThrows(NfsConfigException.class, () -> NfsExports.parse("allyrion:/mnt/x *(rw);$(reboot):/x *(rw)"));
    }

    @Test
    void clientUnitsPassSystemdAnalyzeVerify() throws Exception {
        List<ClientMount> mounts = MountUnits.render(NfsExports.parse(SEED_EXPORTS), List.of("bettley"),
                Map.of("allyrion", "10.4.0.10", "velaryon", "10.4.1.10"),
                Map.of("allyrion:/mnt/usb1", "/mnt/nfs"));
        assertEquals(2, mounts.size());
        ClientMount gpu = mounts.get(1);
        assertEquals("mnt-gpu\\x2dstorage", gpu.unitName());
        assertEquals("10.4.1.10:/mnt/gpu-storage", gpu.what());
        assertEquals("/mnt/nfs", mounts.get(0).where());
        List<String> command = new ArrayList<>(List.of("systemd-analyze", "verify"));
        for (ClientMount mount : mounts) {
            Path unit = dir.resolve(mount.unitName() + ".mount");
            Files.writeString(unit, mount.mountUnit());
            Path auto = dir.resolve(mount.unitName() + ".automount");
            Files.writeString(auto, mount.automountUnit());
            command.add(unit.toString());
            command.add(auto.toString());
        }
        String out = run(command.toArray(String[]::new));
        assertTrue(out.isBlank(), "systemd-analyze verify complained:\n" + out);
    }

    @Test
    void aWronglyNamedUnitIsRefusedBySystemd() throws Exception {
        Path wrong = dir.resolve("mnt-gpu-storage.mount");
        Files.writeString(wrong, MountUnits.mount("10.4.1.10:/mnt/gpu-storage", "/mnt/gpu-storage"));
        Process p = new ProcessBuilder("systemd-analyze", "verify", wrong.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(p.exitValue() != 0 && out.contains("doesn't match unit name"), "verify must catch it:\n" + out);
    }

    @Test
    void theLayoutFollowsTheInventory() {
        net.goldentooth.storage.topology.Inventory inventory = net.goldentooth.storage.topology.InventoryReader.read(
                "inv.yaml", "all:\n  children:\n    pis:\n      hosts:\n        allyrion: {ansible_host: 10.4.0.10}\n"
                        + "        bettley: {ansible_host: 10.4.0.11}\n    gpu:\n      hosts:\n"
                        + "        velaryon: {ansible_host: 10.4.1.10}\n    nfs_server:\n      hosts:\n"
                        + "        allyrion: {nfs_export: /mnt/usb1, nfs_mount: /mnt/nfs}\n"
                        + "        velaryon: {nfs_export: /mnt/gpu-storage, nfs_mount: /mnt/gpu-storage}\n");
        NfsLayout layout = NfsLayout.of(NfsExports.parse(SEED_EXPORTS), inventory, "all");
        assertEquals(6, layout.clientMounts().size(), "two mounts on each of three hosts");
        ClientMount first = layout.clientMounts().get(0);
        assertEquals("allyrion", first.node());
        assertEquals("10.4.0.10:/mnt/usb1", first.what());
        assertEquals("mnt-nfs", first.unitName());
        assertEquals(List.of("allyrion", "velaryon"), new ArrayList<>(layout.exportsFiles().keySet()));
    }
}
