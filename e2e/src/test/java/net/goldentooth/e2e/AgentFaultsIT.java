package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The node agent under faults, every part real: a private KRaft broker (so that cutting its port
 * touches nobody else), the agent's packaged fast-jar as its own JVM, tasks signed by the test as
 * the provisioner signs them, and the commands' effects counted in a file they append to.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AgentFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private KafkaBroker broker;
    private TopicProbe probe;
    private Path dir;
    private TaskSigner signer;

    @BeforeAll
    void start() throws IOException {
        broker = KafkaBroker.start();
        probe = new TopicProbe(broker.bootstrapServers());
        dir = Files.createTempDirectory("goldentooth-agent-faults");
        signer = new TaskSigner(SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub")));
    }

    @AfterAll
    void stop() {
        if (probe != null) {
            probe.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Invariant: after {@code kill -9} and a restart, a task that had started is never run again;
     * a task that was received and queued behind the concurrency limit runs exactly once if still
     * valid, and is reported expired (not run) if its window closed meanwhile; a task sent while
     * the agent was down runs once.
     */
    @Test
    void afterAKillATaskStartedIsNeverRunAgainAndAQueuedOneRunsOnceWhileValid() throws Exception {
        String node = "ledger-fault";
        Path runs = dir.resolve("runs-" + node);
        ServiceProcess agent = agent(node, Map.of("goldentooth.agent.max-concurrent-tasks", "1"));
        try {
            Task done = task(node, "echo done >> " + runs, Duration.ofMinutes(5));
            send(done);
            awaitProgress(done, ProgressKind.FINISHED, agent);

            Task running = task(node, "echo running >> " + runs + "; sleep 30", Duration.ofMinutes(5));
            Task queued = task(node, "echo queued >> " + runs, Duration.ofMinutes(5));
            Task expiring = task(node, "echo expiring >> " + runs, Duration.ofSeconds(15));
            send(running);
            send(queued);
            send(expiring);
            awaitProgress(running, ProgressKind.STARTED, agent);
            awaitProgress(expiring, ProgressKind.ACCEPTED, agent);

            agent.kill();
            Task whileDown = task(node, "echo while-down >> " + runs, Duration.ofMinutes(5));
            send(whileDown);
            // The expiring task's window closes while the agent is dead.
            sleepUntil(expiring.expiresAt().plusSeconds(1));
            agent.restart();

            awaitProgress(queued, ProgressKind.FINISHED, agent);
            awaitProgress(whileDown, ProgressKind.FINISHED, agent);
            JobProgress refused = awaitProgress(expiring, ProgressKind.REJECTED, agent);
            assertTrue(refused.reason().startsWith("expired"), refused.reason());

            Map<String, Long> counts = Files.readAllLines(runs).stream()
                    .collect(Collectors.groupingBy(line -> line, LinkedHashMap::new, Collectors.counting()));
            assertEquals(Map.of("done", 1L, "running", 1L, "queued", 1L, "while-down", 1L), counts,
                    "each valid task exactly once, the started one never again, the expired one never: " + counts);
            assertEquals(1, progressOf(queued).stream().filter(p -> p.kind() == ProgressKind.FINISHED).count());
        } finally {
            agent.close();
        }
    }

    /**
     * Invariant: cut off from the broker (its port dropped on loopback), the agent keeps running its
     * task; after the cut every progress record of the task arrives exactly once and in order, facts
     * resume, and the gap is reported in the facts and on /q/metrics, all without a restart.
     */
    @Test
    void cutOffFromTheBrokerTheAgentKeepsProgressInOrderReportsTheGapAndRecovers() throws Exception {
        String node = "cut-off";
        ServiceProcess agent = agent(node, Map.of(
                "goldentooth.agent.facts-interval", "2s",
                "goldentooth.agent.facts-check-interval", "1s",
                "goldentooth.agent.outbox.gap-threshold", "3s"));
        int port = Integer.parseInt(broker.bootstrapServers().substring(broker.bootstrapServers().lastIndexOf(':') + 1));
        String table = "goldentooth_cut_" + port;
        try {
            Task chatty = task(node, "for i in $(seq 1 12); do echo line-$i; sleep 0.5; done", Duration.ofMinutes(5));
            send(chatty);
            awaitProgress(chatty, ProgressKind.STARTED, agent);

            Instant cutAt = Instant.now();
            nft("add", "table", "inet", table);
            nft("add", "chain", "inet", table, "cut", "{ type filter hook input priority 0; policy accept; }");
            nft("add", "rule", "inet", table, "cut", "iifname", "lo", "tcp", "dport", Integer.toString(port), "drop");
            // The task finishes (6 s of output) while nothing reaches the broker.
            ServiceProcess.sleep(15_000);
            nft("delete", "table", "inet", table);
            Instant restoredAt = Instant.now();

            awaitProgress(chatty, ProgressKind.FINISHED, agent);
            List<JobProgress> progress = progressOf(chatty);
            List<Long> seqs = progress.stream().map(JobProgress::seq).toList();
            List<Long> expected = new ArrayList<>();
            for (long seq = 0; seq < progress.size(); seq++) {
                expected.add(seq);
            }
            assertEquals(expected, seqs, "every progress record once, in order");
            assertEquals(ProgressKind.FINISHED, progress.get(progress.size() - 1).kind());
            String stdout = progress.stream().filter(p -> p.kind() == ProgressKind.OUTPUT)
                    .map(JobProgress::data).collect(Collectors.joining());
            StringBuilder lines = new StringBuilder();
            for (int i = 1; i <= 12; i++) {
                lines.append("line-").append(i).append('\n');
            }
            assertEquals(lines.toString(), stdout, "no output lost or doubled");

            NodeFacts withGap = awaitFacts(node, f -> f.deliveryGap() != null && f.collectedAt().isAfter(restoredAt),
                    agent);
            NodeFacts.DeliveryGap gap = withGap.deliveryGap();
            assertTrue(gap.from().isBefore(restoredAt) && gap.to().isAfter(cutAt), "the gap overlaps the cut: " + gap);
            assertTrue(gap.delayedRecords() > 0, "records waited for the broker: " + gap);
            assertEquals(0, gap.progressDropped(), "nothing dropped within the bound: " + gap);
            assertTrue(agent.isAlive(), "recovered without a restart");
            String metrics = get(agent.baseUrl() + "/q/metrics");
            Matcher gaps = Pattern.compile("(?m)^goldentooth_agent_delivery_gaps_total ([0-9.]+)$").matcher(metrics);
            assertTrue(gaps.find() && Double.parseDouble(gaps.group(1)) >= 1, "the gap is counted: " + metrics);
        } finally {
            nftQuietly("delete", "table", "inet", table);
            agent.close();
        }
    }

    private ServiceProcess agent(String node, Map<String, String> extra) {
        Map<String, String> properties = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.agent.node-name", node,
                "goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString(),
                "goldentooth.agent.state-dir", dir.resolve("agent-" + node).toString(),
                "goldentooth.agent.canary.enabled", "false"));
        properties.putAll(extra);
        return ServiceProcess.start("agent-" + node, "node-agent", List.of("-Xmx128m"), properties, dir);
    }

    private static Task task(String node, String command, Duration validFor) {
        Instant now = Instant.now();
        return new Task("job-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), node,
                new TaskSpec(command, null, false, 120_000, 1 << 16), now.minusSeconds(1), now.plus(validFor));
    }

    private void send(Task task) {
        probe.send(Topics.JOB_TASKS, task.node(), signer.sign(task));
    }

    private JobProgress awaitProgress(Task task, ProgressKind kind, ServiceProcess agent) {
        try {
            ConsumerRecord<String, byte[]> match = last(probe.awaitRecord(Topics.JOB_PROGRESS, r -> {
                JobProgress p = progress(r);
                return p != null && task.taskId().equals(p.taskId()) && p.kind() == kind;
            }, WAIT));
            return EventCodec.decode(match.value(), JobProgress.class);
        } catch (AssertionError e) {
            throw new AssertionError("no " + kind + " for " + task.taskId() + "; agent log:\n" + agent.tail(), e);
        }
    }

    /**
     * Every progress record of the task on the topic, in offset order (one partition: the key is the
     * job id), up to an end marker the test sends after them under the same key.
     */
    private List<JobProgress> progressOf(Task task) {
        String end = "end-" + UUID.randomUUID();
        probe.sendRaw(Topics.JOB_PROGRESS, task.jobId(), end);
        return probe.awaitRecord(Topics.JOB_PROGRESS, r -> end.equals(new String(r.value(), StandardCharsets.UTF_8)),
                        WAIT).stream()
                .filter(r -> task.jobId().equals(r.key()))
                .map(AgentFaultsIT::progress)
                .filter(p -> p != null && task.taskId().equals(p.taskId()))
                .toList();
    }

    /** The record as progress, or null for the test's own end markers. */
    private static JobProgress progress(ConsumerRecord<String, byte[]> record) {
        try {
            return EventCodec.decode(record.value(), JobProgress.class);
        } catch (RuntimeException endMarker) {
            return null;
        }
    }

    private NodeFacts awaitFacts(String node, Predicate<NodeFacts> match, ServiceProcess agent) {
        try {
            return EventCodec.decode(last(probe.awaitRecord(Topics.NODE_FACTS, r -> node.equals(r.key())
                    && match.test(EventCodec.decode(r.value(), NodeFacts.class)), WAIT)).value(), NodeFacts.class);
        } catch (AssertionError e) {
            throw new AssertionError("no matching facts of " + node + "; agent log:\n" + agent.tail(), e);
        }
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    private static void nft(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nft"));
        command.addAll(List.of(args));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("this test needs nft (Debian package nftables) and root: " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (the test needs nftables and root): "
                    + output);
        }
    }

    private static void nftQuietly(String... args) {
        try {
            nft(args);
        } catch (AssertionError | IOException | InterruptedException alreadyGone) {
            // the table was removed on the normal path
        }
    }

    private static void sleepUntil(Instant when) {
        long millis = Duration.between(Instant.now(), when).toMillis();
        if (millis > 0) {
            ServiceProcess.sleep(millis);
        }
    }

    private static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
