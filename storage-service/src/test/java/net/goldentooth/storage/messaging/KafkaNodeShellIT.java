package net.goldentooth.storage.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.Test;

/**
 * The production shell on the real broker, with a stand-in provisioner in the test: it reads
 * job.requested and answers on job.status as the provisioner does (a running record, then the
 * terminal one, plus another job's record that must be ignored).
 */
class KafkaNodeShellIT {

    @Test
    void commandsTravelAsRootJobsAndResultsAreMatchedByIdempotencyKey() throws Exception {
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        List<JobRequest> seen = new CopyOnWriteArrayList<>();
        try (TopicProbe probe = new TopicProbe(bootstrap);
             EventPublisher publisher = new EventPublisher(bootstrap, "//storage-test", Clock.systemUTC());
             ConsumerLoop<JobRequest> provisioner = ConsumerLoop.builder(bootstrap, Topics.JOB_REQUESTED, JobRequest.class)
                     .clientId("fake-provisioner")
                     .assign(IntStream.range(0, 3).boxed().toList())
                     .start(ConsumerLoop.Start.LATEST)
                     .deadLetters(publisher, (topic, reason) -> { })
                     .handler(d -> {
                         JobRequest r = d.event();
                         seen.add(r);
                         String id = "job-" + seen.size();
                         boolean reject = r.command().contains("reject-me");
                         probe.send(Topics.JOB_STATUS, "other", status("other", new JobRequest("not-ours", JobKind.COMMAND,
                                 r.pattern(), "x", null, null, null, false, null), JobState.SUCCEEDED, r.pattern(),
                                 TargetState.SUCCEEDED, 0, "wrong job"));
                         probe.send(Topics.JOB_STATUS, id, status(id, r, JobState.RUNNING, r.pattern(), TargetState.RUNNING,
                                 null, ""));
                         probe.send(Topics.JOB_STATUS, id, reject
                                 ? status(id, r, JobState.FAILED, r.pattern(), TargetState.REJECTED, null, "")
                                 : status(id, r, JobState.FAILED, r.pattern(), TargetState.FAILED, 1, "NAME\nrpool/data\n"));
                     })
                     .start();
             KafkaNodeShell shell = new KafkaNodeShell(bootstrap, publisher, Duration.ofSeconds(30))) {
            assertTrue(provisioner.awaitAssignment(Duration.ofSeconds(30)));

            ShellResult result = shell.run("allyrion", "zfs list -H -o name", null);

            assertEquals(1, result.exitCode(), "a non-zero exit is a result, not an exception");
            assertEquals("NAME\nrpool/data\n", result.stdout());
            JobRequest request = seen.get(0);
            assertEquals(JobKind.COMMAND_ROOT, request.kind());
            assertEquals("allyrion", request.pattern());
            assertEquals("zfs list -H -o name", request.command());
            assertTrue(request.idempotencyKey().startsWith("storage-"));
            assertEquals("storage-service", request.requestedBy());

            NodeShellException rejected = assertThrows(NodeShellException.class,
                    () -> shell.run("gardener", "reject-me", null));
            assertFalse(rejected.retryable());
            assertTrue(rejected.getMessage().contains("rejected"), rejected.getMessage());
        }
    }

    static JobStatus status(String id, JobRequest request, JobState state, String node, TargetState target,
                            Integer exit, String stdout) {
        Instant now = Instant.now();
        return new JobStatus(id, request, state, now, now, now.plusSeconds(60), Map.of(node,
                new TargetStatus(node, target, "t-" + id, "agent", exit, 5L,
                        target == TargetState.REJECTED ? "command_root is not allowed on this agent" : null,
                        stdout, "", false, now, 3L)), 1);
    }
}
