package net.goldentooth.provisioner.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The SSH executor and agent bootstrap, {@code goldentooth.provisioner.ssh.*}. Per host, the
 * inventory's {@code ansible_host}, {@code ansible_port}, {@code ansible_user} and
 * {@code goldentooth_ssh_first_contact} take precedence.
 */
@ConfigMapping(prefix = "goldentooth.provisioner.ssh")
public interface SshConfig {

    /**
     * Private key (OpenSSH or PEM) used to log in; when {@code <identity>-cert.pub} exists beside it,
     * that OpenSSH user certificate is presented instead of the bare key. Re-read on every connection
     * so a renewed 24 h certificate is picked up without a restart. Never logged.
     */
    @WithDefault("/var/lib/goldentooth/provisioner/ssh/id_ed25519")
    Path identity();

    /**
     * OpenSSH known_hosts file: plain host lines and {@code @cert-authority} lines. Hosts not in it are
     * refused unless the inventory sets {@code goldentooth_ssh_first_contact: true} for them, whose key
     * is then appended here.
     */
    @WithDefault("/var/lib/goldentooth/provisioner/ssh/known_hosts")
    Path knownHosts();

    /** Login user when the inventory sets no {@code ansible_user}. */
    @WithDefault("root")
    String user();

    /** TCP connect limit: a host that does not answer within it is unreachable. */
    @WithDefault("5s")
    Duration connectTimeout();

    /** Limit for the key exchange, authentication and every wait on the server before a command runs. */
    @WithDefault("10s")
    Duration authTimeout();

    /** At most this many SSH connections in use at once; further targets wait for a free one. */
    @WithDefault("32")
    int maxConnections();

    /** An idle pooled connection (at most one per host) is closed after this long unused. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Agent bootstrap ({@code kind: bootstrap}). */
    Bootstrap bootstrap();

    interface Bootstrap {

        /** The node agent to install: its fast-jar directory ({@code quarkus-app}) or a {@code .deb} file. */
        @WithDefault("/usr/share/goldentooth/node-agent")
        Path artifact();

        /** Where the agent's files go on the node (the fast-jar directory is mirrored under it; a .deb is copied into it). */
        @WithDefault("/opt/goldentooth/node-agent")
        String agentDir();

        /** Where the agent's configuration, trusted task-signing key and enrolment token are written. */
        @WithDefault("/etc/goldentooth")
        String configDir();

        /** Kafka bootstrap servers written into the agent's configuration; empty means the provisioner's own. */
        Optional<String> kafkaBootstrapServers();

        /** Exits 0 when the agent's service is running; decides whether a healthy node needs a start. */
        @WithDefault("systemctl is-active --quiet goldentooth-agent.service")
        String serviceCheckCommand();

        /** Enables and starts the service when it is not running. */
        @WithDefault("systemctl enable --now goldentooth-agent.service")
        String serviceStartCommand();

        /** Restarts the running service after its files or configuration changed. */
        @WithDefault("systemctl restart goldentooth-agent.service")
        String serviceRestartCommand();

        /**
         * Run on the node after a .deb was uploaded or changed ({@code {deb}} is replaced by its remote path).
         * apt resolves the JRE dependency; the configuration bootstrap writes is kept over the package's.
         */
        @WithDefault("DEBIAN_FRONTEND=noninteractive apt-get install -y -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold {deb}")
        String debInstallCommand();

        /**
         * The secure bus's root of trust (PEM) on this host. Set: bootstrap writes it to the node with
         * the enrolment URL, the Kafka certificate paths, the unit drop-in of the TLS environment and
         * two enrolment tokens. Empty: the node's agent speaks PLAINTEXT.
         */
        Optional<Path> kafkaTrust();

        /** pki-service's enrolment endpoint (https://.../enrolment); required with kafka-trust. */
        Optional<String> enrolmentUrl();

        /** The unit drop-in bootstrap writes on the secure bus. */
        @WithDefault("/etc/systemd/system/goldentooth-agent.service.d/secure-bus.conf")
        String secureDropIn();

        /** The agent's state directory on the node; its Kafka certificate is kept under it (kafka/). */
        @WithDefault("/var/lib/goldentooth/agent")
        String agentStateDir();
    }
}
