package net.goldentooth.provisioner.ansible;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * Playbook jobs end to end: the real {@code ansible-playbook} from Debian (package {@code ansible})
 * against this machine over {@code ansible_connection=local} and against a real OpenSSH sshd over
 * ssh with a user certificate (see {@link PlaybookTestResource}), the provisioner on the real broker,
 * its progress folded from {@code job.progress} like an agent's.
 */
@QuarkusTest
@TestProfile(PlaybookIT.OwnResources.class)
class PlaybookIT {

    /** Only the broker and this test's resource: other tests' global resources set another inventory. */
    public static class OwnResources implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(KafkaBrokerResource.class),
                    new TestResourceEntry(PlaybookTestResource.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(120);

    @Test
    void listsThePlaybooks() {
        given().get("/playbooks").then().statusCode(200)
                .body("playbooks", hasItems("setup_chatty", "setup_fails_partway", "setup_ok"));
    }

    @Test
    void aPlaybookRunsAsAJobWithItsOutputAndExitStatus() throws Exception {
        requireAnsible();
        String id = start("setup_ok", "{\"limit\":\"local\",\"extraVars\":[\"greeting=the provisioner\"]}");
        JobStatus status = awaitTerminal(id);
        TargetStatus target = status.targets().get(JobValidation.PROVISIONER_TARGET);
        assertEquals(JobState.SUCCEEDED, status.state(), target.stdout() + target.stderr());
        assertEquals(0, target.exitCode());
        assertTrue(target.stdout().contains("\"msg\": \"hello from the provisioner\""), target.stdout());
        assertTrue(target.stdout().contains("PLAY RECAP"), target.stdout());
        assertEquals("local", status.request().pattern());
        assertTrue(Files.readString(PlaybookTestResource.dir.resolve("logs/" + id + ".log"))
                .contains("hello from the provisioner"));
    }

    @Test
    void aPlaybookReachesAnSshHostWithAUserCertificateAndAPinnedHostKey() throws Exception {
        requireAnsible();
        String id = start("setup_ok", "{\"limit\":\"sshnode\",\"extraVars\":[\"greeting=sshd\"]}");
        JobStatus status = awaitTerminal(id);
        TargetStatus target = status.targets().get(JobValidation.PROVISIONER_TARGET);
        assertEquals(JobState.SUCCEEDED, status.state(), target.stdout() + target.stderr());
        assertTrue(target.stdout().contains("\"msg\": \"hello from sshd\""), target.stdout());
        assertTrue(target.stdout().matches("(?s).*sshnode\\s+: ok=2\\s+changed=1\\s+unreachable=0\\s+failed=0.*"),
                target.stdout());
        assertFalse(target.stdout().contains("localhost"), "--limit sshnode: " + target.stdout());
    }

    @Test
    void aPlaybookFailingPartwayFailsTheJobAndKeepsAllItsOutput() throws Exception {
        requireAnsible();
        String id = start("setup_fails_partway", "{}");
        JobStatus status = awaitTerminal(id);
        TargetStatus target = status.targets().get(JobValidation.PROVISIONER_TARGET);
        assertEquals(JobState.FAILED, status.state());
        assertEquals(TargetState.FAILED, target.state());
        assertEquals(2, target.exitCode(), "ansible-playbook's exit status for a failed task");
        assertFalse(target.truncated());
        String log = Files.readString(PlaybookTestResource.dir.resolve("logs/" + id + ".log"));
        assertEquals(log, target.stdout(), "the history holds the whole output");
        assertTrue(log.contains("step one done") && log.contains("FAILED!") && log.contains("failed=1"), log);
        assertFalse(log.contains("step three never runs"));
    }

    @Test
    void outputOverTheCapKeepsHeadAndEndInTheHistoryAndAllInTheLog() throws Exception {
        requireAnsible();
        String id = start("setup_chatty", "{}");
        JobStatus status = awaitTerminal(id);
        TargetStatus target = status.targets().get(JobValidation.PROVISIONER_TARGET);
        assertEquals(JobState.FAILED, status.state());
        assertTrue(target.truncated());
        assertTrue(target.stdout().getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 8192);
        Path log = PlaybookTestResource.dir.resolve("logs/" + id + ".log");
        assertTrue(target.stdout().contains("the full output is in " + log), target.stdout());
        assertTrue(target.stdout().contains("the-last-words") && target.stdout().contains("PLAY RECAP"),
                "the end, with the failure, is kept: " + target.stdout());
        assertTrue(Files.size(log) > 30_000, "the log has everything");
    }

    @Test
    void anUnknownPlaybookIsA400ListingThePlaybooks() {
        given().contentType(ContentType.JSON).body("{}").post("/playbooks/setup_nope").then().statusCode(400)
                .body("error", containsString("unknown playbook 'setup_nope'; playbooks in "))
                .body("hints", hasItems("setup_chatty", "setup_fails_partway", "setup_ok"));
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"playbook\",\"pattern\":\"all\",\"command\":\"setup_nope\"}")
                .post("/jobs").then().statusCode(400)
                .body("error", containsString("unknown playbook 'setup_nope'"));
    }

    @Test
    void badNamesVariablesAndLimitsAre400s() {
        given().contentType(ContentType.JSON)
                .body("{\"kind\":\"playbook\",\"pattern\":\"all\",\"command\":\"setup_../../etc/passwd\"}")
                .post("/jobs").then().statusCode(400).body("error", containsString("is invalid"));
        given().contentType(ContentType.JSON).body("{\"extraVars\":[\"no-equals\"]}")
                .post("/playbooks/setup_ok").then().statusCode(400)
                .body("error", equalTo("extra variable 'no-equals' is not key=value"));
        given().contentType(ContentType.JSON).body("{\"limit\":\"nosuchgroup\"}")
                .post("/playbooks/setup_ok").then().statusCode(400)
                .body("error", containsString("unknown group or host 'nosuchgroup'"));
    }

    private static String start(String playbook, String body) {
        return given().contentType(ContentType.JSON).body(body).post("/playbooks/" + playbook)
                .then().statusCode(201).extract().path("jobId");
    }

    private static JobStatus awaitTerminal(String id) throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        while (Instant.now().isBefore(until)) {
            JobStatus status = EventCodec.decode(given().get("/jobs/" + id).then().statusCode(200).extract()
                    .asByteArray(), JobStatus.class);
            if (status.state().terminal()) {
                return status;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not end within " + WAIT);
    }

    private static void requireAnsible() {
        assertNotNull(findOnPath("ansible-playbook"),
                "ansible-playbook is not installed (apt-get install ansible; .ci/packages/provisioner-ops.txt)");
    }

    private static Path findOnPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }
}
