package net.goldentooth.monitor.rules;

import java.time.Duration;
import java.util.Map;

/**
 * An immutable alert rule. Runtime state lives apart, in {@link AlertTable}.
 *
 * @param forDuration how long the condition must hold before the alert fires
 * @param tier        rules sharing a tier group collapse to the highest rank per subject; null if untiered
 * @param origin      {@code file:line} of the definition, for messages
 */
public record RuleDefinition(String name, Condition condition, Duration forDuration, String severity,
                             Map<String, String> labels, Map<String, String> annotations, Tier tier, String origin) {

    public RuleDefinition {
        labels = Map.copyOf(labels);
        annotations = Map.copyOf(annotations);
    }

    /** @param rank higher wins within the group */
    public record Tier(String group, int rank) {
    }
}
