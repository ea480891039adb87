package net.goldentooth.events.storage;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** How full a filesystem is: {@code ok}, {@code warning} (from 80 % by default), {@code critical} (from 90 %). */
public enum CapacityLevel {
    OK, WARNING, CRITICAL;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static CapacityLevel fromWire(String value) {
        return WireNames.parse(CapacityLevel.class, value);
    }
}
