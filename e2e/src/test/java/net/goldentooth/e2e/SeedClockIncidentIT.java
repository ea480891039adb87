package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
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
import org.junit.jupiter.api.Test;

/**
 * The seed's clock incident (~L8420: the nodes' clocks were 8 days off, with no NTP), end to end:
 * the packaged agent runs under libfaketime (Debian's {@code faketime}) 8 days behind, beside a
 * real broker and the packaged monitor. The node is up (no NodeDown), ClockSkew fires naming the
 * skew, the runbook's fix runs on it as a signed {@code command_root} task, and the alert clears
 * once the clock is right.
 *
 * <p>The fix: the runbook runs {@code timedatectl set-ntp true}. This machine's clock is not the
 * agent's to change and there is no systemd here, so the task does the equivalent for the process
 * under test: it sets the clock libfaketime reads (its timestamp file) back to true time. It is a
 * real root task through admission, the ledger and the runner, and the agent's clock really steps.
 */
class SeedClockIncidentIT {

    private static final Path LIBFAKETIME = Path.of("/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1");
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static JsonNode get(ServiceProcess service, String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return EventCodec.mapper().readTree(r.body());
    }

    private static JsonNode alert(ServiceProcess monitor, String name, String node) throws Exception {
        for (JsonNode a : get(monitor, "/alerts")) {
            if (name.equals(a.path("alertName").asText()) && node.equals(a.path("labels").path("node").asText())) {
                return a;
            }
        }
        return null;
    }

    private static JsonNode awaitAlert(ServiceProcess monitor, String name, String node, Predicate<JsonNode> match,
                                       ServiceProcess agent) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = alert(monitor, name, node);
            if (last != null && match.test(last)) {
                return last;
            }
            assertEquals(null, alert(monitor, "NodeDown", node), "a skewed node is up");
            Thread.sleep(500);
        }
        throw new AssertionError(name + " on " + node + " never matched (last " + last + ")\nagent:\n" + agent.tail()
                + "\nmonitor:\n" + monitor.tail());
    }

    private static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    /** Every alert.state record so far, read to the end offsets. */
    private static List<AlertState> alertStates(String bootstrap) {
        java.util.Properties p = new java.util.Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        p.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        List<AlertState> states = new java.util.ArrayList<>();
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(p)) {
            var partitions = consumer.partitionsFor(Topics.ALERT_STATE).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(Topics.ALERT_STATE, i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> states.add(EventCodec.decode(r.value(), AlertState.class)));
            }
        }
        return states;
    }

    @Test
    void seedL8420ANodeEightDaysBehindIsUpAlertedOnAndFixedByTheRunbook() throws Exception {
        assertTrue(Files.exists(LIBFAKETIME), LIBFAKETIME + " is missing: apt-get install faketime (.ci/packages/e2e.txt)");
        Path dir = Files.createTempDirectory("seed-clock-incident");
        Path fakeClock = dir.resolve("faketime.rc");
        Files.writeString(fakeClock, "-8d\n");
        TaskSigner signer = new TaskSigner(SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub")));
        String node = "bettley";
        try (KafkaBroker broker = KafkaBroker.start();
             TopicProbe probe = new TopicProbe(broker.bootstrapServers());
             ServiceProcess monitor = ServiceProcess.start("monitor", "monitor-service", Map.of(
                     "kafka.bootstrap.servers", broker.bootstrapServers(),
                     "goldentooth.monitor.evaluation-interval", "1s"), dir);
             ServiceProcess agent = ServiceProcess.start("agent-" + node, "node-agent", List.of("-Xmx128m"), Map.of(
                     "kafka.bootstrap.servers", broker.bootstrapServers(),
                     "goldentooth.agent.node-name", node,
                     "goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString(),
                     "goldentooth.agent.state-dir", dir.resolve("agent-state").toString(),
                     "goldentooth.agent.allow-root", "true",
                     "goldentooth.agent.canary.enabled", "false"), dir, Map.of(
                     "LD_PRELOAD", LIBFAKETIME.toString(),
                     "FAKETIME_TIMESTAMP_FILE", fakeClock.toString(),
                     "FAKETIME_NO_CACHE", "1",
                     "FAKETIME_DONT_FAKE_MONOTONIC", "1"))) {
            // The agent's clock really is 8 days behind: its facts say so.
            NodeFacts facts = EventCodec.decode(last(probe.awaitRecord(Topics.NODE_FACTS, r -> node.equals(r.key()),
                    WAIT)).value(), NodeFacts.class);
            assertTrue(facts.collectedAt().isBefore(Instant.now().minus(Duration.ofDays(7))), "collectedAt "
                    + facts.collectedAt());

            JsonNode skew = awaitAlert(monitor, "ClockSkew", node, a -> "firing".equals(a.path("phase").asText()), agent);
            double offset = skew.path("value").asDouble();
            assertTrue(Math.abs(offset + Duration.ofDays(8).toSeconds()) < 60, "the alert names the skew: " + skew);
            assertTrue(skew.path("annotations").path("summary").asText().contains("-691"), skew.toString());
            assertEquals(false, skew.path("inhibited").asBoolean());

            // The runbook's fix, as command_root: on the node's own clock this task is 8 days in the
            // future ("not-yet-valid" before issue 16); on bus time it is fresh.
            Instant now = Instant.now();
            Task fix = new Task("job-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), node,
                    new TaskSpec("echo '+0' > " + fakeClock, null, true, 30_000, 1 << 16), now.minusSeconds(1),
                    now.plus(Duration.ofMinutes(5)));
            probe.send(Topics.JOB_TASKS, node, signer.sign(fix));
            JobProgress finished = EventCodec.decode(last(probe.awaitRecord(Topics.JOB_PROGRESS, r -> {
                JobProgress p = EventCodec.decode(r.value(), JobProgress.class);
                return fix.taskId().equals(p.taskId())
                        && (p.kind() == ProgressKind.FINISHED || p.kind() == ProgressKind.REJECTED);
            }, WAIT)).value(), JobProgress.class);
            assertEquals(ProgressKind.FINISHED, finished.kind(), "the fix ran: " + finished);
            assertEquals(0, finished.exitCode());

            awaitAlert(monitor, "ClockSkew", node, a -> "resolved".equals(a.path("phase").asText()), agent);
            List<AlertState> states = alertStates(broker.bootstrapServers());
            assertEquals(List.of(), states.stream().filter(s -> s.alertName().equals("NodeDown")
                    && node.equals(s.labels().get("node"))).toList(), "the skewed node was never down");
            assertTrue(states.stream().anyMatch(s -> s.alertName().equals("ClockSkew") && s.phase() == AlertPhase.FIRING),
                    states.toString());
        }
    }
}
