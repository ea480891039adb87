package net.goldentooth.events.alert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/**
 * Where an alert is in its life: {@code inactive → pending → firing → resolved}. A pending alert
 * whose condition clears goes back to {@code inactive} without ever firing; a resolved one whose
 * condition returns starts pending again.
 */
public enum AlertPhase {
    INACTIVE, PENDING, FIRING, RESOLVED;

    /** Pending and firing alerts are the ones a restart must carry over. */
    public boolean active() {
        return this == PENDING || this == FIRING;
    }

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static AlertPhase fromWire(String value) {
        return WireNames.parse(AlertPhase.class, value);
    }
}
