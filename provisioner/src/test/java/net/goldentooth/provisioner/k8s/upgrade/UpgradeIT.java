package net.goldentooth.provisioner.k8s.upgrade;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import net.goldentooth.testkit.TopicProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kubeadm upgrade end to end on the real broker: the provisioner plans it, sends each node step
 * as a signed {@code command_root} task, stops at the gate until {@code POST /jobs/{id}/approve}, and
 * drains/uncordons through the Kubernetes API. The agents are simulated in the test (as in
 * ProvisionerIT): a consumer of {@code job.tasks} verifies each task's signature with the
 * provisioner's public key and reports on {@code job.progress}; it fails any command containing
 * {@link #FAILING}. The API server is fabric8's KubernetesMockServer in CRUD mode — a Kubernetes API
 * server cannot run here.
 */
@QuarkusTest
@TestProfile(UpgradeIT.OwnResources.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpgradeIT {

    /** Only the broker, this test's resource and the mock API server: other tests' global resources set another inventory. */
    public static class OwnResources implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(KafkaBrokerResource.class),
                    new TestResourceEntry(UpgradeTestResource.class), new TestResourceEntry(MockApiServerResource.Port21443.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    /** Commands containing this fail on the simulated agents. */
    private static final String FAILING = "kubeadm='1.34.0-*' && apt-mark hold kubeadm && kubeadm upgrade node";
    private static final Duration WAIT = Duration.ofSeconds(90);

    @KubernetesTestServer
    KubernetesServer kubernetes;

    private SimulatedAgents agents;
    private TopicProbe probe;

    @BeforeAll
    void startAgentsAndNodes() throws Exception {
        KubernetesClient client = kubernetes.getClient();
        for (String node : List.of("cp1", "cp2", "w1")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                    .withNewSpec().endSpec().withNewStatus().addNewCondition().withType("Ready").withStatus("True")
                    .withReason("KubeletReady").endCondition().withNewNodeInfo().withKubeletVersion("v1.32.3")
                    .endNodeInfo().endStatus().build()).create();
        }
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        agents = new SimulatedAgents(bootstrap, UpgradeTestResource.publicKey(), c -> c.contains(FAILING));
        probe = new TopicProbe(bootstrap);
    }

    @AfterAll
    void stop() {
        agents.close();
        probe.close();
    }

    @Test
    void theUpgradeStopsAtTheGateAndFinishesAfterApproval() throws Exception {
        String id = startUpgrade("1.33.2");
        JobStatus waiting = await(id, s -> stdout(s).contains("waiting for approval: goldentooth job approve " + id));
        assertTrue(stdout(waiting).contains("3. approval before kubeadm upgrade apply v1.33.2 on cp1"), stdout(waiting));
        List<String> beforeGate = List.copyOf(received(("1.33")));
        assertEquals(4, beforeGate.size(), beforeGate.toString());
        assertTrue(beforeGate.stream().limit(3).allMatch(c -> c.contains("core:/stable:/v1.33/")), beforeGate.toString());
        assertTrue(beforeGate.get(3).startsWith("cp1: ") && beforeGate.get(3).contains("kubeadm upgrade plan v1.33.2"));
        assertFalse(agents.received.stream().anyMatch(c -> c.contains("upgrade apply v1.33.2")), "nothing passes the gate");
        assertEquals(JobState.RUNNING, waiting.state());

        given().post("/jobs/" + id + "/approve").then().statusCode(200);
        JobStatus done = await(id, s -> s.state().terminal());
        assertEquals(JobState.SUCCEEDED, done.state(), stdout(done));

        List<String> all = received("1.33");
        List<String> afterGate = all.subList(4, all.size());
        assertEquals(List.of(
                "cp1: kubeadm upgrade apply v1.33.2 --certificate-renewal=false -y",
                "cp2: kubeadm upgrade node", "cp1: kubelet", "cp2: kubelet", "w1: kubelet"),
                afterGate.stream().map(UpgradeIT::shape).toList());
        for (String node : List.of("cp1", "cp2", "w1")) {
            assertFalse(Boolean.TRUE.equals(kubernetes.getClient().nodes().withName(node).get().getSpec()
                    .getUnschedulable()), node + " is uncordoned after its kubelet step");
        }
        given().post("/jobs/" + id + "/approve").then().statusCode(409)
                .body("error", containsString("is not an upgrade waiting for approval"));
    }

    @Test
    void aFailedStepStopsThePlan() throws Exception {
        String id = startUpgrade("1.34.0");
        await(id, s -> stdout(s).contains("waiting for approval"));
        given().post("/jobs/" + id + "/approve").then().statusCode(200);
        JobStatus done = await(id, s -> s.state().terminal());
        assertEquals(JobState.FAILED, done.state());
        String stderr = done.targets().get(JobValidation.PROVISIONER_TARGET).stderr();
        assertTrue(stderr.contains("upgrade stopped: step 5 (kubeadm upgrade node on control-plane node cp2) failed"),
                stderr);
        assertFalse(received("1.34").stream().anyMatch(c -> c.contains("kubelet")), "no kubelet step after the failure");
        assertFalse(Boolean.TRUE.equals(kubernetes.getClient().nodes().withName("cp1").get().getSpec()
                .getUnschedulable()), "no node was drained");
    }

    @Test
    void badRequestsAndApprovalsAreClearErrors() {
        given().contentType(ContentType.JSON).body("{\"version\":\"1.33\",\"pattern\":\"k8s\"}")
                .post("/k8s/upgrade").then().statusCode(400).body("error", containsString("give the full version"));
        given().contentType(ContentType.JSON).body("{\"version\":\"1.33.2\",\"pattern\":\"k8s_worker\"}")
                .post("/k8s/upgrade").then().statusCode(400).body("error", containsString("no control-plane node"));
        given().post("/jobs/no-such-job/approve").then().statusCode(404);
    }

    @Test
    void nodeConditionsArePublishedAndShownBesideTheFacts() throws Exception {
        probe.awaitRecord(Topics.NODE_CONDITIONS, r -> "w1".equals(r.key())
                && EventCodec.decode(r.value(), NodeConditions.class).ready(), WAIT);
        Instant until = Instant.now().plus(WAIT);
        String body = "";
        while (Instant.now().isBefore(until) && !body.contains("\"kubeletVersion\":\"v1.32.3\"")) {
            body = given().get("/nodes").then().statusCode(200).extract().asString();
            Thread.sleep(200);
        }
        assertTrue(body.contains("\"kubernetes\":{\"node\":\"w1\""), body);
        given().get("/k8s/nodes").then().statusCode(200).body(containsString("\"node\":\"cp2\""));
    }

    private String startUpgrade(String version) {
        return given().contentType(ContentType.JSON)
                .body("{\"version\":\"" + version + "\",\"pattern\":\"k8s\",\"timeoutSeconds\":600}")
                .post("/k8s/upgrade").then().statusCode(201).extract().path("jobId");
    }

    /** Commands of the upgrade to this minor version (each upgrade's commands name its version). */
    private List<String> received(String minor) {
        return agents.received.stream().filter(c -> c.contains(minor)).toList();
    }

    private static String shape(String command) {
        String node = command.substring(0, command.indexOf(':'));
        if (command.contains("kubelet=")) {
            return node + ": kubelet";
        }
        if (command.contains("kubeadm upgrade node")) {
            return node + ": kubeadm upgrade node";
        }
        return command;
    }

    private static String stdout(JobStatus status) {
        String out = status.targets().get(JobValidation.PROVISIONER_TARGET).stdout();
        return out == null ? "" : out;
    }

    private static JobStatus await(String id, Predicate<JobStatus> condition) throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        JobStatus last = null;
        while (Instant.now().isBefore(until)) {
            last = EventCodec.decode(given().get("/jobs/" + id).then().statusCode(200).extract().asByteArray(),
                    JobStatus.class);
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not reach the expected state: "
                + (last == null ? "no status" : EventCodec.encodeToString(last)));
    }
}
