package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Faults of the services and of the broker, every part real: a private KRaft broker (on ports of
 * 25000-25999, so it can come back on the same port and log directory), the services' packaged
 * fast-jars as their own JVMs, killed with SIGKILL. Each test names its invariant. Agent faults
 * (kill, network cut) are in {@code AgentFaultsIT}; a provisioner killed while targets run is in
 * {@link JobPathFaultsIT}, which this class extends with a kill while output streams in.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServiceFaultsIT {

    private static final int LINES = 40;
    /** REST authentication is another suite's subject; these tests call the APIs without tokens. */
    static final String AUTH_OFF = "goldentooth.auth.enabled";

    private KafkaBroker broker;
    private LocalCluster cluster;

    @BeforeAll
    void startBrokerAndCluster() {
        broker = KafkaBroker.start(Http.freePortInRange(), Http.freePortInRange());
        cluster = LocalCluster.builder(broker.bootstrapServers(), List.of("alpha", "beta"))
                .provisioner(Map.of("goldentooth.provisioner.accept-deadline", "20s", AUTH_OFF, "false"))
                .oneAgentForAll()
                .start();
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Invariant: a provisioner killed while output streams in, and restarted at once, resumes the
     * job from {@code job.status} and re-reads its uncommitted {@code job.progress}; every
     * progress record the agent sent is folded exactly once — the target's {@code lastSeq} is the
     * highest seq on the topic and its stdout is the topic's OUTPUT chunks, in seq order, once.
     */
    @Test
    void provisionerKilledWhileOutputStreamsFoldsEveryProgressRecordExactlyOnce() {
        JobStatus job = cluster.submit(numberedLines("alpha,beta", 0.15));
        cluster.awaitJob(job.jobId(), s -> output(s, "alpha").contains("line-5\n")
                && output(s, "beta").contains("line-5\n"), Duration.ofSeconds(60));

        cluster.provisioner().kill();
        cluster.provisioner().restart();

        JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofSeconds(90));
        assertEquals(JobState.SUCCEEDED, done.state(), "targets: " + done.targets());
        assertProgressFoldedExactlyOnce(done);
    }

    /**
     * Invariant: with producers at acks=all and idempotence on, a broker killed with SIGKILL
     * mid-job and restarted on the same port and log directory loses no result: the job
     * completes and every target's output is whole, once, and equal to what is on
     * {@code job.progress}.
     */
    @Test
    void brokerKilledAndRestartedMidJobLosesNoResult() {
        JobStatus job = cluster.submit(numberedLines("alpha,beta", 0.25));
        cluster.awaitJob(job.jobId(), s -> output(s, "alpha").contains("line-3\n")
                && output(s, "beta").contains("line-3\n"), Duration.ofSeconds(60));

        broker.killAndRestart();

        JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofSeconds(150));
        assertEquals(JobState.SUCCEEDED, done.state(), "targets: " + done.targets());
        assertProgressFoldedExactlyOnce(done);
        // The job path works on the restarted broker, not only for the job that spanned it.
        JobStatus after = cluster.submit(new JobRequest(null, JobKind.COMMAND, "alpha,beta", "echo again", null, 30,
                null, false, "e2e"));
        JobStatus afterDone = cluster.awaitJob(after.jobId(), s -> s.state().terminal(), Duration.ofSeconds(60));
        assertEquals(JobState.SUCCEEDED, afterDone.state(), "targets: " + afterDone.targets());
    }

    /**
     * Invariant: a monitor killed while an alert is pending restores it from {@code alert.state}
     * on restart with the same {@code activeSince}: the {@code for} timer continues from the log,
     * so the alert fires {@code for} after the condition began, not {@code for} after the restart.
     */
    @Test
    void monitorKilledWhileAnAlertIsPendingContinuesItsForTimerFromTheLog() throws Exception {
        Path dir = Files.createTempDirectory("e2e-monitor");
        Duration forDuration = Duration.ofSeconds(20);
        Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - name: E2eLoadHigh
                    condition: {type: metric, metric: load.load1, op: ">=", value: 500}
                    for: 20s
                    severity: warning
                """);
        String node = "hot-" + UUID.randomUUID().toString().substring(0, 6);
        ServiceProcess monitor = ServiceProcess.start("monitor", "monitor-service", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.monitor.extra-rules", dir.resolve("rules.yaml").toString(),
                "goldentooth.monitor.facts-interval", "2s",
                "goldentooth.monitor.evaluation-interval", "1s",
                AUTH_OFF, "false"), dir);
        try (TopicProbe probe = new TopicProbe(broker.bootstrapServers());
             FactsPump pump = new FactsPump(probe, node, 999.0)) {
            JsonNode pending = awaitAlert(monitor, node, "pending", Duration.ofSeconds(60));
            Instant activeSince = Instant.parse(pending.get("activeSince").asText());
            // The REST table shows an evaluation before its states are acknowledged on alert.state;
            // the kill must come after the record the restart reads (CI once killed in between).
            String fingerprint = pending.get("fingerprint").asText();
            probe.awaitRecord(Topics.ALERT_STATE, r -> fingerprint.equals(r.key())
                    && EventCodec.decode(r.value(), AlertState.class).phase() == AlertPhase.PENDING, Duration.ofSeconds(30));

            monitor.kill();
            ServiceProcess.sleep(3_000);
            monitor.restart();
            Instant restartedAt = Instant.now();

            JsonNode restored = alertOf(monitor, node);
            assertNotNull(restored, "the pending alert is listed at once after the restart");
            assertEquals(activeSince, Instant.parse(restored.get("activeSince").asText()),
                    "activeSince restored from alert.state, not reset: " + restored);

            JsonNode firing = awaitAlert(monitor, node, "firing", Duration.ofSeconds(90));
            Instant firedAt = Instant.parse(firing.get("firedAt").asText());
            assertEquals(activeSince, Instant.parse(firing.get("activeSince").asText()));
            assertFalse(firedAt.isBefore(activeSince.plus(forDuration)), "never fires before its for: " + firing);
            assertTrue(firedAt.isBefore(restartedAt.plus(forDuration)),
                    "the for timer ran on from " + activeSince + ", it was not restarted at " + restartedAt
                            + ": " + firing);
            assertTrue(pump.sent() > 0);
        } finally {
            monitor.close();
        }
    }

    /**
     * Invariant: pki-service killed during a renewal wave (one agent, twelve one-minute lineages,
     * so every one is due within seconds of the others) misses nothing: once it is back, every
     * lineage is renewed, the inventory lists each lineage once, with the certificate the agent
     * installed; meanwhile the agent retried each lineage only after its answer timeout plus a
     * growing, jittered backoff, so retries stay spread out rather than arriving in one burst.
     */
    @Test
    void pkiKilledDuringARenewalWaveRenewsEveryLineageOnceBackWithoutAHerd() throws Exception {
        int lineages = 12;
        Duration answerTimeout = Duration.ofSeconds(10);
        Path dir = Files.createTempDirectory("e2e-pki-wave");
        String node = "wave-" + UUID.randomUUID().toString().substring(0, 6);
        SigningKeys.KeyPair signing = SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub"));
        Files.writeString(dir.resolve("inventory.yaml"), "all:\n  hosts:\n    " + node + ":\n      ansible_host: 127.0.0.1\n");
        Files.writeString(dir.resolve("ca-password"), "e2e-" + UUID.randomUUID());
        Files.setPosixFilePermissions(dir.resolve("ca-password"), PosixFilePermissions.fromString("rw-------"));
        StringBuilder tokens = new StringBuilder();
        Instant now = Instant.now();
        for (int i = 0; i < lineages; i++) {
            tokens.append(new EnrolmentToken(UUID.randomUUID().toString(), node, now, now.plus(Duration.ofHours(1)),
                    signing.keyId()).mint(signing.privateKey())).append('\n');
        }
        Files.writeString(dir.resolve("enrolment-tokens"), tokens);

        Map<String, String> pkiProperties = Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.pki.state-dir", dir.resolve("pki").toString(),
                "goldentooth.pki.password-file", dir.resolve("ca-password").toString(),
                "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString(),
                AUTH_OFF, "false");
        Map<String, String> agentProperties = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.agent.node-name", node,
                "goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString(),
                "goldentooth.agent.state-dir", dir.resolve("agent").toString(),
                "goldentooth.agent.enrolment-token-file", dir.resolve("enrolment-tokens").toString(),
                "goldentooth.agent.canary.enabled", "false",
                "goldentooth.agent.renewal.tick", "200ms",
                "goldentooth.agent.renewal.backoff-initial", "2s",
                "goldentooth.agent.renewal.backoff-max", "8s",
                "goldentooth.agent.renewal.answer-timeout", answerTimeout.toSeconds() + "s"));
        List<String> names = IntStream.rangeClosed(1, lineages).mapToObj(i -> String.format("c%02d", i)).toList();
        for (String name : names) {
            String prefix = "goldentooth.agent.certificates." + name + ".";
            agentProperties.put(prefix + "cert-path", dir.resolve("certs/" + name + "/cert.pem").toString());
            agentProperties.put(prefix + "key-path", dir.resolve("certs/" + name + "/key.pem").toString());
            agentProperties.put(prefix + "lifetime", "60s");
            agentProperties.put(prefix + "reload-command", "none");
        }
        ServiceProcess pki = ServiceProcess.start("pki-wave", "pki-service", pkiProperties, dir);
        ServiceProcess agent = null;
        try {
            agent = ServiceProcess.start("agent-wave", "node-agent", agentProperties, dir);
            Map<String, String> enrolled = awaitInventory(pki, node, lineages, Duration.ofSeconds(90));

            pki.kill();
            Instant killedAt = Instant.now();
            // Down until every lineage came due and asked at least twice (its first request timed out).
            awaitRenewRequests(node, killedAt, lineages, 2, Duration.ofSeconds(75));
            Instant restartAt = Instant.now();
            pki.restart();

            Map<String, String> renewed = awaitInventoryMatchesDisk(pki, node, dir, names, enrolled,
                    Duration.ofSeconds(90));
            assertEquals(lineages, renewed.size(), "every lineage renewed: " + renewed);

            JsonNode certs = Http.getJson(pki.baseUrl() + "/certs");
            Map<String, Integer> rows = new TreeMap<>();
            for (JsonNode row : certs) {
                if (node.equals(row.path("node").asText())) {
                    rows.merge(row.get("lineage").asText(), 1, Integer::sum);
                }
            }
            assertEquals(lineages, rows.size(), "inventory rows: " + rows);
            assertTrue(rows.values().stream().allMatch(n -> n == 1), "each lineage listed once: " + rows);

            Map<String, List<Instant>> outage = renewRequests(node, killedAt, restartAt);
            assertEquals(lineages, outage.size(), "every lineage asked while pki was down: " + outage.keySet());
            long outageMs = Duration.between(killedAt, restartAt).toMillis();
            long bound = 1 + outageMs / (answerTimeout.toMillis() + 1_000);
            List<Long> gaps = new ArrayList<>();
            for (Map.Entry<String, List<Instant>> e : outage.entrySet()) {
                List<Instant> times = e.getValue();
                assertTrue(times.size() <= bound, e.getKey() + " asked " + times.size() + " times in " + outageMs
                        + " ms; backoff allows at most " + bound);
                for (int i = 1; i < times.size(); i++) {
                    long gap = Duration.between(times.get(i - 1), times.get(i)).toMillis();
                    gaps.add(gap);
                    assertTrue(gap >= answerTimeout.toMillis(), e.getKey() + " retried after " + gap
                            + " ms, before its answer timeout");
                }
            }
            List<Instant> all = outage.values().stream().flatMap(List::stream).sorted().toList();
            int burst = maxInWindow(all, Duration.ofSeconds(1));
            System.out.printf("pki renewal wave: %d lineages, outage %d ms, %d renew requests during it, "
                    + "retry gaps %s ms, at most %d requests in any 1 s%n",
                    lineages, outageMs, all.size(), gaps.stream().sorted().toList(), burst);
            assertTrue(burst < lineages, "the retries of " + lineages + " lineages arrived in one burst of " + burst);
        } finally {
            if (agent != null) {
                agent.close();
            }
            pki.close();
        }
    }

    // ---- job helpers ----

    private static JobRequest numberedLines(String pattern, double pause) {
        String command = "for i in $(seq 1 " + LINES + "); do echo line-$i; sleep " + pause + "; done";
        return new JobRequest(null, JobKind.COMMAND, pattern, command, null, 90, null, false, "e2e");
    }

    private static String expectedLines() {
        return IntStream.rangeClosed(1, LINES).mapToObj(i -> "line-" + i + "\n").collect(Collectors.joining());
    }

    private static String output(JobStatus status, String node) {
        TargetStatus target = status.targets().get(node);
        return target == null || target.stdout() == null ? "" : target.stdout();
    }

    private void assertProgressFoldedExactlyOnce(JobStatus done) {
        Map<String, TreeMap<Long, JobProgress>> byTask = new HashMap<>();
        Map<String, Integer> copies = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(broker.bootstrapServers(), Topics.JOB_PROGRESS)) {
            if (!done.jobId().equals(record.key())) {
                continue;
            }
            JobProgress progress = EventCodec.decode(record.value(), JobProgress.class);
            byTask.computeIfAbsent(progress.taskId(), t -> new TreeMap<>()).put(progress.seq(), progress);
            copies.merge(progress.taskId() + "#" + progress.seq(), 1, Integer::sum);
        }
        assertTrue(copies.values().stream().allMatch(n -> n == 1),
                "idempotent producers wrote each progress record once: " + copies);
        for (TargetStatus target : done.targets().values()) {
            assertEquals(TargetState.SUCCEEDED, target.state(), target.node());
            assertEquals(expectedLines(), target.stdout(), target.node() + ": every line once, in order");
            TreeMap<Long, JobProgress> records = byTask.get(target.taskId());
            assertNotNull(records, "progress of " + target.node() + " on the topic");
            assertEquals(records.lastKey(), target.lastSeq(), target.node() + ": folded up to the last record");
            assertEquals(records.size(), records.lastKey() + 1, target.node() + ": no gap in seq on the topic");
            String fromTopic = records.values().stream()
                    .filter(p -> p.kind() == ProgressKind.OUTPUT && "stdout".equals(p.stream()))
                    .map(JobProgress::data).collect(Collectors.joining());
            assertEquals(fromTopic, target.stdout(), target.node() + ": stdout is the topic's chunks, once each");
        }
    }

    // ---- monitor helpers ----

    /** Publishes facts for one node every second while open, with the given load. */
    private static final class FactsPump implements AutoCloseable {
        private final Thread thread;
        private volatile boolean running = true;
        private volatile int sent;

        FactsPump(TopicProbe probe, String node, double load1) {
            thread = new Thread(() -> {
                long sequence = 0;
                while (running) {
                    Instant at = Instant.now();
                    probe.send(Topics.NODE_FACTS, node, new NodeFacts(node, at, sequence++, "e2e", null, null, null,
                            NodeFacts.Section.fresh(new NodeFacts.Load(load1, load1, load1, 4), at),
                            null, null, null, null, null, null));
                    sent++;
                    try {
                        Thread.sleep(1_000);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "e2e-facts-" + node);
            thread.setDaemon(true);
            thread.start();
        }

        int sent() {
            return sent;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            thread.interrupt();
            thread.join(5_000);
        }
    }

    private static JsonNode alertOf(ServiceProcess monitor, String node) {
        for (JsonNode alert : Http.getJson(monitor.baseUrl() + "/alerts")) {
            if ("E2eLoadHigh".equals(alert.path("alertName").asText())
                    && node.equals(alert.path("labels").path("node").asText())) {
                return alert;
            }
        }
        return null;
    }

    private static JsonNode awaitAlert(ServiceProcess monitor, String node, String phase, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = alertOf(monitor, node);
            if (last != null && phase.equalsIgnoreCase(last.path("phase").asText())) {
                return last;
            }
            ServiceProcess.sleep(250);
        }
        throw new AssertionError("E2eLoadHigh for " + node + " not " + phase + " within " + timeout + "; last: "
                + last + "\n" + monitor.tail());
    }

    // ---- pki helpers ----

    /** Waits until pki lists {@code count} issued lineages of {@code node}; returns lineage → serial. */
    private static Map<String, String> awaitInventory(ServiceProcess pki, String node, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> serials = Map.of();
        while (System.nanoTime() < deadline) {
            serials = issuedSerials(pki, node);
            if (serials.size() == count) {
                return serials;
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("pki issued " + serials.size() + " of " + count + " lineages within " + timeout
                + "\n" + pki.tail());
    }

    private static Map<String, String> issuedSerials(ServiceProcess pki, String node) {
        Map<String, String> serials = new TreeMap<>();
        for (JsonNode row : Http.getJson(pki.baseUrl() + "/certs")) {
            if (node.equals(row.path("node").asText()) && row.hasNonNull("serial")) {
                serials.put(row.get("lineage").asText(), row.get("serial").asText());
            }
        }
        return serials;
    }

    /**
     * Waits until, for every lineage, the certificate on the agent's disk is a renewal (not the
     * enrolled one) and is the one pki's inventory lists; returns lineage → serial.
     */
    private static Map<String, String> awaitInventoryMatchesDisk(ServiceProcess pki, String node, Path dir,
            List<String> names, Map<String, String> enrolled, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, String> inventory = Map.of();
        Map<String, String> disk = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            inventory = issuedSerials(pki, node);
            disk.clear();
            for (String name : names) {
                disk.put(node + "/" + name, serialOnDisk(dir.resolve("certs/" + name + "/cert.pem")));
            }
            Map<String, String> listed = inventory;
            boolean all = disk.entrySet().stream().allMatch(e -> e.getValue() != null
                    && !e.getValue().equals(enrolled.get(e.getKey())) && e.getValue().equals(listed.get(e.getKey())));
            if (all) {
                return disk;
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("not every lineage renewed and agreed on within " + timeout + ": enrolled "
                + enrolled + ", on disk " + disk + ", inventory " + inventory + "\n" + pki.tail());
    }

    private static String serialOnDisk(Path pem) throws Exception {
        if (!Files.exists(pem)) {
            return null;
        }
        X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(pem)));
        return certificate.getSerialNumber().toString(16);
    }

    private void awaitRenewRequests(String node, Instant since, int lineages, int each, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, List<Instant>> seen = Map.of();
        while (System.nanoTime() < deadline) {
            seen = renewRequests(node, since, Instant.MAX);
            if (seen.size() == lineages && seen.values().stream().allMatch(t -> t.size() >= each)) {
                return;
            }
            ServiceProcess.sleep(1_000);
        }
        throw new AssertionError("renew requests while pki was down: " + seen);
    }

    /** Renew requests of {@code node}'s lineages with broker timestamps in [from, to), per lineage, in order. */
    private Map<String, List<Instant>> renewRequests(String node, Instant from, Instant to) {
        Map<String, List<Instant>> byLineage = new TreeMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(broker.bootstrapServers(),
                Topics.CERT_REQUESTED)) {
            Instant at = Instant.ofEpochMilli(record.timestamp());
            if (!node.equals(record.key()) || at.isBefore(from) || !at.isBefore(to)) {
                continue;
            }
            CertRequest request = EventCodec.decode(record.value(), CertRequest.class);
            if (request.kind() == CertKind.RENEW) {
                byLineage.computeIfAbsent(request.lineage(), l -> new ArrayList<>()).add(at);
            }
        }
        byLineage.values().forEach(list -> list.sort(null));
        return byLineage;
    }

    private static int maxInWindow(List<Instant> sorted, Duration window) {
        int best = 0;
        int start = 0;
        for (int end = 0; end < sorted.size(); end++) {
            while (Duration.between(sorted.get(start), sorted.get(end)).compareTo(window) >= 0) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }
}
