package net.goldentooth.provisioner.ssh;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * The provisioner service with the real broker and real sshd hosts ({@link SshTestResource}): a job
 * that allows SSH runs on nodes without agents through the same job path (POST /jobs, fold of
 * {@code job.progress}, {@code job.status}), and bootstrap installs an agent's files, configuration
 * and service, and changes nothing the second time.
 */
@QuarkusTest
@TestProfile(SshJobsIT.OnlySshResources.class)
class SshJobsIT {

    /** Only the broker and the sshd hosts: other tests' global resources set another inventory. */
    public static class OnlySshResources implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(KafkaBrokerResource.class), new TestResourceEntry(SshTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void agentlessTargetsRunOverSshWithPerTargetOutcomes() throws Exception {
        JobStatus created = post(new JobRequest(null, JobKind.COMMAND, "alpha,beta,down",
                "echo hello from $SSH_CONNECTION | cut -d' ' -f1-3; exit 0", null, 30, null, true, "it"));
        JobStatus done = await(created.jobId(), s -> s.state().terminal()
                && s.targets().get("down").state() == TargetState.UNREACHABLE);
        assertEquals(JobState.FAILED, done.state());
        for (String node : Set.of("alpha", "beta")) {
            TargetStatus t = done.targets().get(node);
            assertEquals(TargetState.SUCCEEDED, t.state(), t.toString());
            assertEquals("ssh", t.via());
            assertTrue(t.stdout().startsWith("hello from 127.0.0.1"), t.stdout());
        }
        TargetStatus down = done.targets().get("down");
        assertEquals("ssh", down.via());
        assertTrue(down.reason().contains("connection refused"), down.reason());
    }

    @Test
    void withoutTheSshFallbackAnAgentlessNodeIsUnreachableAfterTheAcceptDeadline() throws Exception {
        JobStatus created = post(new JobRequest(null, JobKind.COMMAND, "alpha", "true", null, 30, null, false, "it"));
        JobStatus done = await(created.jobId(), s -> s.state().terminal());
        TargetStatus alpha = done.targets().get("alpha");
        assertEquals(TargetState.UNREACHABLE, alpha.state());
        assertEquals("agent", alpha.via());
    }

    @Test
    void bootstrapInstallsOnceAndASecondRunChangesNothing() throws Exception {
        JobStatus first = await(post(bootstrap()).jobId(), s -> s.state().terminal());
        TargetStatus gamma = first.targets().get("gamma");
        assertEquals(TargetState.SUCCEEDED, gamma.state(), gamma.toString());
        assertEquals("ssh", gamma.via());
        assertTrue(gamma.stdout().contains("agent files: 3 of 3 changed"), gamma.stdout());
        assertTrue(gamma.stdout().contains("configuration: wrote node-agent.properties, task-signing.pub, enrolment-token"),
                gamma.stdout());
        assertTrue(gamma.stdout().contains("service: started"), gamma.stdout());

        Path remote = SshTestResource.remote;
        assertEquals("b\n", Files.readString(remote.resolve("opt/node-agent/lib/b.jar")));
        String properties = Files.readString(remote.resolve("etc/node-agent.properties"));
        assertTrue(properties.contains("goldentooth.agent.node-name=gamma\n"), properties);
        assertTrue(properties.contains("kafka.bootstrap.servers=10.4.0.10:9092\n"), properties);
        assertEquals(Files.readString(SshTestResource.dir.resolve("task-signing.pub")),
                Files.readString(remote.resolve("etc/task-signing.pub")));
        Path token = remote.resolve("etc/enrolment-token");
        assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(token)));
        assertEquals(3, Files.readString(token).strip().split("\\.").length, "a signed token: claims.signature.key");
        try (var files = Files.walk(remote)) {
            assertTrue(files.noneMatch(p -> p.toString().endsWith(".goldentooth-tmp")), "no temporary file left");
        }
        assertTrue(Files.readString(SshTestResource.knownHosts).contains("[127.0.0.1]:20013"),
                "gamma's key recorded at first contact");

        String tokenBefore = Files.readString(token);
        JobStatus second = await(post(bootstrap()).jobId(), s -> s.state().terminal());
        TargetStatus again = second.targets().get("gamma");
        assertEquals(TargetState.SUCCEEDED, again.state(), again.toString());
        assertTrue(again.stdout().contains("agent files: unchanged (3 files"), again.stdout());
        assertTrue(again.stdout().contains("configuration: unchanged"), again.stdout());
        assertTrue(again.stdout().contains("service: running, unchanged"), again.stdout());
        assertEquals(tokenBefore, Files.readString(token));
        assertEquals("start\n", Files.readString(remote.resolve("service.log")), "started once, never restarted");

        // A changed artifact is uploaded again and the running service restarted.
        Files.writeString(SshTestResource.artifact.resolve("lib/b.jar"), "b, version 2\n");
        TargetStatus third = await(post(bootstrap()).jobId(), s -> s.state().terminal()).targets().get("gamma");
        assertTrue(third.stdout().contains("agent files: 1 of 3 changed"), third.stdout());
        assertTrue(third.stdout().contains("service: restarted"), third.stdout());
        assertEquals("start\nrestart\n", Files.readString(remote.resolve("service.log")));
    }

    private static JobRequest bootstrap() {
        return new JobRequest(null, JobKind.BOOTSTRAP, "gamma", null, null, 60, null, false, "it");
    }

    private static JobStatus post(JobRequest request) {
        String json = given().contentType(ContentType.JSON).body(EventCodec.encodeToString(request))
                .when().post("/jobs").then().statusCode(201).extract().asString();
        return EventCodec.decode(json, JobStatus.class);
    }

    private static JobStatus get(String jobId) {
        return EventCodec.decode(given().get("/jobs/" + jobId).then().statusCode(200).extract().asString(),
                JobStatus.class);
    }

    private static JobStatus await(String jobId, Predicate<JobStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JobStatus last = get(jobId);
        while (!condition.test(last) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            last = get(jobId);
        }
        assertTrue(condition.test(last), "job did not reach the expected state: " + EventCodec.encodeToString(last));
        return last;
    }
}
