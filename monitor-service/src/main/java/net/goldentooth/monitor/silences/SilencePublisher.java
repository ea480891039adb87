package net.goldentooth.monitor.silences;

import net.goldentooth.events.alert.Silence;

/** Makes an operator's silence (new, expired or deleted) take effect. */
public interface SilencePublisher {

    /**
     * Puts the silence on {@code alert.silences}, waits for the broker, then folds it, so the
     * caller's next read and the next evaluation see it.
     *
     * @throws IllegalStateException when the broker did not acknowledge it
     */
    void publishSilence(Silence silence);
}
