package net.goldentooth.agent.certs.renewal;

import java.util.Locale;

/**
 * The agent's own reasons a renewal attempt failed, beside pki's refusals (which carry their
 * {@link net.goldentooth.events.cert.RefusalReason}). Each goes out on {@code cert.renewal-failed}
 * as the code before the colon of {@code <code>: <detail>}.
 */
public enum RenewalFailure {
    /** No answer on {@code cert.issued} within the answer timeout. */
    TIMEOUT,
    /** An enrolment is due but no unspent token can be read. */
    NO_TOKEN,
    /** The lineage's key cannot be read or made. */
    NO_KEY,
    /** pki answered with something the agent cannot install: no certificate, not for this key, a bad chain. */
    BAD_ANSWER,
    /** The certificate, chain or key could not be written. */
    WRITE_FAILED,
    /** The reload hook failed after a new certificate was written. */
    RELOAD_FAILED,
    /** The endpoint does not serve the new certificate after the reload. */
    PROBE_FAILED;

    /** The code as reported: lower case with hyphens. */
    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
