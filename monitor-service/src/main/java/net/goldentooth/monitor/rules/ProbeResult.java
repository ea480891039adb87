package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.time.Instant;

/**
 * One probe's newest answer.
 *
 * @param kind         {@code tcp}, {@code http}, {@code https}, {@code icmp} or {@code dns}
 * @param leafNotAfter the presented leaf certificate's expiry (https only)
 */
public record ProbeResult(String target, String kind, String address, boolean success, String error,
                          Duration took, Instant leafNotAfter, Instant at) {
}
