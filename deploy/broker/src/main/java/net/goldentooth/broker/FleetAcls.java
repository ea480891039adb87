package net.goldentooth.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.Topics;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The control plane's Kafka ACLs, one principal per certificate CN (docs/security.md lists the
 * same table as kafka-acls commands and Strimzi KafkaUser resources).
 *
 * <p>An agent ({@code User:<node>}) writes only what agents produce and reads only the topics
 * addressed to agents. Kafka authorises topics, not partitions, so an agent can read other nodes'
 * partitions of {@code job.tasks} and {@code cert.issued}; it cannot act on them, because every
 * task is signed and addressed, and a certificate is useless without the key that stayed on its node.
 *
 * <p>A service ({@code User:<service>}) reads every topic and writes the topics it owns, plus any
 * dead-letter topic. What matters is who may write: tasks, trust bundles and issued certificates.
 */
public final class FleetAcls {

    /** What an agent produces (DESIGN.md's topic table, "agent →"). */
    public static final List<String> AGENT_WRITES = List.of(Topics.NODE_FACTS, Topics.JOB_PROGRESS,
            Topics.CERT_REQUESTED, Topics.CERT_RENEWED, Topics.CERT_RENEWAL_FAILED, Topics.NODE_LOGS,
            Topics.NODE_HEARTBEAT);
    /** What an agent consumes: its node-routed topics and the trust bundles. */
    public static final List<String> AGENT_READS = List.of(Topics.JOB_TASKS, Topics.CERT_ISSUED, Topics.PKI_TRUST);

    /** Topics each service owns (writes); storage owns every {@code storage.} topic by prefix. */
    public static final Map<String, List<String>> SERVICE_WRITES = Map.of(
            // job.progress: its own runners (playbooks, SSH targets) report as an agent does;
            // node.conditions: the kubelet's view, polled from the Kubernetes API.
            "provisioner", List.of(Topics.JOB_TASKS, Topics.JOB_STATUS, Topics.JOB_REQUESTED, Topics.JOB_PROGRESS,
                    Topics.NODE_CONDITIONS),
            "pki-service", List.of(Topics.CERT_ISSUED, Topics.CERT_EXPIRING, Topics.PKI_TRUST, Topics.JOB_REQUESTED,
                    Topics.PKI_CLAIMS),
            "storage-service", List.of(Topics.JOB_REQUESTED, "storage."),
            // node.heartbeat: the monitor's own beat, whose acknowledgement is its bus time.
            "monitor-service", List.of(Topics.ALERT_STATE, Topics.PROBE_RESULTS, Topics.ALERT_SILENCES,
                    Topics.NODE_HEARTBEAT));

    public static List<AclBinding> agent(String node) {
        String principal = "User:" + node;
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : AGENT_WRITES) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE));
        }
        for (String topic : AGENT_READS) {
            acls.add(allow(principal, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ));
            // What the agent cannot decode is dead-lettered, never dropped.
            acls.add(allow(principal, ResourceType.TOPIC, topic + Topics.DLQ_SUFFIX, PatternType.LITERAL,
                    AclOperation.WRITE));
        }
        // The task consumer's and the certificate consumer's offsets (TaskConsumer, CertMessaging).
        for (String group : List.of("node-agent-" + node, "node-agent-certs-" + node)) {
            acls.add(allow(principal, ResourceType.GROUP, group, PatternType.LITERAL, AclOperation.READ));
        }
        return acls;
    }

    /** @throws IllegalArgumentException for a name that is not one of {@link #SERVICE_WRITES}' services */
    public static List<AclBinding> service(String service) {
        List<String> writes = SERVICE_WRITES.get(service);
        if (writes == null) {
            throw new IllegalArgumentException("unknown service '" + service + "'; services: "
                    + String.join(", ", SERVICE_WRITES.keySet().stream().sorted().toList()));
        }
        String principal = "User:" + service;
        List<AclBinding> acls = new ArrayList<>();
        for (String topic : writes) {
            PatternType pattern = topic.endsWith(".") ? PatternType.PREFIXED : PatternType.LITERAL;
            acls.add(allow(principal, ResourceType.TOPIC, topic, pattern, AclOperation.WRITE));
        }
        for (Topics.TopicSpec spec : Topics.CATALOGUE) {
            acls.add(allow(principal, ResourceType.TOPIC, spec.name() + Topics.DLQ_SUFFIX, PatternType.LITERAL,
                    AclOperation.WRITE));
        }
        acls.add(allow(principal, ResourceType.TOPIC, ResourcePattern.WILDCARD_RESOURCE, PatternType.LITERAL,
                AclOperation.READ));
        acls.add(allow(principal, ResourceType.GROUP, service, PatternType.PREFIXED, AclOperation.READ));
        return acls;
    }

    /** The services whose principals get ACLs when none are named. */
    public static Set<String> services() {
        return SERVICE_WRITES.keySet();
    }

    private static AclBinding allow(String principal, ResourceType type, String name, PatternType pattern,
                                    AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private FleetAcls() {
    }
}
