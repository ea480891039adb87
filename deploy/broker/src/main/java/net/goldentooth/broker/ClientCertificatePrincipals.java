package net.goldentooth.broker;

import java.net.InetAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.Configurable;
import org.apache.kafka.common.config.internals.BrokerSecurityConfigs;
import org.apache.kafka.common.security.auth.AuthenticationContext;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.apache.kafka.common.security.auth.KafkaPrincipalBuilder;
import org.apache.kafka.common.security.auth.KafkaPrincipalSerde;
import org.apache.kafka.common.security.auth.SslAuthenticationContext;
import org.apache.kafka.common.security.authenticator.DefaultKafkaPrincipalBuilder;
import org.apache.kafka.common.security.ssl.SslPrincipalMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka's own principal builder (the certificate's subject through {@code ssl.principal.mapping.rules}),
 * plus one log line per TLS session naming the client certificate: principal, serial, notAfter,
 * client address. Kafka asks for the principal on every request, so the sessions already logged
 * are remembered (weakly: a closed connection's session is forgotten with it). The principal alone cannot tell a node's renewed certificate
 * from the one before (same CN); the serial can, and it is what pki-service's {@code goldentooth
 * certs} and a revocation name. Logged at INFO on {@code net.goldentooth.broker.ClientCertificatePrincipals}.
 */
public final class ClientCertificatePrincipals implements KafkaPrincipalBuilder, KafkaPrincipalSerde, Configurable {

    private static final Logger LOG = LoggerFactory.getLogger(ClientCertificatePrincipals.class);

    private DefaultKafkaPrincipalBuilder delegate;
    private final Map<SSLSession, Boolean> logged = Collections.synchronizedMap(new WeakHashMap<>());

    @Override
    public void configure(Map<String, ?> configs) {
        Object rules = configs.get(BrokerSecurityConfigs.SSL_PRINCIPAL_MAPPING_RULES_CONFIG);
        delegate = new DefaultKafkaPrincipalBuilder(null,
                SslPrincipalMapper.fromRules(rules == null ? "DEFAULT" : rules.toString()));
    }

    @Override
    public KafkaPrincipal build(AuthenticationContext context) {
        KafkaPrincipal principal = delegate().build(context);
        if (context instanceof SslAuthenticationContext ssl && ssl.session() != null
                && logged.putIfAbsent(ssl.session(), Boolean.TRUE) == null) {
            LOG.info(describe(principal, ssl));
        }
        return principal;
    }

    static String describe(KafkaPrincipal principal, SslAuthenticationContext ssl) {
        InetAddress from = ssl.clientAddress();
        String certificate;
        try {
            Certificate[] chain = ssl.session().getPeerCertificates();
            certificate = chain.length > 0 && chain[0] instanceof X509Certificate leaf
                    ? "serial " + leaf.getSerialNumber().toString(16) + ", not after " + leaf.getNotAfter().toInstant()
                    : "no X.509 certificate";
        } catch (SSLPeerUnverifiedException e) {
            certificate = "no client certificate";
        }
        return "TLS client " + principal + " (" + certificate + ") from " + (from == null ? "?" : from.getHostAddress())
                + " on " + ssl.listenerName();
    }

    @Override
    public byte[] serialize(KafkaPrincipal principal) {
        return delegate().serialize(principal);
    }

    @Override
    public KafkaPrincipal deserialize(byte[] bytes) {
        return delegate().deserialize(bytes);
    }

    private DefaultKafkaPrincipalBuilder delegate() {
        if (delegate == null) {
            throw new IllegalStateException("ClientCertificatePrincipals used before configure()");
        }
        return delegate;
    }
}
