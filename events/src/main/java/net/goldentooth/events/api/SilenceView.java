package net.goldentooth.events.api;

import java.util.List;
import net.goldentooth.events.alert.Silence;

/**
 * A silence as monitor-service's {@code GET /silences} serves it.
 *
 * @param state          {@code pending} (starts later), {@code active} or {@code expired}
 * @param silencedAlerts fingerprints of the pending or firing alerts it silences now
 */
public record SilenceView(Silence silence, String state, List<String> silencedAlerts) {
}
