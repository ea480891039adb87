package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.testkit.KafkaCluster;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Broker failover on a replicated bus, every part real: three KRaft brokers (testkit's
 * {@link KafkaCluster}: each a voter and a broker, topics with three replicas and
 * {@code min.insync.replicas} 2), the provisioner and an agent process hosting {@code alpha} and
 * {@code beta}, on loopback ports in 25000-25999. One job streams numbered lines while the leader
 * of its {@code job.progress} partition is killed with SIGKILL, and later the leader of the
 * {@code job.tasks} partition of {@code alpha}: with two of three brokers down no write is
 * acknowledged, and everything resumes when one comes back.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BrokerFailoverIT {

    private static final int LINES = 90;
    private static final double PAUSE = 0.4;
    /** A topic of the test's own, replicated as the catalogue's are, to probe writes directly. */
    private static final String PROBE = "e2e.failover-probe";

    private KafkaCluster brokers;
    private LocalCluster cluster;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        brokers = KafkaCluster.start(3, Http::freePortInRange);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", brokers.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(PROBE, 1, (short) 3)
                    .configs(Map.of("min.insync.replicas", "2")))).all().get(30, TimeUnit.SECONDS);
        }
        dir = Files.createTempDirectory("e2e-broker-failover");
        cluster = LocalCluster.builder(brokers.bootstrapServers(), List.of("alpha", "beta"))
                .provisioner(Map.of("goldentooth.provisioner.accept-deadline", "20s",
                        ServiceFaultsIT.AUTH_OFF, "false"))
                .oneAgentForAll()
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (brokers != null) {
            brokers.close();
        }
    }

    /**
     * Invariants: the job completes with every line of every target once, in order, equal to the
     * topic's chunks; each target ran once (one run marker each, one task id on the topic); while
     * one broker is down writes go on; while two are down no acks=all write is acknowledged and the
     * job's output stands still; once one broker is back everything sent meanwhile arrives.
     */
    @Test
    void leadersKilledMidJobLoseNoResultRunNoTaskTwiceAndTwoDownStopsWrites() throws Exception {
        Path runs = dir.resolve("runs");
        JobStatus job = cluster.submit(new JobRequest(null, JobKind.COMMAND, "alpha,beta",
                "echo run >> " + runs + "; for i in $(seq 1 " + LINES + "); do echo line-$i; sleep " + PAUSE
                        + "; done", null, 150, null, false, "e2e"));
        String jobId = job.jobId();
        int progressPartition = KafkaCluster.partitionFor(jobId, Topics.partitionsOf(Topics.JOB_PROGRESS));
        cluster.awaitJob(jobId, s -> lastLine(s) >= 3, Duration.ofSeconds(60));

        // 1. The leader of the job's progress partition dies: a follower in sync takes over.
        int first = brokers.leaderOf(Topics.JOB_PROGRESS, progressPartition);
        int atKill = lastLine(cluster.job(jobId));
        long killed = System.nanoTime();
        brokers.kill(first);
        JobStatus resumed = cluster.awaitJob(jobId, s -> lastLine(s) >= atKill + 2, Duration.ofSeconds(60));
        long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
        int newLeader = brokers.leaderOf(Topics.JOB_PROGRESS, progressPartition);
        assertNotEquals(first, newLeader, "a surviving replica leads job.progress-" + progressPartition);
        assertFalse(resumed.state().terminal(), "the kill came mid-job: " + resumed.targets());
        probeWrite(Duration.ofSeconds(20));  // one broker down: acks=all writes go on

        // 2. Later another broker: the current leader of alpha's job.tasks partition.
        int tasksPartition = KafkaCluster.partitionFor("alpha", Topics.partitionsOf(Topics.JOB_TASKS));
        int second = brokers.leaderOf(Topics.JOB_TASKS, tasksPartition);
        assertNotEquals(first, second);
        assertTrue(lastLine(cluster.job(jobId)) < LINES - 10, "the second kill must come while the commands run");
        brokers.kill(second);
        // What was acknowledged before the kill is folded once the output has stood still for 2 s
        // (a line comes every 0.4 s while the bus works; under load the fold may lag a little).
        int frozenAt = awaitStill(jobId, Duration.ofSeconds(2), Duration.ofSeconds(20));
        // Two of three down: no write is acknowledged rather than one copy kept.
        ExecutionException refused = assertThrows(ExecutionException.class, () -> probeWrite(Duration.ofSeconds(8)));
        JobStatus during = cluster.job(jobId);
        assertEquals(frozenAt, lastLine(during), "no progress folded while two brokers are down");
        assertFalse(during.state().terminal(), "the job waits for the bus: " + during.targets());

        // 3. The first broker comes back (its log behind): a quorum again, and two replicas in sync.
        long restartAt = System.nanoTime();
        brokers.restart(first);
        cluster.awaitJob(jobId, s -> lastLine(s) > frozenAt, Duration.ofSeconds(90));
        long resumeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt);
        JobStatus done = cluster.awaitJob(jobId, s -> s.state().terminal(), Duration.ofSeconds(90));
        System.out.printf("broker failover: leader %d killed at line %d, progress again after %d ms (new leader %d);"
                        + " broker %d killed too, frozen at line %d (probe refused: %s); broker %d back, progress"
                        + " %d ms after its restart began%n", first, atKill, failoverMs, newLeader, second, frozenAt,
                refused.getCause().getClass().getSimpleName(), first, resumeMs);

        assertEquals(JobState.SUCCEEDED, done.state(), "targets: " + done.targets());
        assertFoldedOnceAndRunOnce(done);
        assertEquals(List.of("run", "run"), Files.readAllLines(runs), "each target's command ran once");
        probeWrite(Duration.ofSeconds(30));
        // The job path works on the reshaped cluster: a new task through job.tasks, its result back.
        JobStatus after = cluster.submit(new JobRequest(null, JobKind.COMMAND, "alpha,beta", "echo again", null, 30,
                null, false, "e2e"));
        JobStatus afterDone = cluster.awaitJob(after.jobId(), s -> s.state().terminal(), Duration.ofSeconds(60));
        assertEquals(JobState.SUCCEEDED, afterDone.state(), "targets: " + afterDone.targets());
    }

    /** One acks=all, idempotent write to the probe topic; fails when not acknowledged within {@code timeout}. */
    private void probeWrite(Duration timeout) throws ExecutionException, InterruptedException {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, brokers.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.min(timeout.toMillis(), 5_000)));
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            producer.send(new ProducerRecord<>(PROBE, "probe", "at " + System.currentTimeMillis())).get();
        } catch (org.apache.kafka.common.KafkaException e) {
            // max.block.ms spent on metadata: refused as surely as a failed send
            throw new ExecutionException(e);
        }
    }

    /** The job's last line once it has not changed for {@code still}, or when {@code limit} has passed. */
    private int awaitStill(String jobId, Duration still, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        int last = lastLine(cluster.job(jobId));
        long since = System.nanoTime();
        while (System.nanoTime() < end && System.nanoTime() - since < still.toNanos()) {
            ServiceProcess.sleep(200);
            int now = lastLine(cluster.job(jobId));
            if (now != last) {
                last = now;
                since = System.nanoTime();
            }
        }
        return last;
    }

    private static final Pattern LINE = Pattern.compile("line-(\\d+)\n");

    /** The lowest, over both targets, of the highest line folded so far (0 before any). */
    private static int lastLine(JobStatus status) {
        int lowest = Integer.MAX_VALUE;
        for (String node : List.of("alpha", "beta")) {
            TargetStatus target = status.targets().get(node);
            int highest = 0;
            if (target != null && target.stdout() != null) {
                Matcher m = LINE.matcher(target.stdout());
                while (m.find()) {
                    highest = Math.max(highest, Integer.parseInt(m.group(1)));
                }
            }
            lowest = Math.min(lowest, highest);
        }
        return lowest;
    }

    private void assertFoldedOnceAndRunOnce(JobStatus done) {
        Map<String, TreeMap<Long, JobProgress>> byTask = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(brokers.bootstrapServers(), Topics.JOB_PROGRESS)) {
            if (done.jobId().equals(record.key())) {
                JobProgress progress = EventCodec.decode(record.value(), JobProgress.class);
                byTask.computeIfAbsent(progress.taskId(), t -> new TreeMap<>()).put(progress.seq(), progress);
                copies.merge(progress.taskId() + "#" + progress.seq(), 1, Integer::sum);
            }
        }
        assertTrue(copies.values().stream().allMatch(n -> n == 1), "each progress record once on the topic: " + copies);
        assertEquals(done.targets().values().stream().map(TargetStatus::taskId).collect(Collectors.toSet()),
                byTask.keySet(), "one task per target, none re-sent under a new id");
        String expected = IntStream.rangeClosed(1, LINES).mapToObj(i -> "line-" + i + "\n")
                .collect(Collectors.joining());
        for (TargetStatus target : done.targets().values()) {
            assertEquals(TargetState.SUCCEEDED, target.state(), target.node());
            assertEquals(expected, target.stdout(), target.node() + ": every line once, in order");
            TreeMap<Long, JobProgress> records = byTask.get(target.taskId());
            assertNotNull(records, "progress of " + target.node() + " on the topic");
            assertEquals(records.lastKey(), target.lastSeq(), target.node() + ": folded up to the last record");
            assertEquals(records.size(), records.lastKey() + 1, target.node() + ": no gap in seq on the topic");
            assertEquals(1, records.values().stream().filter(p -> p.kind() == ProgressKind.STARTED).count(),
                    target.node() + ": started once");
            assertEquals(records.values().stream()
                            .filter(p -> p.kind() == ProgressKind.OUTPUT && "stdout".equals(p.stream()))
                            .map(JobProgress::data).collect(Collectors.joining()), target.stdout(),
                    target.node() + ": stdout is the topic's chunks, once each");
        }
        assertEquals(Set.of("alpha", "beta"), done.targets().keySet());
    }
}
