package net.goldentooth.monitor.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The active rules: the shipped file plus an optional extra one. Loading a new extra file either
 * succeeds entirely or leaves the previous rules active. Thread-safe (one volatile list).
 */
public final class RuleSet {

    public static final String SHIPPED = "rules/goldentooth-rules.yaml";

    private final List<RuleDefinition> shipped;
    private volatile List<RuleDefinition> active;

    public RuleSet(List<RuleDefinition> shipped) {
        this.shipped = List.copyOf(shipped);
        this.active = this.shipped;
    }

    public List<RuleDefinition> active() {
        return active;
    }

    /**
     * Replaces the extra rules with those of {@code file}; on any error the previous rules stay
     * active and the error, naming file and line, is thrown.
     */
    public List<RuleDefinition> loadExtra(String file, String yaml) {
        List<RuleDefinition> extra = RuleFileParser.parse(file, yaml);
        Set<String> names = new HashSet<>();
        shipped.forEach(r -> names.add(r.name()));
        for (RuleDefinition rule : extra) {
            if (names.contains(rule.name())) {
                String line = rule.origin().substring(rule.origin().lastIndexOf(':') + 1);
                throw new RuleFileException(file, Integer.parseInt(line), "rule '" + rule.name()
                        + "' is already defined by the shipped rules");
            }
        }
        List<RuleDefinition> all = new ArrayList<>(shipped);
        all.addAll(extra);
        active = List.copyOf(all);
        return extra;
    }
}
