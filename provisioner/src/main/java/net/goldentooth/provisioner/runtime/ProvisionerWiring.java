package net.goldentooth.provisioner.runtime;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.util.UUID;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.config.ProvisionerConfig;
import net.goldentooth.provisioner.config.SshConfig;
import net.goldentooth.provisioner.enrolment.EnrolmentConfig;
import net.goldentooth.provisioner.enrolment.TokenMinter;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.jobs.EngineSettings;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.jobs.JobEngine;
import net.goldentooth.provisioner.jobs.JobWatcher;
import net.goldentooth.provisioner.jobs.LocalRunner;
import net.goldentooth.provisioner.messaging.ProgressPublisher;
import net.goldentooth.provisioner.messaging.ProvisionerEvents;
import net.goldentooth.provisioner.messaging.StatusPublisher;
import net.goldentooth.provisioner.messaging.TaskDispatcher;
import net.goldentooth.provisioner.nodes.NodeDirectory;
import net.goldentooth.provisioner.ssh.SshRunner;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Builds the job path from configuration: the signing key, the engine, the Kafka publishers, the
 * SSH executor and the local runners, plugged into the pure {@link JobDesk}, which it offers as a
 * bean. Built on first use, which is {@link ProvisionerApp}'s start-up.
 */
@ApplicationScoped
public class ProvisionerWiring {

    private static final Logger LOG = Logger.getLogger(ProvisionerWiring.class);

    @Inject
    ProvisionerConfig config;
    @Inject
    SshConfig sshConfig;
    @Inject
    EnrolmentConfig enrolment;
    @Inject
    Clock clock;
    @Inject
    ProvisionerMetrics metrics;
    /** The live streams ({@code api.JobStreams}). */
    @Inject
    JobWatcher streams;
    @Inject
    Inventory inventory;
    @Inject
    NodeDirectory nodes;
    @Inject
    Instance<LocalRunner> localRunners;
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private EventPublisher publisher;
    private SshRunner ssh;
    private JobDesk desk;

    @PostConstruct
    void wire() throws IOException {
        SigningKeys.KeyPair keys;
        TaskSigner signer;
        try {
            keys = SigningKeys.loadOrCreate(config.signingKey(), config.signingPublicKey());
            signer = new TaskSigner(keys);
        } catch (IOException e) {
            throw new IOException("goldentooth.provisioner.signing-key " + config.signingKey() + ": " + e.getMessage(), e);
        }
        LOG.infof("signing tasks with key %s (public key %s)", signer.keyId(), config.signingPublicKey());
        EngineSettings settings;
        try {
            settings = new EngineSettings(config.defaultTimeout(), config.dispatchGrace(), config.acceptDeadline(),
                    config.maxOutputBytes(), config.statusCoalesce());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("goldentooth.provisioner." + e.getMessage(), e);
        }
        JobEngine engine = new JobEngine(settings, clock, () -> UUID.randomUUID().toString(), metrics);
        publisher = new EventPublisher(bootstrap, ProvisionerEvents.SOURCE, clock);
        ProgressPublisher progress = new ProgressPublisher(publisher);
        ssh = SshRunner.create(sshConfig, inventory, progress, clock, bootstrap, config.signingPublicKey(),
                new TokenMinter(keys, clock, enrolment.tokenLifetime()));
        JobDesk.Outlets outlets = new JobDesk.Outlets(new TaskDispatcher(publisher, signer), ssh,
                new StatusPublisher(publisher), progress, streams);
        desk = new JobDesk(engine, inventory, nodes::isLive, outlets, localRunners.stream().toList());
    }

    /** The job path, for the REST resources and the local runners. */
    @Produces
    @Singleton
    JobDesk desk() {
        return desk;
    }

    /** The publisher of everything the job path sends; the consumers dead-letter through it too. */
    EventPublisher publisher() {
        return publisher;
    }

    String bootstrapServers() {
        return bootstrap;
    }

    /** At shutdown, after the consumers stopped: SSH sessions, then the producer. */
    void close() {
        if (ssh != null) {
            ssh.close();
        }
        if (publisher != null) {
            publisher.close();
        }
    }
}
