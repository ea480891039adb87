package net.goldentooth.agent.health;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The /proc parsers on sample text, and the series they become, units converted. */
class KernelCountersTest {

    static final String STAT = """
            cpu  179591 0 29805 15973 338 0 552 799 0 0
            cpu0 90076 3 14423 8513 58 1 88 376 7 2
            cpu1 89514 0 15381 7460 279 0 464 423 0 0
            intr 123 0 0
            ctxt 456
            """;
    static final String NET_DEV = """
            Inter-|   Receive                                                |  Transmit
             face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                lo: 10721456   62783    0    0    0     0          0         0 10721456   62783    0    0    0     0       0          0
              eth0: 1000 10 1 2 3 4 5 6 2000 20 7 8 9 10 11 12
            """;
    static final String DISKSTATS = """
             254       0 vda 64791 9644 2462986 21101 137804 75622 11535256 108766 0 35436 146130 20030 62 2931480 5045 29311 11216
             254       1 vda1 100 0 800 10 10 0 80 5 0 15 15 0 0 0 0 0 0
               7       0 loop0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
             179       0 mmcblk0 5 6 7 8 9 10 11 12 1 13 14
            """;

    @Test
    void totalsSumBusyAndAllCpuTimeWithoutGuestTwiceAndTrafficWithoutLoopback() {
        var totals = KernelCounters.totals(KernelCounters.parseStat(STAT), KernelCounters.parseNetDev(NET_DEV));
        // cpu0: busy 90076+3+14423+1+88+376, idle 8513, iowait 58; cpu1: busy 89514+15381+464+423, 7460, 279;
        // the guest columns (7, 2) are inside user and nice already.
        assertEquals(2107.49, totals.cpuBusySeconds(), 1e-9);
        assertEquals(2270.59, totals.cpuTotalSeconds(), 1e-9);
        assertEquals(1000, totals.networkReceiveBytes(), "lo's 10721456 bytes are not the node's traffic");
        assertEquals(2000, totals.networkTransmitBytes());
    }

    @Test
    void parsesPerCpuTicksSkippingTheTotalLine() {
        List<KernelCounters.Cpu> cpus = KernelCounters.parseStat(STAT);
        assertEquals(List.of("0", "1"), cpus.stream().map(KernelCounters.Cpu::cpu).toList());
        assertArrayEquals(new long[] {90076, 3, 14423, 8513, 58, 1, 88, 376, 7, 2}, cpus.get(0).ticks());
        // an old kernel without steal/guest columns leaves them 0
        assertArrayEquals(new long[] {1, 2, 3, 4, 0, 0, 0, 0, 0, 0},
                KernelCounters.parseStat("cpu0 1 2 3 4\n").get(0).ticks());
    }

    @Test
    void parsesEachInterfaceButLoopbackWithItsSixteenCounters() {
        List<KernelCounters.NetDevice> devices = KernelCounters.parseNetDev(NET_DEV);
        // loopback is left out, as by Debian's node_exporter
        assertEquals(List.of("eth0"), devices.stream().map(KernelCounters.NetDevice::device).toList());
        assertArrayEquals(new long[] {1000, 10, 1, 2, 3, 4, 5, 6}, devices.get(0).receive());
        assertArrayEquals(new long[] {2000, 20, 7, 8, 9, 10, 11, 12}, devices.get(0).transmit());
    }

    @Test
    void leavesOutPartitionsAndLoopDevicesAsNodeExporterDoes() {
        List<KernelCounters.Disk> disks = KernelCounters.parseDiskstats(DISKSTATS);
        assertEquals(List.of("vda", "mmcblk0"), disks.stream().map(KernelCounters.Disk::device).toList());
        assertEquals(17, disks.get(0).fields().length);
        assertEquals(11, disks.get(1).fields().length);
        assertTrue(KernelCounters.DISK_EXCLUDE.matcher("nvme0n1p2").matches());
        assertTrue(KernelCounters.DISK_EXCLUDE.matcher("sda1").matches());
        assertTrue(!KernelCounters.DISK_EXCLUDE.matcher("nvme0n1").matches());
        // mmcblk0p1 is not excluded by node_exporter's default either
        assertTrue(!KernelCounters.DISK_EXCLUDE.matcher("mmcblk0p1").matches());
    }

    @Test
    void malformedTextNamesTheFileAndLine() {
        assertEquals("/proc/stat: 'x' is not a counter in 'cpu0 1 x 3 4'",
                assertThrows(IllegalArgumentException.class, () -> KernelCounters.parseStat("cpu0 1 x 3 4\n")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelCounters.parseNetDev("a\nb\n eth0 1 2 3\n"));
        assertThrows(IllegalArgumentException.class, () -> KernelCounters.parseNetDev("a\nb\n eth0: 1 2 3\n"));
        assertThrows(IllegalArgumentException.class, () -> KernelCounters.parseDiskstats(" 8 0 sda 1 2 3\n"));
    }

    @Test
    void exportsSecondsAndBytesUnderNodeExporterNames(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("net"));
        Files.writeString(proc.resolve("stat"), STAT);
        Files.writeString(proc.resolve("net/dev"), NET_DEV);
        Files.writeString(proc.resolve("diskstats"), DISKSTATS);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KernelCounterMetrics metrics = new KernelCounterMetrics(registry, proc, steppingClock());
        String scrape = registry.scrape();
        for (String line : new String[] {
                "# TYPE node_cpu_seconds_total counter",
                "# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.",
                "node_cpu_seconds_total{cpu=\"0\",mode=\"user\",} 900.76",
                "node_cpu_seconds_total{cpu=\"1\",mode=\"idle\",} 74.6",
                "node_cpu_seconds_total{cpu=\"0\",mode=\"steal\",} 3.76",
                "node_cpu_guest_seconds_total{cpu=\"0\",mode=\"nice\",} 0.02",
                "node_network_receive_bytes_total{device=\"eth0\",} 1000.0",
                "node_network_transmit_carrier_total{device=\"eth0\",} 11.0",
                "node_network_receive_multicast_total{device=\"eth0\",} 6.0",
                "node_disk_read_bytes_total{device=\"vda\",} 1.261048832E9",
                "node_disk_written_bytes_total{device=\"mmcblk0\",} 5632.0",
                "node_disk_io_time_seconds_total{device=\"vda\",} 35.436",
                "node_disk_reads_completed_total{device=\"vda\",} 64791.0",
                "node_disk_writes_completed_total{device=\"vda\",} 137804.0",
                "# TYPE node_disk_io_now gauge",
                "node_disk_io_now{device=\"mmcblk0\",} 1.0",
                "node_disk_flush_requests_total{device=\"vda\",} 29311.0"}) {
            assertTrue(scrape.lines().anyMatch(line::equals), () -> "missing '" + line + "' in\n" + scrape);
        }
        // mmcblk0's kernel has no discard or flush fields: no series rather than zeros
        assertTrue(scrape.lines().noneMatch(l -> l.startsWith("node_disk_flush_requests_total{device=\"mmcblk0\"")));

        // An interface that goes away takes its series with it; a new one appears on the next refresh.
        Files.writeString(proc.resolve("net/dev"), NET_DEV.replace("eth0", "wlan0"));
        metrics.refresh();
        String after = registry.scrape();
        assertTrue(after.contains("node_network_receive_bytes_total{device=\"wlan0\",} 1000.0"), after);
        assertTrue(!after.contains("device=\"eth0\""), after);

        // An unreadable file keeps the last values and is not fatal
        Files.writeString(proc.resolve("stat"), "cpu0 garbage\n");
        assertTrue(registry.scrape().contains("node_cpu_seconds_total{cpu=\"0\",mode=\"user\",} 900.76"));
    }

    /** Each reading is two seconds after the last, so every scrape reads /proc afresh. */
    static Clock steppingClock() {
        return new Clock() {
            private Instant now = Instant.parse("2026-12-07T00:00:00Z");

            @Override
            public synchronized Instant instant() {
                now = now.plusSeconds(2);
                return now;
            }

            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }
        };
    }
}
