package net.goldentooth.provisioner.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryException;
import net.goldentooth.provisioner.inventory.InventoryParser;
import net.goldentooth.provisioner.nodes.NodeDirectory;
import org.jboss.logging.Logger;

/**
 * The inventory and the node directory as beans: read by the job path, the REST resources and the
 * local runners alike. Kept apart from {@link ProvisionerWiring} so a runner can depend on the
 * inventory without depending on the job path it is part of.
 */
@ApplicationScoped
public class DomainProducers {

    private static final Logger LOG = Logger.getLogger(DomainProducers.class);

    /** Loaded once; an unreadable or invalid inventory fails start-up naming the key and the problem. */
    @Produces
    @Singleton
    Inventory inventory(ProvisionerConfig config) {
        Inventory inventory;
        try {
            inventory = InventoryParser.load(config.inventory());
        } catch (InventoryException e) {
            throw new InventoryException("goldentooth.provisioner.inventory: " + e.getMessage(), e);
        }
        LOG.infof("inventory %s: %d hosts, %d groups", config.inventory(), inventory.hosts().size(),
                inventory.groups().size());
        return inventory;
    }

    @Produces
    @Singleton
    NodeDirectory nodes(ProvisionerConfig config, Clock clock) {
        return new NodeDirectory(clock, config.factsInterval());
    }
}
