package net.goldentooth.monitor.silences;

import net.goldentooth.events.alert.Silence;
import net.goldentooth.monitor.errors.MonitorError;

/** Makes an operator's silence (new, expired or deleted) take effect. */
public interface SilencePublisher {

    /**
     * Puts the silence on {@code alert.silences}, waits for the broker, then folds it, so the
     * caller's next read and the next evaluation see it.
     *
     * @throws MonitorError.Failure with {@link MonitorError.BusUnavailable} when the broker did not
     *                              acknowledge it (nothing changed)
     */
    void publishSilence(Silence silence);
}
