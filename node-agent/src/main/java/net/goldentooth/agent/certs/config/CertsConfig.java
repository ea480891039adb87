package net.goldentooth.agent.certs.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The certificates the agent manages for its node, under {@code goldentooth.agent.*} beside
 * {@link net.goldentooth.agent.config.AgentConfig}: one entry per managed certificate, the
 * enrolment token, the canary, trust installation, the renewal retry policy and the scan of
 * certificates found on disk.
 */
@ConfigMapping(prefix = "goldentooth.agent")
public interface CertsConfig {

    /** Managed certificates by name ({@code goldentooth.agent.certificates.<name>.*}); the lineage is {@code <node>/<name>}. Default none. */
    Map<String, ManagedCertificate> certificates();

    /**
     * Enrolment tokens minted by the provisioner, one per line; each is spent on the first
     * certificate of one lineage (the agent never sends a token twice). Only read when a lineage
     * has no certificate yet.
     */
    @WithDefault("/etc/goldentooth/enrolment-token")
    Path enrolmentTokenFile();

    /** The first Kafka certificate over HTTPS, for a bus with mutual TLS. */
    Enrolment enrolment();

    /** The 15-minute canary lineage {@code <node>/canary}. */
    Canary canary();

    /** Where the trust from {@code pki.trust} is installed; every target is off by default. */
    Trust trust();

    /** The node's SSH host certificate, lineage {@code <node>/ssh-host}; off by default. */
    SshHost sshHost();

    /** The node's root user certificate, lineage {@code <node>/ssh-root}; off by default, and only with {@code allow-root}. */
    SshRoot sshRoot();

    /** Retries and waiting for pki's answer. */
    Renewal renewal();

    /** Certificates found on disk, reported on {@code /q/metrics}. */
    Scan scan();

    /** One managed certificate. */
    interface ManagedCertificate {

        /** The service the certificate is for (and whose unit the default reload command reloads); default: the entry's name. */
        Optional<String> service();

        /** Where the leaf certificate (PEM) is written. */
        Path certPath();

        /** Where the private key (PEM, PKCS#8) lives; generated here when absent, it never leaves the node. */
        Path keyPath();

        /** Where the chain (intermediate then root, PEM) is written; default: not written. */
        Optional<Path> chainPath();

        /** Owner of the written files; default: the agent's user. */
        Optional<String> owner();

        /** Group of the written files; default: the agent's group. */
        Optional<String> group();

        /** Mode of the key file, octal. */
        @WithDefault("0640")
        String keyMode();

        /** Mode of the certificate and chain files, octal. */
        @WithDefault("0644")
        String certMode();

        /** Subject alternative names (DNS names or IP addresses); default: the node name and {@code <node>.nodes.goldentooth.net}. */
        Optional<List<String>> names();

        /** Requested lifetime (pki's maximum is 168h). */
        @WithDefault("24h")
        Duration lifetime();

        /**
         * Shell command run after a new certificate is written; default
         * {@code systemctl try-reload-or-restart <service>}; {@code none} runs nothing (an empty
         * value counts as unset in MicroProfile Config).
         */
        Optional<String> reloadCommand();

        /** {@code host:port} of the TLS endpoint that must serve the new certificate after the reload; default: no probe. */
        Optional<String> probeEndpoint();
    }

    /**
     * How an agent on a mutual-TLS bus gets its first certificate (docs/security.md, "The first
     * certificate"): with {@code goldentooth.kafka.security-protocol=SSL} and no usable certificate
     * for the Kafka lineage, the agent enrols over HTTPS at {@code url} before any Kafka client exists.
     */
    interface Enrolment {

        /** pki-service's {@code https://<host>:<port>/enrolment}; default: none (no HTTPS enrolment). */
        Optional<java.net.URI> url();

        /**
         * The managed certificate ({@code goldentooth.agent.certificates.<name>}) that is the agent's
         * Kafka identity; its cert-path, chain-path and key-path must be the files named by
         * {@code goldentooth.kafka.ssl.certificate}, {@code .chain} and {@code .key}.
         */
        @WithDefault("kafka")
        String certificate();

        /** How long an unreachable pki-service is retried at start-up before the start fails. */
        @WithDefault("2m")
        Duration retryFor();
    }

    /** The canary lineage, kept under {@code <state-dir>/certs/canary}. */
    interface Canary {

        /** Run the canary (it renews about every 10 minutes and so proves the whole path works). */
        @WithDefault("true")
        boolean enabled();

        /** Lifetime the canary asks for. */
        @WithDefault("15m")
        Duration lifetime();
    }

    /** Trust installation targets. */
    interface Trust {

        /** File the root and intermediate (PEM) are written to, e.g. {@code /usr/local/share/ca-certificates/goldentooth.crt}; default: not installed. */
        Optional<Path> caBundlePath();

        /** Run {@code update-ca-certificates} after the CA bundle changed. */
        @WithDefault("false")
        boolean updateCaCertificates();

        /** sshd's {@code TrustedUserCAKeys} file, written with the SSH user CA key; default: not installed. */
        Optional<Path> sshUserCaPath();

        /** An {@code ssh_known_hosts} file in which an {@code @cert-authority *} line for the SSH host CA is kept (other lines are preserved); default: not installed. */
        Optional<Path> sshKnownHostsPath();
    }

    /** The SSH host certificate: requested with proof of a current X.509 certificate of the node, installed for sshd. */
    interface SshHost {

        /** Request, install and renew the host certificate. */
        @WithDefault("false")
        boolean enabled();

        /** The host public key to certify (its private half stays sshd's). */
        @WithDefault("/etc/ssh/ssh_host_ed25519_key.pub")
        Path publicKeyPath();

        /** Where the certificate is written; default: beside the key, {@code ssh_host_ed25519_key-cert.pub}. */
        Optional<Path> certificatePath();

        /** The sshd drop-in kept with {@code HostCertificate <certificate-path>}. */
        @WithDefault("/etc/ssh/sshd_config.d/goldentooth-host-certificate.conf")
        Path sshdConfigPath();

        /** Shell command run after a new certificate is written ({@code none} for none). */
        @WithDefault("systemctl try-reload-or-restart ssh")
        String reloadCommand();

        /** Requested lifetime (pki's ssh-lifetime, 24h by default, is also the maximum). */
        @WithDefault("24h")
        Duration lifetime();
    }

    /**
     * An OpenSSH user certificate for {@code root} (principals {@code root} and {@code <node>-root})
     * on a key pair the agent makes and keeps: what this node's SSH clients (storage-service's
     * replication) present to the other nodes' sshd. Whoever holds the key
     * logs in as root on every node trusting the SSH user CA, so it needs
     * {@code goldentooth.agent.allow-root=true}: an agent not trusted with root tasks must not hold
     * a root login either.
     */
    interface SshRoot {

        /** Request, write and renew the root user certificate; start-up fails when set without {@code allow-root}. */
        @WithDefault("false")
        boolean enabled();

        /**
         * The private key (OpenSSH format, mode 0600), made here once and kept; the public key is
         * {@code <key-path>.pub} and the certificate {@code <key-path>-cert.pub}.
         */
        @WithDefault("${goldentooth.agent.state-dir:/var/lib/goldentooth/agent}/ssh/root_ed25519")
        Path keyPath();

        /** Requested lifetime (pki's ssh-lifetime, 24h by default, is also the maximum). */
        @WithDefault("24h")
        Duration lifetime();
    }

    /** How failed attempts are retried. */
    interface Renewal {

        /** First wait after a failure; it doubles per consecutive failure. */
        @WithDefault("5s")
        Duration backoffInitial();

        /** Longest wait between attempts. */
        @WithDefault("10m")
        Duration backoffMax();

        /** How long an answer on {@code cert.issued} is awaited before the attempt counts as failed. */
        @WithDefault("60s")
        Duration answerTimeout();

        /** How long the probe endpoint may take to serve the new certificate after the reload. */
        @WithDefault("10s")
        Duration probeTimeout();

        /** How long the reload command may run. */
        @WithDefault("60s")
        Duration reloadTimeout();

        /** How often the renewal loop looks at its lineages. */
        @WithDefault("1s")
        Duration tick();

        /** Seed of the per-lineage jitter; the same seed gives the same schedule. Default: one derived from the node name. */
        Optional<Long> jitterSeed();
    }

    /** Certificates found on disk. */
    interface Scan {

        /** Extra certificate files to watch, besides the managed ones; default none. */
        Optional<List<Path>> paths();

        /** Every {@code *.crt} here is watched when the directory exists (kubeadm's certificates expired in the seed). */
        @WithDefault("/etc/kubernetes/pki")
        Path kubernetesPkiDir();

        /** How often the files are read again. */
        @WithDefault("60s")
        Duration interval();
    }
}
