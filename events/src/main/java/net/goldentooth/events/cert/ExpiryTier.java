package net.goldentooth.events.cert;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import net.goldentooth.events.WireNames;

/** How close a certificate is to expiry; {@link CertExpiring} carries only the highest tier reached. */
public enum ExpiryTier {
    WARNING,
    CRITICAL,
    EMERGENCY;

    @JsonValue
    public String wire() {
        return WireNames.of(this);
    }

    @JsonCreator
    public static ExpiryTier fromWire(String value) {
        return WireNames.parse(ExpiryTier.class, value);
    }
}
