package net.goldentooth.events.heartbeat;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.time.Instant;

/**
 * A sign of life on {@code node.heartbeat} (key: the node name), sent every second or two by each
 * agent, and by each monitor about itself. The topic stamps every record with the broker's append
 * time, so the receiver judges silence on a clock the sender cannot move, and the sender learns its
 * own clock offset from the acknowledgement ({@code RecordMetadata.timestamp()} is that append time):
 * offset = (sent + acknowledged) / 2 - appended, wrong by at most half the round trip.
 *
 * @param node              the node (for {@code role} agent) or the monitor instance that beats
 * @param role              {@code agent} or {@code monitor}; a monitor's beat only proves the bus to itself
 * @param seq               increases by one per beat of this sender; restarts at 0 with the process
 * @param sentAt            the sender's own clock when it sent this beat (not trusted; compared with the append time)
 * @param intervalMillis    how often this sender beats: the receiver's silence window is a multiple of it
 * @param clockOffsetMillis the sender's clock minus bus time, from its best recent round trip
 *                          (positive: the node's clock is ahead); null until one was measured
 * @param clockOffsetErrorMillis half that round trip: the offset is right within this; null with the offset
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeHeartbeat(
        String node,
        String role,
        long seq,
        Instant sentAt,
        long intervalMillis,
        Long clockOffsetMillis,
        Long clockOffsetErrorMillis) {

    public static final String AGENT = "agent";
    public static final String MONITOR = "monitor";

    /**
     * The sender's clock minus bus time as a receiver knows it from this beat, appended at
     * {@code appendedAt}. The beat was appended after it was sent, so the offset is at least
     * {@code sentAt - appendedAt}. The sender's own measurement is taken when it agrees with that
     * bound; otherwise (no measurement yet, or one that contradicts it) the bound itself, with no
     * error (a one-sided view). Null without a {@code sentAt}.
     */
    public ClockOffset clockOffset(Instant appendedAt) {
        if (sentAt == null || appendedAt == null) {
            return null;
        }
        Duration lowerBound = Duration.between(appendedAt, sentAt);
        if (clockOffsetMillis != null && clockOffsetErrorMillis != null
                && clockOffsetMillis + clockOffsetErrorMillis + 1 >= lowerBound.toMillis()) {
            return new ClockOffset(Duration.ofMillis(clockOffsetMillis), Duration.ofMillis(clockOffsetErrorMillis));
        }
        return new ClockOffset(lowerBound, null);
    }

    /**
     * @param offset the sender's clock minus bus time (positive: ahead)
     * @param error  the offset is right within this; null for the receiver's one-sided bound
     */
    public record ClockOffset(Duration offset, Duration error) {

        /** The smallest offset the measurement allows, with its sign, in seconds: what a policy may act on. */
        public double certainSeconds() {
            long certain = Math.max(0, offset.abs().toMillis() - (error == null ? 0 : error.toMillis()));
            return (offset.isNegative() ? -certain : certain) / 1000.0;
        }
    }

    /** A beat from a node agent (also what a beat without a role is, for senders older than the field). */
    public boolean fromAgent() {
        return role == null || AGENT.equals(role);
    }
}
