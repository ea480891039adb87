package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/**
 * The state of one target of a job:
 * {@code pending → dispatched → accepted → running → succeeded | failed | timed-out | unreachable | rejected}.
 * {@code timed-out} and {@code unreachable} are given by the provisioner's deadline; a result that
 * arrives later still replaces them (late results are merged, never dropped).
 */
public enum TargetState {
    PENDING, DISPATCHED, ACCEPTED, RUNNING, SUCCEEDED, FAILED, TIMED_OUT, UNREACHABLE, REJECTED;

    public boolean terminal() {
        return ordinal() >= SUCCEEDED.ordinal();
    }

    /** Terminal states decided by the deadline, not by the agent; an agent's report overrides them. */
    public boolean decidedByDeadline() {
        return this == TIMED_OUT || this == UNREACHABLE;
    }

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static TargetState fromWire(String value) {
        return WireNames.parse(TargetState.class, value);
    }
}
