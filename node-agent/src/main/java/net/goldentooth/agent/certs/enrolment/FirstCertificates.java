package net.goldentooth.agent.certs.enrolment;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import net.goldentooth.agent.certs.CertificateAgent;
import net.goldentooth.agent.certs.config.CertsConfig;
import net.goldentooth.agent.certs.renewal.EnrolmentTokens;
import net.goldentooth.agent.certs.renewal.LineageSpec;
import net.goldentooth.kafka.KafkaSecurity;
import org.jboss.logging.Logger;

/**
 * Start-up's decision about the first Kafka certificate: nothing on PLAINTEXT or when a usable
 * certificate is on disk; else an enrolment over HTTPS ({@link FirstCertificate}), or a start-up
 * error naming what is missing. Runs before any Kafka client is made.
 */
public final class FirstCertificates {

    private static final Logger LOG = Logger.getLogger(FirstCertificates.class);

    private FirstCertificates() {
    }

    public static void ensure(String node, CertsConfig config, Path stateDir, KafkaSecurity security, Clock clock)
            throws IOException {
        if (security.protocol() != KafkaSecurity.Protocol.SSL) {
            return;
        }
        String name = config.enrolment().certificate();
        Optional<LineageSpec> spec = CertificateAgent.specs(node, config, stateDir).stream()
                .filter(s -> s.lineage().equals(node + "/" + name)).findFirst();
        if (spec.isEmpty()) {
            throw new IllegalArgumentException(KafkaSecurity.PROTOCOL_KEY + " is SSL but goldentooth.agent.certificates."
                    + name + " is not configured: the agent keeps its Kafka certificate as that managed certificate "
                    + "(goldentooth.agent.enrolment.certificate names another)");
        }
        LineageSpec kafka = spec.get();
        same(kafka.certPath(), security.certificate(), "cert-path", KafkaSecurity.CERTIFICATE_KEY, name);
        same(kafka.keyPath(), security.key(), "key-path", KafkaSecurity.KEY_KEY, name);
        same(kafka.chainPath().orElse(null), security.chain(), "chain-path", KafkaSecurity.CHAIN_KEY, name);
        if (FirstCertificate.present(kafka, clock.instant())) {
            return;
        }
        if (config.enrolment().url().isEmpty()) {
            throw new IllegalArgumentException("no usable Kafka certificate at " + kafka.certPath() + " and "
                    + "goldentooth.agent.enrolment.url is not set: set it to pki-service's https://<host>:<port>/enrolment "
                    + "and give an enrolment token, or place a certificate there");
        }
        EnrolmentTokens tokens = new EnrolmentTokens(config.enrolmentTokenFile(),
                stateDir.resolve("certs").resolve("spent-tokens"));
        LOG.infof("no usable Kafka certificate for %s: enrolling over HTTPS at %s", kafka.lineage(),
                config.enrolment().url().get());
        try {
            new FirstCertificate(kafka, config.enrolment().url().get(), security.trust(), tokens,
                    config.enrolment().retryFor(), clock).obtain();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while enrolling " + kafka.lineage(), e);
        }
    }

    private static void same(Path lineage, Path kafka, String lineageKey, String kafkaKey, String name) {
        Path a = lineage == null ? null : lineage.toAbsolutePath().normalize();
        Path b = kafka == null ? null : kafka.toAbsolutePath().normalize();
        if (!Objects.equals(a, b)) {
            throw new IllegalArgumentException("goldentooth.agent.certificates." + name + "." + lineageKey + " (" + lineage
                    + ") and " + kafkaKey + " (" + kafka + ") must name the same file: the renewed certificate is the "
                    + "one Kafka uses");
        }
    }
}
