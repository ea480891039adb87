package net.goldentooth.provisioner.k8s;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.Topics;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.messaging.ProvisionerEvents;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Polls the cluster's nodes every {@code conditions-interval} and publishes each node's state on
 * the compacted {@code node.conditions} (key: node name) at every poll, so the topic's newest
 * record per node is never older than one interval plus the poll — consumers can treat a stale
 * record as "the API server is not reporting". Keeps the last state per node for {@code GET /nodes}.
 * A poll that fails is logged when the failure starts and when it ends, not at every interval.
 */
@ApplicationScoped
public class NodeConditionsPoller {

    private static final Logger LOG = Logger.getLogger(NodeConditionsPoller.class);

    @Inject
    K8sConfig config;
    @Inject
    KubeOperations kube;
    @Inject
    Clock clock;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private final Map<String, NodeConditions> latest = new ConcurrentHashMap<>();
    private ScheduledExecutorService timer;
    private EventPublisher publisher;
    private volatile String failing;

    void onStart(@Observes StartupEvent event) {
        if (!config.conditionsEnabled()) {
            LOG.info("node.conditions: off (goldentooth.provisioner.k8s.conditions-enabled=false)");
            return;
        }
        publisher = new EventPublisher(bootstrap, ProvisionerEvents.SOURCE, clock);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-conditions");
            t.setDaemon(true);
            return t;
        });
        long every = config.conditionsInterval().toMillis();
        timer.scheduleWithFixedDelay(this::poll, 0, every, TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (timer != null) {
            timer.shutdownNow();
        }
        if (publisher != null) {
            publisher.close();
        }
    }

    /** The last state the API server reported for {@code node}; null when none. */
    public NodeConditions of(String node) {
        return latest.get(node);
    }

    void poll() {
        try {
            for (NodeConditions node : kube.nodes()) {
                latest.put(node.node(), node);
                publisher.publish(Topics.NODE_CONDITIONS, node.node(), node);
            }
            if (failing != null) {
                LOG.infof("node.conditions: the Kubernetes API answers again (after: %s)", failing);
                failing = null;
            }
        } catch (RuntimeException e) {
            if (failing == null) {
                LOG.warnf("node.conditions: cannot read nodes, retrying every %s: %s", config.conditionsInterval(),
                        e.getMessage());
            }
            failing = e.getMessage();
        }
    }
}
