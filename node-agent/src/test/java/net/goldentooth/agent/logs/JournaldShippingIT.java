package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import net.goldentooth.agent.messaging.AgentSources;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.kafka.KafkaSettings;
import net.goldentooth.testkit.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The journal source against a real systemd-journald (in a namespace, see {@link Journald}) and a
 * real broker of its own, which one test kills and restarts. Each test ships as a node of its own.
 */
class JournaldShippingIT {

    private static KafkaBroker broker;
    private static Journald journald;

    private String node;
    private Path state;
    private final List<Agent> agents = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        journald = Journald.start();
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        if (journald != null) {
            journald.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void node() throws Exception {
        node = "journal-" + UUID.randomUUID().toString().substring(0, 8);
        state = Files.createTempDirectory("journal-state");
    }

    @AfterEach
    void stopAgents() {
        agents.forEach(Agent::stop);
    }

    /** The agent's log side as LogsAgent wires it: its producer, the shipper and the journal source. */
    private final class Agent {
        final EventPublisher publisher = new EventPublisher(broker.bootstrapServers(), AgentSources.of(node),
                Clock.systemUTC(), LogsAgent.PRODUCER_OVERRIDES);
        final LogMetrics metrics = new LogMetrics(null);
        final LogShipper shipper = new LogShipper((key, value) -> publisher.publishRaw(Topics.NODE_LOGS, key, value,
                CloudEventHeaders.forEvent(Topics.NODE_LOGS, AgentSources.of(node), Clock.systemUTC().instant())),
                LineFilter.of(List.of(), 7), new RateLimit(100_000, 100_000, System.nanoTime()), 1 << 20, metrics,
                System::nanoTime);
        final JournalSource journal;
        final Thread thread;
        boolean stopped;

        Agent(int initialLines) throws Exception {
            journal = new JournalSource(node, journald.journalctl(), initialLines, state.resolve("journal.cursor"),
                    16384, shipper, metrics);
            thread = new Thread(journal, "journal-it");
            thread.start();
            agents.add(this);
        }

        /** LogsAgent's stop: end journalctl, deliver what was read (bounded), save the acknowledged cursor. */
        void stop() {
            if (stopped) {
                return;
            }
            stopped = true;
            journal.stop();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            shipper.closing();
            publisher.close(Duration.ofSeconds(5));
            try {
                journal.savePosition();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    /** Every line of this test's node on node.logs, waiting until {@code done} holds or 60 s pass. */
    private List<LogEntry> shipped(java.util.function.Predicate<List<LogEntry>> done) {
        List<LogEntry> lines = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(KafkaSettings.consumer(broker.bootstrapServers(),
                null, "journal-it-" + UUID.randomUUID()))) {
            int partitions = consumer.partitionsFor(Topics.NODE_LOGS).size();
            TopicPartition partition = new TopicPartition(Topics.NODE_LOGS,
                    net.goldentooth.events.NodeRouting.partitionFor(node, partitions));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!done.test(lines) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (node.equals(record.key())) {
                        lines.add(EventCodec.decode(record.value(), LogEntry.class));
                    }
                }
            }
        }
        return lines;
    }

    private static Set<String> messages(List<LogEntry> lines) {
        Set<String> messages = new HashSet<>();
        lines.forEach(l -> messages.add(l.message()));
        return messages;
    }

    private static List<String> numbered(String tag, int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> tag + " line " + i).toList();
    }

    @Test
    void journalLinesReachTheBusWithTheirFieldsAndTheCursorIsSaved() throws Exception {
        String tag = node + " undervoltage";
        new Agent(0);
        Thread.sleep(500);
        journald.log("kernel", "kern.crit", List.of("hwmon hwmon1: Undervoltage detected! " + tag));
        journald.log("it-binary", "user.warning", ("bad bytes \u0001\u0002 " + tag).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<LogEntry> lines = shipped(l -> l.size() >= 2);
        assertEquals(2, lines.size(), "shipped: " + lines);
        LogEntry undervoltage = lines.get(0);
        assertEquals("hwmon hwmon1: Undervoltage detected! " + tag, undervoltage.message());
        assertEquals("kernel", undervoltage.identifier());
        assertEquals(2, undervoltage.priority());
        assertEquals(node, undervoltage.node());
        assertEquals(LogEntry.JOURNAL, undervoltage.source());
        assertTrue(undervoltage.bootId() != null && undervoltage.monotonicUs() != null && undervoltage.time() != null);
        assertTrue(undervoltage.cursor().contains(";i="), undervoltage.cursor());
        LogEntry binary = lines.get(1);
        assertEquals(Boolean.TRUE, binary.binary(), "control characters make journalctl write the bytes: " + binary);
        assertEquals("bad bytes \u0001\u0002 " + tag, binary.message());
        agents.get(0).stop();
        assertEquals(binary.cursor(), Files.readString(state.resolve("journal.cursor")).trim());
    }

    @Test
    void nothingIsLostOrSentTwiceAcrossAnAgentRestart() throws Exception {
        String tag = node;
        Agent first = new Agent(0);
        Thread.sleep(500);
        journald.log("it-restart", "user.info", numbered(tag, 0, 500));
        shipped(l -> l.size() >= 500);
        first.stop();
        journald.log("it-restart", "user.info", numbered(tag, 500, 1000));
        new Agent(0);
        List<LogEntry> lines = shipped(l -> l.size() >= 1000);
        assertEquals(new HashSet<>(numbered(tag, 0, 1000)), messages(lines));
        assertEquals(1000, lines.size(), "a clean restart sends nothing twice");
    }

    @Test
    void nothingIsLostAcrossABrokerRestartAndDuplicatesAreBounded() throws Exception {
        String tag = node;
        new Agent(0);
        Thread.sleep(500);
        journald.log("it-broker", "user.info", numbered(tag, 0, 1000));
        broker.killAndRestart();
        journald.log("it-broker", "user.info", numbered(tag, 1000, 2000));
        List<LogEntry> lines = shipped(l -> messages(l).size() >= 2000);
        assertEquals(new HashSet<>(numbered(tag, 0, 2000)), messages(lines));
        Map<String, Integer> copies = new HashMap<>();
        lines.forEach(l -> copies.merge(l.cursor(), 1, Integer::sum));
        assertTrue(lines.size() - copies.size() <= 1000, "duplicates: " + (lines.size() - copies.size()));
    }

    @Test
    void aCursorJournalctlRefusesIsCountedAndShippingGoesOn() throws Exception {
        Files.writeString(state.resolve("journal.cursor"), "not-a-cursor\n");
        Agent agent = new Agent(0);
        Thread.sleep(1500);
        journald.log("it-cursor", "user.info", List.of(node + " after the reset"));
        List<LogEntry> lines = shipped(l -> messages(l).contains(node + " after the reset"));
        assertTrue(messages(lines).contains(node + " after the reset"), "shipped: " + lines);
        assertEquals(1, agent.metrics.anomalies("cursor-reset"));
    }

    @Test
    void linesVacuumedWhileTheAgentWasAwayAreCountedAndShippingGoesOn() throws Exception {
        Agent first = new Agent(0);
        Thread.sleep(500);
        journald.log("it-vacuum", "user.info", numbered(node + " before", 0, 20));
        shipped(l -> l.size() >= 20);
        first.stop();
        journald.log("it-vacuum", "user.info", numbered(node + " lost", 0, 50));
        journald.rotate();
        journald.log("it-vacuum", "user.info", numbered(node + " after", 0, 10));
        journald.vacuumToOneFile();
        Agent second = new Agent(0);
        List<LogEntry> lines = shipped(l -> messages(l).containsAll(numbered(node + " after", 0, 10)));
        assertTrue(messages(lines).containsAll(numbered(node + " after", 0, 10)), "shipped: " + messages(lines));
        long gap = second.metrics.anomalies("journal-gap");
        long reset = second.metrics.anomalies("cursor-reset");
        assertTrue(gap >= 50 || reset == 1, "the lost lines are counted: journal-gap " + gap + ", cursor-reset " + reset);
    }

    @Test
    void aJournalRotatedAndVacuumedUnderTheReaderLosesNothing() throws Exception {
        Agent agent = new Agent(0);
        Thread.sleep(500);
        journald.log("it-rotate", "user.info", numbered(node, 0, 300));
        journald.rotate();
        journald.log("it-rotate", "user.info", numbered(node, 300, 600));
        // The files journalctl is reading are deleted while it reads them: it keeps what it has open.
        journald.vacuumToOneFile();
        journald.log("it-rotate", "user.info", numbered(node, 600, 900));
        // journald says what it did in lines of its own (e.g. "Runtime Journal ... is 16.0M"): only the test's count.
        java.util.function.Function<List<LogEntry>, List<LogEntry>> ours =
                l -> l.stream().filter(e -> "it-rotate".equals(e.identifier())).toList();
        List<LogEntry> lines = ours.apply(shipped(l -> messages(ours.apply(l)).size() >= 900));
        assertEquals(new HashSet<>(numbered(node, 0, 900)), messages(lines));
        assertEquals(900, lines.size(), "nothing twice");
        assertEquals(0, agent.metrics.anomalies("journal-gap") + agent.metrics.anomalies("cursor-reset"),
                "no loss to count");
    }
}
