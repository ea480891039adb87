package net.goldentooth.storage.messaging;

import net.goldentooth.events.Topics;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.storage.CapacityLevel;
import net.goldentooth.events.storage.CapacityStatus;
import net.goldentooth.kafka.ConsumerLoop;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.storage.capacity.CapacityEvaluator;
import org.jboss.logging.Logger;

/** node.facts (every partition, no group) → capacity level changes on storage.capacity. */
public final class FactsConsumer {

    private static final Logger LOG = Logger.getLogger(FactsConsumer.class);

    private FactsConsumer() {
    }

    public static ConsumerLoop<NodeFacts> start(String bootstrap, EventPublisher publisher, CapacityEvaluator evaluator) {
        return ConsumerLoop.builder(bootstrap, Topics.NODE_FACTS, NodeFacts.class)
                .clientId("storage-service-facts")
                .assignAllPartitions()
                .start(ConsumerLoop.Start.EARLIEST)
                .deadLetters(publisher, (topic, reason) -> LOG.warnf("dead-lettered a %s record: %s", topic, reason))
                .handler(d -> {
                    NodeFacts facts = d.event();
                    String node = facts.node() != null ? facts.node() : d.key();
                    for (CapacityStatus change : evaluator.evaluate(node, facts.filesystems(), facts.collectedAt())) {
                        if (change.level() != CapacityLevel.OK) {
                            LOG.warnf("%s %s is %.1f%% full (%s)", node, change.mountPoint(), change.usedPercent(),
                                    change.level().wire());
                        }
                        publisher.publish(Topics.STORAGE_CAPACITY, CapacityStatus.key(node, change.mountPoint()), change);
                    }
                })
                .start();
    }
}
