package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/**
 * The state of one dataset × target replication pair.
 * {@code idle → sending | resuming → in-sync}, or {@code behind} while snapshots wait,
 * {@code failed} (retried on the next run) and {@code diverged} (the target's newest snapshot is
 * not on the source: nothing is sent or destroyed until an operator repairs the target).
 */
public enum ReplicationState {
    IDLE, BEHIND, SENDING, RESUMING, IN_SYNC, FAILED, DIVERGED;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ReplicationState fromWire(String value) {
        return WireNames.parse(ReplicationState.class, value);
    }
}
