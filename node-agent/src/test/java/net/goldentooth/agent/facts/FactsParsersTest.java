package net.goldentooth.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;

/** The parsers against text captured from a Raspberry Pi 4 running Debian bookworm. */
class FactsParsersTest {

    static String sample(String name) {
        try (InputStream in = FactsParsersTest.class.getResourceAsStream("/facts/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing sample " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void loadAverageAndUptime() {
        FactsParsers.LoadAverage load = FactsParsers.loadavg(sample("loadavg.txt"));
        assertEquals(new FactsParsers.LoadAverage(0.52, 0.58, 0.59), load);
        assertEquals(354712, FactsParsers.uptimeSeconds(sample("uptime.txt")));
    }

    @Test
    void meminfoIsReportedInBytes() {
        assertEquals(new NodeFacts.Memory(3884836L * 1024, 2671200L * 1024, 102396L * 1024, 102396L * 1024),
                FactsParsers.meminfo(sample("meminfo.txt")));
    }

    @Test
    void meminfoWithoutMemAvailableIsAnError() {
        FactsParseException e = assertThrows(FactsParseException.class,
                () -> FactsParsers.meminfo("MemTotal: 1 kB\nSwapTotal: 0 kB\nSwapFree: 0 kB\n"));
        assertTrue(e.getMessage().contains("MemAvailable"), e.getMessage());
    }

    @Test
    void mountsSkipPseudoFilesystemsAndTheAutofsTriggerButKeepNfs() {
        List<FactsParsers.MountEntry> mounts = FactsParsers.mounts(sample("mounts.txt"));
        assertEquals(List.of(
                new FactsParsers.MountEntry("/dev/mmcblk0p2", "/", "ext4"),
                new FactsParsers.MountEntry("/dev/mmcblk0p1", "/boot/firmware", "vfat"),
                new FactsParsers.MountEntry("10.4.0.10:/mnt/usb1", "/mnt/nfs", "nfs4"),
                new FactsParsers.MountEntry("/dev/sda1", "/mnt/usb 1", "ext4")), mounts);
    }

    @Test
    void defaultRouteIsTheLowestMetricOneSoEth0WinsOverWlan0() {
        // The seed's lipps and karstark had both NICs up; the kernel routes by the lower metric.
        assertEquals(new FactsParsers.DefaultRoute("eth0", "10.4.0.1"),
                FactsParsers.defaultRoute(sample("route.txt")).orElseThrow());
        assertTrue(FactsParsers.defaultRoute(sample("route-none.txt")).isEmpty());
    }

    @Test
    void osReleaseModelAndThermal() {
        assertEquals("Debian GNU/Linux 12 (bookworm)", FactsParsers.osRelease(sample("os-release.txt")));
        assertEquals("Debian 11", FactsParsers.osRelease("NAME=Debian\nVERSION=11\n"));
        assertEquals("Raspberry Pi 4 Model B Rev 1.4", FactsParsers.deviceTreeModel(sample("device-tree-model.txt")));
        assertNull(FactsParsers.deviceTreeModel("\0"));
        assertEquals(48.312, FactsParsers.temperatureCelsius(sample("thermal-temp.txt")), 1e-9);
        assertEquals(1_800_000L, FactsParsers.frequencyKhz(sample("scaling_cur_freq.txt")));
    }

    @Test
    void throttleBitsAreDecoded() {
        String raw = FactsParsers.throttledRaw(sample("get_throttled.txt"));
        assertEquals("0x50005", raw);
        assertEquals(List.of("under-voltage", "throttled", "under-voltage-occurred", "throttling-occurred"),
                FactsParsers.throttleFlags(raw));
        assertEquals(List.of("arm-frequency-capped", "soft-temperature-limit", "arm-frequency-capping-occurred",
                "soft-temperature-limit-occurred"), FactsParsers.throttleFlags("0xA000A"));
        assertEquals(List.of(), FactsParsers.throttleFlags("0x0"));
        assertThrows(FactsParseException.class, () -> FactsParsers.throttledRaw("error=1 error_msg=\"no\""));
    }

    @Test
    void archIsNamedAsTheKernelNamesIt() {
        assertEquals("x86_64", FactsParsers.machineArch("amd64"));
        assertEquals("aarch64", FactsParsers.machineArch("aarch64"));
    }

    @Test
    void modulesAreSortedNames() {
        assertEquals(List.of("br_netfilter", "bridge", "nfsv4", "overlay"), FactsParsers.modules(sample("modules.txt")));
    }

    @Test
    void unitStatesFollowTheOrderAsked() {
        assertEquals(Map.of("kubelet.service", "active", "containerd.service", "inactive",
                        "mnt-nfs.automount", "failed"),
                FactsParsers.unitStates(List.of("kubelet.service", "containerd.service", "mnt-nfs.automount"),
                        sample("systemctl-is-active.txt")));
        assertThrows(FactsParseException.class,
                () -> FactsParsers.unitStates(List.of("a.service"), sample("systemctl-is-active.txt")));
        // Without systemd as PID 1 (containers) systemctl prints errors, which must not pass for states.
        assertThrows(FactsParseException.class, () -> FactsParsers.unitStates(List.of("a.service"),
                "System has not been booted with systemd as init system (PID 1). Can't operate.\n"));
    }

    @Test
    void timeSyncFromTimedatectlAndChrony() {
        assertFalse(FactsParsers.timedatectlSynced(sample("timedatectl-show.txt")));
        assertNull(FactsParsers.timedatectlSynced("Timezone=UTC\n"));
        FactsParsers.ChronyTracking synced = FactsParsers.chronyTracking(sample("chronyc-tracking.txt"));
        assertTrue(synced.synced());
        assertEquals(-0.000123456, synced.offsetSeconds(), 1e-12, "slow of NTP time is a negative offset");
        // The seed's clocks were about 8 days off before NTP was set up: 691200 s fast.
        FactsParsers.ChronyTracking drifted = FactsParsers.chronyTracking(sample("chronyc-tracking-unsynced.txt"));
        assertFalse(drifted.synced());
        assertEquals(691200.0, drifted.offsetSeconds(), 1e-9);
    }

    @Test
    void malformedTextIsAnErrorNamingTheSource() {
        FactsParseException e = assertThrows(FactsParseException.class, () -> FactsParsers.loadavg("nonsense"));
        assertTrue(e.getMessage().contains("/proc/loadavg"), e.getMessage());
    }
}
