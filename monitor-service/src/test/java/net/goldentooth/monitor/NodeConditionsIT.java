package net.goldentooth.monitor;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import net.goldentooth.events.Topics;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.testkit.KafkaBrokerResource;
import org.junit.jupiter.api.Test;

/**
 * Against the real broker: the provisioner's {@code node.conditions} tells a silent agent on a
 * Ready node ({@code agent-down}) from a silent agent on a NotReady node ({@code node-down}).
 * These nodes are not in the inventory, so no probe answers for them: the kubelet alone decides.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
class NodeConditionsIT {

    private static NodeConditions conditions(String node, boolean ready) {
        Instant now = Instant.now();
        return new NodeConditions(node, now, ready, List.of(new NodeConditions.Condition("Ready",
                ready ? "True" : "Unknown", ready ? "KubeletReady" : "NodeStatusUnknown",
                ready ? "kubelet is posting ready status" : "Kubelet stopped posting node status.", now)),
                false, List.of(), "v1.32.3");
    }

    @Test
    void silentAgentOnAReadyNodeIsAgentDownAndOnANotReadyNodeIsNodeDown() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String ready = "it-kready-" + suffix;
        String notReady = "it-knotready-" + suffix;
        try (FactsFeeder a = new FactsFeeder(ready, Duration.ofSeconds(1), at -> TestFacts.healthy(ready, at));
             FactsFeeder b = new FactsFeeder(notReady, Duration.ofSeconds(1), at -> TestFacts.healthy(notReady, at))) {
            MonitorAlertStateIT.awaitLiveness(ready, "up");
            MonitorAlertStateIT.awaitLiveness(notReady, "up");
            a.stop();
            b.stop();
            MonitorAlertStateIT.awaitLiveness(ready, "down");
            a.probe().send(Topics.NODE_CONDITIONS, ready, conditions(ready, true));
            a.probe().send(Topics.NODE_CONDITIONS, notReady, conditions(notReady, false));
            MonitorAlertStateIT.awaitLiveness(ready, "agent-down");
            MonitorAlertStateIT.awaitLiveness(notReady, "node-down");
        }
    }
}
