package net.goldentooth.pki.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.pki.desk.PkiCounters;

/** Counters for issuance, refusals by reason, and dead letters, on {@code /q/metrics}. */
@ApplicationScoped
public class PkiMetrics implements PkiCounters {

    @Inject
    MeterRegistry registry;

    @Override
    public void issued(CertKind kind) {
        registry.counter("goldentooth_pki_issued", "kind", kind.wire()).increment();
    }

    @Override
    public void refused(RefusalReason reason) {
        registry.counter("goldentooth_pki_refused", "reason", reason.wire()).increment();
    }

    public void deadLettered(String topic, String reason) {
        registry.counter("goldentooth_pki_dead_letters", "topic", topic).increment();
    }
}
