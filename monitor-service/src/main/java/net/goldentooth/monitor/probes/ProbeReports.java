package net.goldentooth.monitor.probes;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.goldentooth.events.probe.ProbeResult;

/**
 * Decides which probe answers become {@code probe.results} events: a target's first answer, every
 * change of outcome (up ↔ down) or of the presented leaf's expiry, and otherwise one answer per
 * {@code republish} period, so the compacted topic stays current without a record every probe tick.
 * Pure: the time is the probe's own {@code at}.
 */
public final class ProbeReports {

    private record Published(boolean success, Instant leafNotAfter, Instant at) {
    }

    private final Duration republish;
    private final Map<String, Published> last = new HashMap<>();

    public ProbeReports(Duration republish) {
        if (republish.isNegative() || republish.isZero()) {
            throw new IllegalArgumentException("republish period must be positive, got " + republish);
        }
        this.republish = republish;
    }

    /**
     * @param node the inventory node a liveness probe speaks for, or null
     * @return the event to publish for this answer, or empty when it repeats the last one recently
     */
    public synchronized Optional<ProbeResult> consider(net.goldentooth.monitor.rules.ProbeResult answer, String node) {
        Published before = last.get(answer.target());
        boolean due = before == null
                || before.success() != answer.success()
                || !Objects.equals(before.leafNotAfter(), answer.leafNotAfter())
                || !answer.at().isBefore(before.at().plus(republish));
        if (!due) {
            return Optional.empty();
        }
        last.put(answer.target(), new Published(answer.success(), answer.leafNotAfter(), answer.at()));
        return Optional.of(new ProbeResult(answer.target(), answer.kind(), answer.address(), node, answer.success(),
                answer.took().toMillis(), answer.httpStatus(), answer.leafNotAfter(), answer.error(), answer.at()));
    }
}
