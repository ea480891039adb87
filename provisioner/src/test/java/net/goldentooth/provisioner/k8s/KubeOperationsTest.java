package net.goldentooth.provisioner.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import net.goldentooth.events.k8s.NodeConditions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Node operations against fabric8's KubernetesMockServer in CRUD mode: a real Kubernetes API
 * server cannot run here. CRUD mode stores objects but knows nothing of PodDisruptionBudgets, so
 * the API server's answer to an eviction a PDB forbids (HTTP 429) is given as an expectation, as
 * a real server would give it; the mixed dispatcher answers everything else from the CRUD store.
 */
class KubeOperationsTest {

    private final Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    private KubernetesMockServer server;
    private KubernetesClient client;
    private KubeOperations ops;

    @BeforeEach
    void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
                new KubernetesMixedDispatcher(responses), false);
        server.init();
        // Retries are the drain loop's business (as in application.properties).
        client = server.createClient(b -> b.editOrNewConfig().withRequestRetryBackoffLimit(0).endConfig());
        ops = new KubeOperations(client, Clock.systemUTC(), Duration.ofMillis(50));
        node("velaryon");
        node("bettley");
    }

    @AfterEach
    void stop() {
        client.close();
        server.destroy();
    }

    @Test
    void nodesCarryConditionsTaintsAndKubeletVersion() {
        List<NodeConditions> nodes = ops.nodes();
        assertEquals(List.of("bettley", "velaryon"), nodes.stream().map(NodeConditions::node).toList());
        NodeConditions v = nodes.get(1);
        assertTrue(v.ready());
        assertEquals("v1.32.3", v.kubeletVersion());
        assertEquals("KubeletReady", v.conditions().get(0).reason());
    }

    @Test
    void taintAndLabelVelaryonForTheGpu() {
        NodeConditions tainted = ops.taint("velaryon", new NodeConditions.Taint("gpu", "true", "NoSchedule"), false);
        assertEquals(List.of(new NodeConditions.Taint("gpu", "true", "NoSchedule")), tainted.taints());
        // the same key and effect again replaces, not duplicates
        ops.taint("velaryon", new NodeConditions.Taint("gpu", "yes", "NoSchedule"), false);
        assertEquals(1, client.nodes().withName("velaryon").get().getSpec().getTaints().size());
        assertEquals("yes", client.nodes().withName("velaryon").get().getSpec().getTaints().get(0).getValue());
        ops.taint("velaryon", new NodeConditions.Taint("gpu", null, "NoSchedule"), true);
        assertTrue(client.nodes().withName("velaryon").get().getSpec().getTaints().isEmpty());

        ops.label("velaryon", "goldentooth.net/gpu", "nvidia");
        assertEquals("nvidia", client.nodes().withName("velaryon").get().getMetadata().getLabels().get("goldentooth.net/gpu"));
        ops.label("velaryon", "goldentooth.net/gpu", null);
        assertNull(client.nodes().withName("velaryon").get().getMetadata().getLabels().get("goldentooth.net/gpu"));
    }

    @Test
    void badKeysEffectsAndUnknownNodesAreTypedErrors() {
        assertEquals(400, assertThrows(K8sException.class,
                () -> ops.taint("velaryon", new NodeConditions.Taint("gpu", "true", "Sometimes"), false)).status());
        assertEquals(400, assertThrows(K8sException.class, () -> ops.label("velaryon", "bad key", "x")).status());
        assertEquals(400, assertThrows(K8sException.class, () -> ops.label("velaryon", "k", "no spaces")).status());
        K8sException unknown = assertThrows(K8sException.class, () -> ops.cordon("nosuch", true));
        assertEquals(404, unknown.status());
        assertEquals("no Kubernetes node 'nosuch'", unknown.getMessage());
    }

    @Test
    void cordonAndUncordon() {
        assertTrue(ops.cordon("bettley", true).unschedulable());
        assertTrue(client.nodes().withName("bettley").get().getSpec().getUnschedulable());
        assertFalse(ops.cordon("bettley", false).unschedulable());
    }

    @Test
    void drainEvictsRetriesWhileAPdbRefusesAndLeavesDaemonSetsAlone() {
        pod("shop", "web-0", "velaryon", "ReplicaSet");
        pod("shop", "web-1", "velaryon", "ReplicaSet");
        pod("kube-system", "calico-node-x", "velaryon", "DaemonSet");
        pod("shop", "web-2", "bettley", "ReplicaSet");
        evictionAccepted("shop", "web-0");
        // web-1's PodDisruptionBudget allows no disruption for the first two attempts.
        server.expect().post().withPath("/api/v1/namespaces/shop/pods/web-1/eviction")
                .andReturn(429, tooManyRequests()).times(2);
        evictionAccepted("shop", "web-1");

        DrainResult result = ops.drain("velaryon", Duration.ofSeconds(30));

        assertEquals(List.of("shop/web-0", "shop/web-1"), result.evicted().stream().sorted().toList());
        assertTrue(result.complete(), result.toString());
        assertEquals(List.of("kube-system/calico-node-x"), result.skipped());
        assertTrue(client.nodes().withName("velaryon").get().getSpec().getUnschedulable(), "drain cordons");
        assertEquals(List.of("calico-node-x", "web-2"), client.pods().inAnyNamespace().list().getItems().stream()
                .map(p -> p.getMetadata().getName()).sorted().toList());
    }

    @Test
    void aPdbThatNeverAllowsTheEvictionEndsTheDrainAtTheTimeoutNamingThePod() {
        pod("shop", "db-0", "velaryon", "StatefulSet");
        pod("shop", "web-0", "velaryon", "ReplicaSet");
        server.expect().post().withPath("/api/v1/namespaces/shop/pods/db-0/eviction")
                .andReturn(429, tooManyRequests()).always();
        evictionAccepted("shop", "web-0");

        DrainResult result = ops.drain("velaryon", Duration.ofSeconds(3));

        assertFalse(result.complete());
        assertEquals(Map.of("shop/db-0", "eviction refused until the timeout (PodDisruptionBudget)"), result.remaining());
        assertEquals(List.of("shop/web-0"), result.evicted());
        Pod db = client.pods().inNamespace("shop").withName("db-0").get();
        assertEquals("db-0", db.getMetadata().getName(), "a refused pod is never deleted behind the PDB's back");
    }

    /**
     * CRUD mode stores an Eviction but does not remove the pod, as the API server and kubelet do:
     * this answers like the API server (201) and deletes the pod a moment later, off the
     * dispatcher's thread.
     */
    private void evictionAccepted(String namespace, String name) {
        server.expect().post().withPath("/api/v1/namespaces/" + namespace + "/pods/" + name + "/eviction")
                .andReply(201, request -> {
                    CompletableFuture.runAsync(() -> client.pods().inNamespace(namespace).withName(name).delete());
                    return new StatusBuilder().withStatus("Success").withCode(201).build();
                }).once();
    }

    private static io.fabric8.kubernetes.api.model.Status tooManyRequests() {
        return new StatusBuilder().withCode(429).withReason("TooManyRequests")
                .withMessage("Cannot evict pod as it would violate the pod's disruption budget.").build();
    }

    private void node(String name) {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().endSpec()
                .withNewStatus()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastTransitionTime("2026-11-20T08:01:00Z").endCondition()
                .withNewNodeInfo().withKubeletVersion("v1.32.3").endNodeInfo()
                .endStatus().build()).create();
    }

    private void pod(String namespace, String name, String node, String ownerKind) {
        client.pods().inNamespace(namespace).resource(new PodBuilder().withNewMetadata().withName(name)
                .withNamespace(namespace).addNewOwnerReference().withKind(ownerKind).withName(name + "-owner")
                .withApiVersion("apps/v1").withUid("u-" + name).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase("Running").endStatus().build()).create();
    }
}
