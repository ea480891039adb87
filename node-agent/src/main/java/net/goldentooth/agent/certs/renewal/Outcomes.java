package net.goldentooth.agent.certs.renewal;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import net.goldentooth.agent.certs.CertMetrics;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.CertRenewed;
import org.jboss.logging.Logger;

/**
 * What every lineage, X.509 or SSH, keeps and reports about its attempts: consecutive failures
 * and the last one (the {@link RenewalSchedule}'s backoff), whether a written certificate still
 * waits for its reload, and the reports themselves ({@code cert.renewed},
 * {@code cert.renewal-failed}, the renewal counter, a log line). Used on the renewal loop's single
 * thread only.
 */
public final class Outcomes {

    private static final Logger LOG = Logger.getLogger(Outcomes.class);

    private final String node;
    private final String lineage;
    private final CertEvents events;
    private final CertMetrics metrics;
    private final Clock clock;

    private int failures;
    private Instant lastFailureAt;
    private boolean unconfirmed;

    public Outcomes(String node, String lineage, CertEvents events, CertMetrics metrics, Clock clock) {
        this.node = node;
        this.lineage = lineage;
        this.events = events;
        this.metrics = metrics;
        this.clock = clock;
    }

    public int failures() {
        return failures;
    }

    public Instant lastFailureAt() {
        return lastFailureAt;
    }

    /** A new certificate is written but not yet reloaded (and probed): the schedule retries the reload. */
    public boolean unconfirmed() {
        return unconfirmed;
    }

    /** A new certificate was written; until {@link #confirmed} the schedule asks for the reload again. */
    public void installed() {
        unconfirmed = true;
    }

    /** Reports a failed attempt as {@code <code>: <detail>}; it counts for the backoff. */
    public void failed(RenewalFailure failure, String detail) {
        report(failure.code(), detail);
    }

    /** Reports pki's refusal as {@code <refusal reason>: <message>}; it counts for the backoff. */
    public void refused(CertIssued.Refusal refusal) {
        report(refusal.reason() == null ? "refused" : refusal.reason().wire(), refusal.message());
    }

    private void report(String code, String detail) {
        failures++;
        lastFailureAt = clock.instant();
        String reason = code + ": " + detail;
        LOG.warnf("%s failed (attempt %d): %s", lineage, failures, reason);
        metrics.renewal(lineage, false);
        events.failed(new CertRenewalFailed(node, lineage, reason, failures, lastFailureAt));
    }

    /** Runs the reload hook when there is one; false after reporting {@code reload-failed}. */
    public boolean reloaded(Optional<String> command, CommandRunner runner) {
        Optional<String> problem = command.flatMap(c -> ReloadCommand.run(runner, c));
        problem.ifPresent(p -> failed(RenewalFailure.RELOAD_FAILED, p));
        return problem.isEmpty();
    }

    /** The new certificate is in use: the failures are forgotten and {@code cert.renewed} is sent. */
    public void confirmed(String serial, Instant notAfter) {
        unconfirmed = false;
        failures = 0;
        lastFailureAt = null;
        metrics.renewal(lineage, true);
        LOG.infof("renewed %s: serial %s until %s", lineage, serial, notAfter);
        events.renewed(new CertRenewed(node, lineage, serial, notAfter, clock.instant()));
    }
}
