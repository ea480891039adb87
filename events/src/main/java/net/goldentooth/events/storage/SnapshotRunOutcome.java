package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** How a snapshot run ended: {@code succeeded}, {@code partial} (some commands failed) or {@code failed}. */
public enum SnapshotRunOutcome {
    SUCCEEDED, PARTIAL, FAILED;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static SnapshotRunOutcome fromWire(String value) {
        return WireNames.parse(SnapshotRunOutcome.class, value);
    }
}
