package net.goldentooth.monitor.liveness;

import java.time.Instant;

/**
 * The bus as the monitor sees it at one evaluation.
 *
 * @param now     bus time now (the broker's append time of the monitor's own newest beat, advanced
 *                by the monitor's monotonic clock); null when the monitor has never reached the bus
 * @param up      the monitor's own beats are acknowledged: the bus works for it
 * @param upSince bus time at which the bus came back after it was seen down; null if it was never
 *                seen down. Silence before it is the bus's, not a node's.
 */
public record BusView(Instant now, boolean up, Instant upSince) {

    /** A bus that has always been up, with {@code now} from elsewhere (tests, tools). */
    public static BusView alwaysUp(Instant now) {
        return new BusView(now, true, null);
    }
}
