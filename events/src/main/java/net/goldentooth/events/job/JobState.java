package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/**
 * The state of a whole job: {@code running} until every target is terminal, then
 * {@code succeeded} when all targets succeeded and {@code failed} otherwise. A late result can
 * move a finished job from {@code failed} to {@code succeeded}.
 */
public enum JobState {
    RUNNING, SUCCEEDED, FAILED;

    public boolean terminal() {
        return this != RUNNING;
    }

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static JobState fromWire(String value) {
        return WireNames.parse(JobState.class, value);
    }
}
