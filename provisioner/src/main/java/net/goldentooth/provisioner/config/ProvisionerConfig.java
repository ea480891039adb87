package net.goldentooth.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** The provisioner's settings, {@code goldentooth.provisioner.*}. Kafka is {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "goldentooth.provisioner")
public interface ProvisionerConfig {

    /** The Ansible YAML inventory that host patterns resolve against; read once at start-up. */
    @WithDefault("/etc/goldentooth/inventory.yaml")
    Path inventory();

    /** The Ed25519 task-signing private key (PEM, PKCS#8, mode 0600); created with its public half when absent. */
    @WithDefault("/var/lib/goldentooth/provisioner/task-signing.key")
    Path signingKey();

    /** The public half of the signing key, for agents to trust; written when absent. */
    @WithDefault("/var/lib/goldentooth/provisioner/task-signing.pub")
    Path signingPublicKey();

    /** Run time limit of a job that names none (requests may ask for 1 s to 86400 s). */
    @WithDefault("60s")
    Duration defaultTimeout();

    /** Added to the timeout for a task's expiry and for the provisioner's timed-out deadline. */
    @WithDefault("10s")
    Duration dispatchGrace();

    /** A dispatched target that no agent accepted within this becomes unreachable. */
    @WithDefault("5s")
    Duration acceptDeadline();

    /** Output (stdout plus stderr) kept per target; beyond it output is dropped and marked truncated. */
    @WithDefault("1048576")
    int maxOutputBytes();

    /** How often agents publish facts; a node is live while its last facts are younger than three intervals. */
    @WithDefault("15s")
    Duration factsInterval();

    /** At most one job.status record per large job within this, except when the job reaches a terminal state. */
    @WithDefault("100ms")
    Duration statusCoalesce();

    /** How often deadlines are applied. */
    @WithDefault("250ms")
    Duration deadlineTick();
}
