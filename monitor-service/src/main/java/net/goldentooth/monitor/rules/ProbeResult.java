package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * One probe's newest answer.
 *
 * @param kind         {@code tcp}, {@code http}, {@code https}, {@code icmp} or {@code dns}
 * @param httpStatus   the HTTP status of an http(s) probe that got an answer, else null
 * @param leafNotAfter the presented leaf certificate's expiry (https only)
 */
public record ProbeResult(String target, String kind, String address, boolean success, String error,
                          Duration took, Integer httpStatus, Instant leafNotAfter, Instant at) {
}
