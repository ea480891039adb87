package net.goldentooth.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Gives Quarkus's own Kafka clients (the readiness check's admin client, configured by
 * {@code kafka.*}) the same security as ours: with {@code goldentooth.kafka.security-protocol=SSL}
 * it answers {@code kafka.security.protocol} and the {@code kafka.ssl.*} PEM settings from
 * {@link KafkaSecurity}. Without it, that client spoke PLAINTEXT to an SSL listener, read a TLS
 * record as a response size and ran out of heap.
 *
 * <p>The PEM files are read when a value is asked for, not when the source is made: the agent
 * writes its first certificate during start-up, before Quarkus makes that client. A file that
 * cannot be read yet answers nothing (the client then fails its handshake and the readiness check
 * says so). Values are never logged (Kafka prints its PEM settings as {@code [hidden]}).
 * Registered through {@code META-INF/services}; ordinal 260, above application.properties.
 */
public final class KafkaSecurityConfigSource implements ConfigSource {

    private static final String PREFIX = "kafka.";
    private static final Set<String> KEYS = Set.of(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
            SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG,
            SslConfigs.SSL_KEYSTORE_KEY_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
            SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG);

    private final Properties system;
    private final Map<String, String> env;

    public KafkaSecurityConfigSource() {
        this(System.getProperties(), System.getenv());
    }

    KafkaSecurityConfigSource(Properties system, Map<String, String> env) {
        this.system = system;
        this.env = env;
    }

    @Override
    public Set<String> getPropertyNames() {
        if (security().protocol() != KafkaSecurity.Protocol.SSL) {
            return Set.of();
        }
        Set<String> names = new TreeSet<>();
        KEYS.forEach(k -> names.add(PREFIX + k));
        return names;
    }

    @Override
    public String getValue(String propertyName) {
        if (propertyName == null || !propertyName.startsWith(PREFIX)
                || !KEYS.contains(propertyName.substring(PREFIX.length()))) {
            return null;
        }
        KafkaSecurity security = security();
        if (security.protocol() != KafkaSecurity.Protocol.SSL) {
            return null;
        }
        try {
            return switch (propertyName.substring(PREFIX.length())) {
                case CommonClientConfigs.SECURITY_PROTOCOL_CONFIG -> security.protocol().name();
                case SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG -> "PEM";
                case SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG -> security.presentedChain();
                case SslConfigs.SSL_KEYSTORE_KEY_CONFIG -> security.keyPem();
                case SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG -> security.trustPem();
                default -> null;
            };
        } catch (IllegalArgumentException e) {
            return null; // a file not written yet (the agent's first certificate); see the class comment
        }
    }

    private KafkaSecurity security() {
        try {
            return KafkaSecurity.from(system, env);
        } catch (IllegalArgumentException e) {
            return KafkaSecurity.PLAINTEXT; // KafkaSecurity.current() reports the misconfiguration by its key
        }
    }

    @Override
    public int getOrdinal() {
        return 260;
    }

    @Override
    public String getName() {
        return "goldentooth-kafka-security";
    }
}
