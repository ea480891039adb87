package net.goldentooth.provisioner.k8s.upgrade;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.provisioner.jobs.JobValidation;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An upgrade survives a provisioner restart: the provisioner starts on a {@code job.status} that
 * holds a running upgrade stopped at its gate (as a killed provisioner leaves it), waits at the
 * gate again, and after approval goes on from {@code kubeadm upgrade apply} without repeating the
 * steps already done. Simulated agents and KubernetesMockServer (CRUD) as in {@link UpgradeIT}.
 */
@QuarkusTest
@TestProfile(ResumedUpgradeIT.OwnResources.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResumedUpgradeIT {

    /** Only the broker, this test's resource and the mock API server: other tests' global resources set another inventory. */
    public static class OwnResources implements QuarkusTestProfile {
        @Override
        public java.util.List<TestResourceEntry> testResources() {
            return java.util.List.of(new TestResourceEntry(KafkaBrokerResource.class),
                    new TestResourceEntry(ResumedUpgradeTestResource.class), new TestResourceEntry(MockApiServerResource.Port21444.class));
        }

        @Override
        public boolean disableGlobalTestResources() {
            return true;
        }
    }

    private static final Duration WAIT = Duration.ofSeconds(90);

    @KubernetesTestServer
    KubernetesServer kubernetes;

    private SimulatedAgents agents;

    @BeforeAll
    void startAgentsAndNodes() throws Exception {
        for (String node : List.of("cp1", "cp2", "w1")) {
            kubernetes.getClient().nodes().resource(new NodeBuilder().withNewMetadata().withName(node).endMetadata()
                    .withNewSpec().endSpec().build()).create();
        }
        agents = new SimulatedAgents(KafkaBroker.shared().bootstrapServers(), UpgradeTestResource.publicKey(),
                command -> false);
    }

    @AfterAll
    void stop() {
        agents.close();
    }

    @Test
    void theRestartedProvisionerWaitsAtTheGateAgainThenGoesOnWithoutRepeatingSteps() throws Exception {
        String id = ResumedUpgradeTestResource.JOB_ID;
        JobStatus waiting = await(id, s -> stdout(s).contains("[provisioner restarted: continuing after step 2]")
                && stdout(s).lastIndexOf("waiting for approval") > stdout(s).indexOf("[provisioner restarted"));
        assertEquals(JobState.RUNNING, waiting.state());
        assertTrue(agents.received.isEmpty(), "nothing is sent while the gate is closed: " + agents.received);

        given().post("/jobs/" + id + "/approve").then().statusCode(200);
        JobStatus done = await(id, s -> s.state().terminal());
        assertEquals(JobState.SUCCEEDED, done.state(), stdout(done));
        assertEquals("cp1: kubeadm upgrade apply v1.35.0 --certificate-renewal=false -y", agents.received.get(0));
        assertTrue(agents.received.stream().noneMatch(c -> c.contains("sources.list.d") || c.contains("upgrade plan")),
                "steps 1 and 2 are not run again: " + agents.received);
        assertEquals(1 + 1 + 3, agents.received.size(), "apply, cp2's upgrade node, three kubelets: " + agents.received);
    }

    private static String stdout(JobStatus status) {
        String out = status.targets().get(JobValidation.PROVISIONER_TARGET).stdout();
        return out == null ? "" : out;
    }

    private static JobStatus await(String id, java.util.function.Predicate<JobStatus> condition)
            throws InterruptedException {
        Instant until = Instant.now().plus(WAIT);
        JobStatus last = null;
        while (Instant.now().isBefore(until)) {
            var response = given().get("/jobs/" + id).then().extract();
            if (response.statusCode() == 200) {
                last = EventCodec.decode(response.asByteArray(), JobStatus.class);
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("job " + id + " did not reach the expected state: "
                + (last == null ? "no status" : EventCodec.encodeToString(last)));
    }
}
