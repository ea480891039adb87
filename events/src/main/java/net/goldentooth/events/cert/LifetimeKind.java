package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** Long-lived certificates (lifetime over 7 days) and short-lived ones use different expiry tiers. */
public enum LifetimeKind {
    SHORT,
    LONG;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static LifetimeKind fromWire(String value) {
        return WireNames.parse(LifetimeKind.class, value);
    }
}
