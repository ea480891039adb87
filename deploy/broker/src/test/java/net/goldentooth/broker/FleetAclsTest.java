package net.goldentooth.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class FleetAclsTest {

    private static Set<String> topics(List<AclBinding> acls, AclOperation operation) {
        return acls.stream().filter(a -> a.pattern().resourceType() == ResourceType.TOPIC)
                .filter(a -> a.entry().operation() == operation).map(a -> a.pattern().name())
                .collect(Collectors.toSet());
    }

    @Test
    void anAgentWritesWhatAgentsProduceAndReadsWhatIsAddressedToAgents() {
        List<AclBinding> acls = FleetAcls.agent("alpha");
        assertTrue(acls.stream().allMatch(a -> a.entry().principal().equals("User:alpha")));
        assertEquals(Set.of("node.facts", "job.progress", "cert.requested", "cert.renewed", "cert.renewal-failed",
                "node.logs", "node.heartbeat", "job.tasks.dlq", "cert.issued.dlq", "pki.trust.dlq"), topics(acls, AclOperation.WRITE));
        assertEquals(Set.of("job.tasks", "cert.issued", "pki.trust"), topics(acls, AclOperation.READ));
    }

    @Test
    void onlyTheProvisionerWritesTasksAndOnlyPkiWritesTrust() {
        for (String service : FleetAcls.services()) {
            Set<String> writes = topics(FleetAcls.service(service), AclOperation.WRITE);
            assertEquals(service.equals("provisioner"), writes.contains("job.tasks"), service);
            // The provisioner reports the targets it runs over SSH on job.progress, as agents do.
            assertEquals(service.equals("provisioner"), writes.contains("job.progress"), service);
            assertEquals(service.equals("pki-service"), writes.contains("pki.trust"), service);
            assertEquals(service.equals("pki-service"), writes.contains("cert.issued"), service);
            // A claim spends a token for every pki-service instance: only pki-service may make one.
            assertEquals(service.equals("pki-service"), writes.contains("pki.claims"), service);
        }
        assertThrows(IllegalArgumentException.class, () -> FleetAcls.service("node-agent"));
    }

    @Test
    void eachServiceMayWriteEveryTopicItPublishes() {
        // What the services' publishers send, as found in their code: a topic missing here is refused
        // on the mutual-TLS bus only (the monitor's own beat refused reads as BusDown).
        assertTrue(topics(FleetAcls.service("provisioner"), AclOperation.WRITE).containsAll(Set.of(
                "job.tasks", "job.status", "job.requested", "job.progress", "node.conditions")));
        assertTrue(topics(FleetAcls.service("monitor-service"), AclOperation.WRITE).containsAll(Set.of(
                "alert.state", "probe.results", "alert.silences", "node.heartbeat")));
        assertTrue(topics(FleetAcls.service("pki-service"), AclOperation.WRITE).containsAll(Set.of(
                "cert.issued", "cert.expiring", "pki.trust", "job.requested")));
    }

    @Test
    void tlsNeedsAllThreeFilesAndAclOptionsNeedTls() {
        assertNull(BrokerMain.Options.parse(new String[] {"--port", "9092"}).tls());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BrokerMain.Options.parse(
                new String[] {"--ssl-certificate", "a.pem", "--ssl-key", "a.key"})).getMessage()
                .contains("--ssl-trust"));
        assertThrows(IllegalArgumentException.class, () -> BrokerMain.Options.parse(new String[] {"--agents", "alpha"}));
        BrokerMain.Options tls = BrokerMain.Options.parse(new String[] {"--ssl-certificate", "a.pem", "--ssl-key",
                "a.key", "--ssl-trust", "root.pem", "--agents", "alpha, beta"});
        assertEquals(List.of("alpha", "beta"), tls.tls().agents());
        assertEquals(List.of("monitor-service", "pki-service", "provisioner", "storage-service"), tls.tls().services());
        assertThrows(IllegalArgumentException.class, () -> BrokerMain.Options.parse(new String[] {"--ssl-certificate",
                "a.pem", "--ssl-key", "a.key", "--ssl-trust", "root.pem", "--services", "nope"}));
    }
}
