package net.goldentooth.agent.certs;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import net.goldentooth.agent.certs.scan.FoundCertificate;

/**
 * The certificate meters on {@code /q/metrics}: renewals by outcome, seconds until expiry per
 * managed lineage, and notAfter of every certificate found on disk.
 */
public final class CertMetrics {

    private final MeterRegistry registry;
    private final Clock clock;
    private final MultiGauge found;

    public CertMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.found = MultiGauge.builder("goldentooth.cert.not.after.seconds")
                .description("notAfter (Unix seconds) of certificates found on disk").register(registry);
    }

    /** {@code goldentooth_agent_cert_renewals_total{lineage, outcome=ok|failed}} */
    public void renewal(String lineage, boolean ok) {
        registry.counter("goldentooth.agent.cert.renewals", "lineage", lineage, "outcome", ok ? "ok" : "failed")
                .increment();
    }

    /** {@code goldentooth_agent_cert_expiry_seconds{lineage}}: negative once expired, absent (NaN) without a certificate. */
    public void watchExpiry(String lineage, Supplier<Instant> notAfter) {
        Gauge.builder("goldentooth.agent.cert.expiry.seconds", () -> {
            Instant at = notAfter.get();
            return at == null ? Double.NaN : (at.toEpochMilli() - clock.millis()) / 1000.0;
        }).tag("lineage", lineage).description("seconds until the lineage's current certificate expires")
                .register(registry);
    }

    public void found(List<FoundCertificate> certificates) {
        found.register(certificates.stream()
                .map(c -> MultiGauge.Row.of(Tags.of("path", c.path().toString(), "subject", c.subject()),
                        c.notAfter().getEpochSecond()))
                .toList(), true);
    }
}
