package net.goldentooth.kafka;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;

/**
 * How a client reaches the broker (DESIGN.md, "Security model"): {@code PLAINTEXT} for the embedded
 * default on loopback, or mutual TLS with the PEM files pki-service issued to this node or service.
 * The certificate's CN is the client's Kafka principal (the broker maps {@code CN=alpha,...} to
 * {@code User:alpha}), so every agent and service is authorised by its own ACLs.
 *
 * <p>The PEM contents go into the client configuration ({@code ssl.keystore.key},
 * {@code ssl.keystore.certificate.chain}, {@code ssl.truststore.certificates}) rather than as file
 * locations, because Kafka reads a PEM key <em>file</em> only when it is encrypted, and the agent's
 * keys are plain PKCS#8 protected by file mode 0600. Kafka treats those values as passwords and
 * never logs them. A renewed certificate takes effect when the client is created again (the node
 * agent does that after renewing, through {@link EventPublisher#reconnect} and
 * {@link ConsumerLoop#reconnect}).
 *
 * <p>Selected per process by system properties or the environment, so every producer and consumer
 * made through {@link KafkaSettings} uses it without the services passing it around:
 * <pre>
 * goldentooth.kafka.security-protocol    GOLDENTOOTH_KAFKA_SECURITY_PROTOCOL    PLAINTEXT (default) or SSL
 * goldentooth.kafka.ssl.certificate      GOLDENTOOTH_KAFKA_SSL_CERTIFICATE      PEM: the leaf, then its chain
 * goldentooth.kafka.ssl.key              GOLDENTOOTH_KAFKA_SSL_KEY              PEM: unencrypted PKCS#8 key
 * goldentooth.kafka.ssl.trust            GOLDENTOOTH_KAFKA_SSL_TRUST            PEM: the root bundle (pki.trust)
 * goldentooth.kafka.ssl.chain            GOLDENTOOTH_KAFKA_SSL_CHAIN            optional PEM: the chain, sent after the certificate
 * </pre>
 *
 * The chain file is for a certificate file that holds the leaf alone (the agent's managed
 * certificates write the leaf and the chain to two files, as most services read them); the broker
 * trusts the root only, so the intermediate must be sent.
 */
public record KafkaSecurity(Protocol protocol, Path certificate, Path key, Path trust, Path chain) {

    /** The protocols we support; SASL is not used (identities are PKI certificates). */
    public enum Protocol {
        PLAINTEXT,
        SSL
    }

    public static final String PROTOCOL_KEY = "goldentooth.kafka.security-protocol";
    public static final String CERTIFICATE_KEY = "goldentooth.kafka.ssl.certificate";
    public static final String KEY_KEY = "goldentooth.kafka.ssl.key";
    public static final String TRUST_KEY = "goldentooth.kafka.ssl.trust";
    public static final String CHAIN_KEY = "goldentooth.kafka.ssl.chain";

    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity(Protocol.PLAINTEXT, null, null, null, null);

    private static volatile KafkaSecurity current;

    public static KafkaSecurity mutualTls(Path certificate, Path key, Path trust) {
        return new KafkaSecurity(Protocol.SSL, certificate, key, trust, null);
    }

    /** This process's setting, from system properties, else the environment; read once. */
    public static KafkaSecurity current() {
        KafkaSecurity security = current;
        if (security == null) {
            security = from(System.getProperties(), System.getenv());
            current = security;
        }
        return security;
    }

    /**
     * @throws IllegalArgumentException naming the key when the protocol is unknown or SSL lacks a file
     */
    public static KafkaSecurity from(Properties system, Map<String, String> env) {
        String protocol = setting(PROTOCOL_KEY, system, env);
        if (protocol == null || protocol.isBlank() || protocol.strip().equalsIgnoreCase("PLAINTEXT")) {
            return PLAINTEXT;
        }
        if (!protocol.strip().equalsIgnoreCase("SSL")) {
            throw new IllegalArgumentException(PROTOCOL_KEY + " '" + protocol + "' is not PLAINTEXT or SSL");
        }
        String chain = setting(CHAIN_KEY, system, env);
        return new KafkaSecurity(Protocol.SSL, path(CERTIFICATE_KEY, system, env), path(KEY_KEY, system, env),
                path(TRUST_KEY, system, env), chain == null || chain.isBlank() ? null : Path.of(chain.strip()));
    }

    /**
     * Adds this setting to a client's properties and returns them. For SSL the three PEM files are
     * read now.
     *
     * @throws IllegalArgumentException naming the key and file when a PEM file cannot be read
     */
    public Properties applyTo(Properties client) {
        client.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, protocol.name());
        if (protocol == Protocol.SSL) {
            client.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            client.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, presentedChain());
            client.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, keyPem());
            client.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            client.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, trustPem());
        }
        return client;
    }

    /** The certificate file's PEM, then the chain file's when there is one: what the client presents. */
    String presentedChain() {
        String presented = read(CERTIFICATE_KEY, certificate);
        if (chain != null) {
            presented = presented.endsWith("\n") ? presented : presented + "\n";
            presented += read(CHAIN_KEY, chain);
        }
        return presented;
    }

    /** The key file's PEM. */
    String keyPem() {
        return read(KEY_KEY, key);
    }

    /** The trust file's PEM. */
    String trustPem() {
        return read(TRUST_KEY, trust);
    }

    private static String setting(String key, Properties system, Map<String, String> env) {
        String value = system.getProperty(key);
        return value != null ? value : env.get(envName(key));
    }

    /** {@code goldentooth.kafka.ssl.key} → {@code GOLDENTOOTH_KAFKA_SSL_KEY}. */
    static String envName(String key) {
        return key.replace('.', '_').replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static Path path(String key, Properties system, Map<String, String> env) {
        String value = setting(key, system, env);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(key + " (or " + envName(key) + ") must name a PEM file when "
                    + PROTOCOL_KEY + " is SSL");
        }
        return Path.of(value.strip());
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException(key + " " + file + " cannot be read: " + e, e);
        }
    }

    @Override
    public String toString() {
        return protocol == Protocol.PLAINTEXT ? "PLAINTEXT"
                : "SSL(certificate " + certificate + (chain == null ? "" : ", chain " + chain) + ", key " + key
                        + ", trust " + trust + ")";
    }
}
