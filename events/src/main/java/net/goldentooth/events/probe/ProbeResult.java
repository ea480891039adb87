package net.goldentooth.events.probe;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One probe's outcome, on the compacted {@code probe.results} topic (key: the probe target's name).
 * The monitor publishes when the outcome changes (up/down, or the presented leaf's expiry) and
 * again at a fixed period, so the newest record per target is its current state.
 *
 * @param target       the probe target's name (the record key), e.g. {@code vault} or {@code liveness/bettley}
 * @param kind         {@code tcp}, {@code http}, {@code https}, {@code icmp} or {@code dns}
 * @param address      what was probed: {@code host:port}, or the host for icmp and dns
 * @param node         the inventory node a liveness probe speaks for; null for service probes
 * @param latencyMs    how long the probe took, failed ones included
 * @param httpStatus   the HTTP status of an http(s) probe that got an answer; null otherwise
 * @param leafNotAfter the presented leaf certificate's expiry (https only); null otherwise
 * @param error        why the probe failed; null on success
 * @param at           when the probe finished
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProbeResult(
        String target,
        String kind,
        String address,
        String node,
        boolean success,
        long latencyMs,
        Integer httpStatus,
        Instant leafNotAfter,
        String error,
        Instant at) {
}
