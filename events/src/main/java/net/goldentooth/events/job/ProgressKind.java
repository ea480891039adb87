package net.goldentooth.events.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** What an agent reports on {@code job.progress} about one task. */
public enum ProgressKind {
    /** The task passed signature, addressee, expiry and replay checks. */
    ACCEPTED,
    /** The process was started. */
    STARTED,
    /** A chunk of stdout or stderr, in order by {@code seq}. */
    OUTPUT,
    /** The process ended (exit code, or a timeout kill) and the duration is known. */
    FINISHED,
    /** The task was refused and never executed; {@code reason} says why. */
    REJECTED,
    /**
     * The provisioner's SSH executor could not reach the node (refused, no route, connect timeout);
     * nothing ran, and {@code reason} says why.
     */
    UNREACHABLE;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ProgressKind fromWire(String value) {
        return WireNames.parse(ProgressKind.class, value);
    }
}
