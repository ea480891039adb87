package net.goldentooth.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import net.goldentooth.events.facts.NodeFacts;
import org.junit.jupiter.api.Test;

/** The seed's incident: a dead NFS mount hangs fact gathering. Here it must hang only its own section. */
class FactsGathererTest {

    private static final NodeFacts.Filesystem ROOT = new NodeFacts.Filesystem("/", "/dev/mmcblk0p2", "ext4", 100, 50);

    /** Every section answers at once, except filesystems, which hangs (like statfs on a dead NFS mount) when told. */
    static final class FakeSources implements FactSources {
        final AtomicReference<CountDownLatch> hang = new AtomicReference<>();
        final AtomicInteger filesystemCalls = new AtomicInteger();
        final AtomicInteger unitsCalls = new AtomicInteger();
        final AtomicInteger timeSyncCalls = new AtomicInteger();
        volatile boolean systemctlMissing;
        volatile String kubelet = "active";
        volatile NodeFacts.Counters counters;

        @Override
        public NodeFacts.Host host() {
            return new NodeFacts.Host("bettley", "6.6.51", "aarch64", "Raspberry Pi 4 Model B Rev 1.4", "Debian", 10);
        }

        @Override
        public NodeFacts.Network network() {
            return new NodeFacts.Network(List.of(new NodeFacts.Nic("eth0", "d8:3a:dd:89:c1:0b", true,
                    List.of("10.4.0.11"))), "eth0", "10.4.0.1");
        }

        @Override
        public NodeFacts.Thermal thermal() {
            return new NodeFacts.Thermal(48.3, 1_800_000L, null, null);
        }

        @Override
        public NodeFacts.Load load() {
            return new NodeFacts.Load(0.5, 0.5, 0.5, 4);
        }

        @Override
        public NodeFacts.Memory memory() {
            return new NodeFacts.Memory(4, 2, 0, 0);
        }

        @Override
        public List<NodeFacts.Filesystem> filesystems() throws InterruptedException {
            filesystemCalls.incrementAndGet();
            CountDownLatch latch = hang.get();
            if (latch != null) {
                latch.await();
            }
            return List.of(ROOT);
        }

        @Override
        public NodeFacts.TimeSync timeSync() {
            timeSyncCalls.incrementAndGet();
            return new NodeFacts.TimeSync(true, 0.0001, "chronyc tracking");
        }

        @Override
        public Map<String, String> units() throws Exception {
            unitsCalls.incrementAndGet();
            if (systemctlMissing) {
                throw new CommandRunner.CommandMissingException("systemctl");
            }
            return Map.of("kubelet.service", kubelet);
        }

        @Override
        public NodeFacts.Kernel kernel() {
            return new NodeFacts.Kernel(List.of("br_netfilter"), Map.of("net.ipv4.ip_forward", "1"));
        }

        @Override
        public List<NodeFacts.FoundCertificate> certificates() {
            return List.of();
        }

        @Override
        public NodeFacts.Counters counters() {
            return counters;
        }
    }

    @Test
    void deadNfsMountHangsOnlyTheFilesystemsSectionWhichKeepsItsLastGoodValue() throws Exception {
        FakeSources sources = new FakeSources();
        List<String> timeouts = new CopyOnWriteArrayList<>();
        try (FactsGatherer gatherer = new FactsGatherer(sources, Duration.ofMillis(300), Clock.systemUTC(),
                timeouts::add)) {
            CollectedFacts healthy = gatherer.gather();
            assertFalse(healthy.filesystems().stale());
            assertEquals(List.of(ROOT), healthy.filesystems().value());

            CountDownLatch deadServer = new CountDownLatch(1);
            sources.hang.set(deadServer);
            CollectedFacts hung = gatherer.gather();
            assertTrue(hung.filesystems().stale());
            assertTrue(hung.filesystems().error().contains("did not finish within"), hung.filesystems().error());
            assertEquals(List.of(ROOT), hung.filesystems().value(), "the last good value is kept");
            assertEquals(healthy.filesystems().collectedAt(), hung.filesystems().collectedAt());
            assertFresh(hung);
            assertEquals(List.of("filesystems"), timeouts);

            // Still hung next round: not started again, so no second thread piles up behind the mount.
            CollectedFacts stillHung = gatherer.gather();
            assertTrue(stillHung.filesystems().stale());
            assertTrue(stillHung.filesystems().error().contains("still running"), stillHung.filesystems().error());
            assertEquals(2, sources.filesystemCalls.get());
            assertFresh(stillHung);

            // The server comes back: the parked collector returns and the next round is fresh again.
            sources.hang.set(null);
            deadServer.countDown();
            CollectedFacts recovered = awaitFreshFilesystems(gatherer);
            assertEquals(List.of(ROOT), recovered.filesystems().value());
        }
    }

    @Test
    void countersAreASectionOfTheirOwnAndLeftOutBySourcesWithoutThem() {
        NodeFacts.Counters kernel = new NodeFacts.Counters(12.5, 400.0, 1_000_000, 2_000);
        FakeSources withCounters = new FakeSources();
        withCounters.counters = kernel;
        try (FactsGatherer gatherer = new FactsGatherer(withCounters, Duration.ofSeconds(5), Clock.systemUTC(), s -> { });
             FactsGatherer older = new FactsGatherer(new FakeSources(), Duration.ofSeconds(5), Clock.systemUTC(), s -> { })) {
            NodeFacts published = gatherer.gather().forNode("bettley", 1, "t", Instant.now());
            assertFalse(published.counters().stale());
            assertEquals(kernel, published.counters().value());
            assertNull(older.gather().forNode("bettley", 1, "t", Instant.now()).counters(),
                    "no counters read: no section, as from an agent older than it");
        }
    }

    @Test
    void realProcCountersAreReadAndGrow() throws Exception {
        SystemFacts system = new SystemFacts(null, List.of(), null);
        NodeFacts.Counters first = system.counters();
        NodeFacts.Counters second = system.counters();
        assertTrue(first.cpuTotalSeconds() > 0 && first.cpuBusySeconds() <= first.cpuTotalSeconds(), first.toString());
        assertTrue(second.cpuTotalSeconds() >= first.cpuTotalSeconds(), "cumulative: " + first + " then " + second);
        assertTrue(second.networkReceiveBytes() >= first.networkReceiveBytes());
    }

    @Test
    void absentSystemctlMakesUnitsStaleWithTheReason() {
        FakeSources sources = new FakeSources();
        sources.systemctlMissing = true;
        try (FactsGatherer gatherer = new FactsGatherer(sources, Duration.ofSeconds(5), Clock.systemUTC(), s -> { })) {
            CollectedFacts facts = gatherer.gather();
            assertTrue(facts.units().stale());
            assertEquals("systemctl is not installed", facts.units().error());
            assertNull(facts.units().value());
            assertFalse(facts.kernel().stale());
        }
    }

    @Test
    void commandSectionsRunOncePerIntervalAndRepeatTheirLastResultBetween() {
        FakeSources sources = new FakeSources();
        sources.systemctlMissing = true;
        try (FactsGatherer gatherer = new FactsGatherer(sources, Duration.ofSeconds(5), 3, Clock.systemUTC(),
                s -> { })) {
            CollectedFacts first = gatherer.gather();
            assertTrue(first.units().stale());
            sources.systemctlMissing = false;
            CollectedFacts second = gatherer.gather();
            CollectedFacts third = gatherer.gather();
            // Not due: the last result repeats, failure and all, and no process is spawned for it.
            assertEquals(first.units(), second.units());
            assertEquals(first.units(), third.units());
            assertEquals(first.timeSync(), third.timeSync());
            assertEquals(1, sources.unitsCalls.get());
            assertEquals(1, sources.timeSyncCalls.get());
            assertEquals(3, sources.filesystemCalls.get(), "the /proc and statfs sections run every round");

            sources.kubelet = "failed";
            CollectedFacts fourth = gatherer.gather();
            assertFalse(fourth.units().stale());
            assertEquals(Map.of("kubelet.service", "failed"), fourth.units().value());
            assertEquals(2, sources.unitsCalls.get());
            assertEquals(2, sources.timeSyncCalls.get());
        }
    }

    private static CollectedFacts awaitFreshFilesystems(FactsGatherer gatherer) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        CollectedFacts facts = gatherer.gather();
        while (facts.filesystems().stale() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            facts = gatherer.gather();
        }
        assertFalse(facts.filesystems().stale(), facts.filesystems().error());
        return facts;
    }

    private static void assertFresh(CollectedFacts facts) {
        assertFalse(facts.host().stale());
        assertFalse(facts.network().stale());
        assertFalse(facts.thermal().stale());
        assertFalse(facts.load().stale());
        assertFalse(facts.memory().stale());
        assertFalse(facts.timeSync().stale());
        assertFalse(facts.units().stale());
        assertFalse(facts.kernel().stale());
        assertEquals("eth0", facts.network().value().defaultRouteNic());
    }
}
