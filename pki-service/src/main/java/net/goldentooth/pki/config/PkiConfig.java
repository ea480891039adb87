package net.goldentooth.pki.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;

/** pki-service's settings, {@code goldentooth.pki.*}. Kafka is {@code kafka.bootstrap.servers}. */
@ConfigMapping(prefix = "goldentooth.pki")
public interface PkiConfig {

    /** Where the CA keeps its key stores, certificates and ledgers (created 0700 if absent). */
    @WithDefault("/var/lib/goldentooth/pki")
    Path stateDir();

    /** The file holding the key-store password; generated (mode 0600) on first start when absent. */
    @WithDefault("/var/lib/goldentooth/pki/ca-password")
    Path passwordFile();

    /** The Ansible YAML inventory: node names, {@code ansible_host} and {@code pki_names} grants. */
    @WithDefault("/etc/goldentooth/inventory.yaml")
    Path inventory();

    /** The provisioner's task-signing public key (PEM), which verifies enrolment tokens. */
    @WithDefault("/var/lib/goldentooth/provisioner/task-signing.pub")
    Path tokenSigningPublicKey();

    /** Initialise the CA on first start; when false, it waits for {@code POST /ca/init}. */
    @WithDefault("true")
    boolean autoInit();

    /** Lifetime of an X.509 leaf whose request names none. */
    @WithDefault("24h")
    Duration defaultLifetime();

    /** The longest X.509 lifetime a request may ask for. */
    @WithDefault("168h")
    Duration maxLifetime();

    /** Lifetime of SSH host and user certificates (also their maximum). */
    @WithDefault("24h")
    Duration sshLifetime();

    /** How long after expiry the newest certificate of a lineage may still be renewed by proof. */
    @WithDefault("7d")
    Duration renewalGrace();

    /** Refuse a node whose last reported clock offset (node.facts) is beyond this. */
    @WithDefault("5s")
    Duration maxClockOffset();

    /** How often the expiry scanner looks for lineages that reached a new tier. */
    @WithDefault("60s")
    Duration expiryScanInterval();

    /**
     * Whether {@code POST /enrolment} answers over plain HTTP. Off: the enrolment token and the
     * certificate would cross the network in clear, so a request that did not arrive over TLS is
     * refused (403). Only for a service bound to loopback.
     */
    @WithDefault("false")
    boolean enrolmentOverHttp();

    /**
     * Read {@code cert.requested} and send {@code cert.issued} through SmallRye Reactive Messaging
     * channels instead of kafka-edge (the measured spike of issue 20, docs/architecture.md
     * "Messaging layer"). Read at start; application.properties enables the channels with it.
     */
    @WithDefault("false")
    boolean smallrye();
}
