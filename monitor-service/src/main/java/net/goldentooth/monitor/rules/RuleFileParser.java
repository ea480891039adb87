package net.goldentooth.monitor.rules;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.storage.CapacityLevel;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads a rule file: {@code rules:} a list of {@code name, condition, for, severity, labels,
 * annotations, tier}. Works on SnakeYAML's node tree so every error, syntax or meaning, names the
 * file and the line. Unknown keys are errors: a misspelt {@code for} must not silently mean 0 s.
 */
public final class RuleFileParser {

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Set<String> RULE_KEYS = Set.of("name", "condition", "for", "severity", "labels",
            "annotations", "tier");
    private static final Set<String> SEVERITIES = Set.of("info", "warning", "critical");

    private final String file;

    private RuleFileParser(String file) {
        this.file = file;
    }

    public static List<RuleDefinition> parse(String file, String yaml) {
        return new RuleFileParser(file).read(yaml);
    }

    private List<RuleDefinition> read(String yaml) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yaml));
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1;
            throw new RuleFileException(file, line, "YAML syntax: " + e.getProblem());
        } catch (YAMLException e) {
            throw new RuleFileException(file, 1, "YAML syntax: " + e.getMessage());
        }
        if (root == null) {
            throw new RuleFileException(file, 1, "empty file; expected 'rules:' with a list of rules");
        }
        Map<String, Node> top = mapping(root, Set.of("rules"));
        Node rulesNode = top.get("rules");
        if (!(rulesNode instanceof SequenceNode list)) {
            throw error(rulesNode == null ? root : rulesNode, "'rules' must be a list of rules");
        }
        List<RuleDefinition> rules = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (Node item : list.getValue()) {
            RuleDefinition rule = rule(item);
            if (!names.add(rule.name())) {
                throw error(item, "rule '" + rule.name() + "' is defined twice");
            }
            rules.add(rule);
        }
        return List.copyOf(rules);
    }

    private RuleDefinition rule(Node node) {
        Map<String, Node> m = mapping(node, RULE_KEYS);
        String name = required(m, "name", node);
        if (!NAME.matcher(name).matches()) {
            throw error(m.get("name"), "rule name '" + name + "' must be letters, digits and _ (a Prometheus alert name)");
        }
        Node conditionNode = m.get("condition");
        if (conditionNode == null) {
            throw error(node, "rule '" + name + "' has no 'condition'");
        }
        Condition condition = condition(conditionNode);
        Duration forDuration = m.containsKey("for") ? duration(m.get("for")) : Duration.ZERO;
        String severity = required(m, "severity", node);
        if (!SEVERITIES.contains(severity)) {
            throw error(m.get("severity"), "severity '" + severity + "' must be one of " + SEVERITIES);
        }
        Map<String, String> labels = stringMap(m.get("labels"));
        Map<String, String> annotations = stringMap(m.get("annotations"));
        RuleDefinition.Tier tier = null;
        if (m.containsKey("tier")) {
            Map<String, Node> t = mapping(m.get("tier"), Set.of("group", "rank"));
            tier = new RuleDefinition.Tier(required(t, "group", m.get("tier")), integer(t.get("rank"), m.get("tier")));
        }
        return new RuleDefinition(name, condition, forDuration, severity, labels, annotations, tier,
                file + ":" + line(node));
    }

    private Condition condition(Node node) {
        Map<String, Node> m = mapping(node, null);
        String type = required(m, "type", node);
        try {
            return switch (type) {
                case "node-down" -> only(m, node, new Condition.NodeDown());
                case "metric" -> only(m, node, new Condition.Metric(NodeMetric.parse(required(m, "metric", node)),
                        Comparison.parse(required(m, "op", node)), number(m.get("value"), node), optional(m, "group")),
                        "metric", "op", "value", "group");
                case "filesystem-used-ratio" -> only(m, node, new Condition.FilesystemUsed(
                        Comparison.parse(required(m, "op", node)), number(m.get("value"), node), optional(m, "group")),
                        "op", "value", "group");
                case "swap-enabled" -> only(m, node, new Condition.SwapEnabled(optional(m, "group")), "group");
                case "ntp-unsynced" -> only(m, node, new Condition.NtpUnsynced(optional(m, "group")), "group");
                case "clock-skew" -> only(m, node, new Condition.ClockSkew(duration(requiredNode(m, "threshold", node)),
                        optional(m, "group")), "threshold", "group");
                case "bus-down" -> only(m, node, new Condition.BusDown());
                case "default-route-not-primary" -> only(m, node, new Condition.DefaultRouteNotPrimary(
                        required(m, "nic", node), optional(m, "group")), "nic", "group");
                case "throttled" -> only(m, node, new Condition.Throttled(optional(m, "group")), "group");
                case "cert-expiring" -> {
                    String tier = required(m, "tier", node);
                    int rank = switch (tier) {
                        case "warning" -> 1;
                        case "critical" -> 2;
                        case "emergency" -> 3;
                        default -> throw error(m.get("tier"), "tier '" + tier + "' must be warning, critical or emergency");
                    };
                    yield only(m, node, new Condition.CertExpiring(tier, rank), "tier");
                }
                case "cert-remaining-below" -> only(m, node, new Condition.CertRemainingBelow(
                        duration(requiredNode(m, "duration", node)), number(m.get("lifetimeFraction"), node)),
                        "duration", "lifetimeFraction");
                case "cert-renewal-overdue" -> only(m, node, new Condition.CertRenewalOverdue());
                case "cert-renewal-failed" -> only(m, node, new Condition.CertRenewalFailed());
                case "probe-failed" -> only(m, node, new Condition.ProbeFailed(optional(m, "kind"), optional(m, "target")),
                        "kind", "target");
                case "replication-diverged" -> only(m, node, new Condition.ReplicationDiverged());
                case "replication-lagging" -> only(m, node, new Condition.ReplicationLagging(
                        duration(requiredNode(m, "lag", node))), "lag");
                case "capacity-level" -> {
                    String level = required(m, "level", node);
                    if (!level.equals("warning") && !level.equals("critical")) {
                        throw error(m.get("level"), "level '" + level + "' must be warning or critical");
                    }
                    yield only(m, node, new Condition.CapacityLevelReached(CapacityLevel.fromWire(level)), "level");
                }
                case "service-state" -> {
                    if (m.containsKey("state") == m.containsKey("atLeast")) {
                        throw error(node, "a service-state condition needs exactly one of 'state' or 'atLeast'");
                    }
                    String key = m.containsKey("state") ? "state" : "atLeast";
                    ServiceCheck.State state = ServiceCheck.State.fromWire(required(m, key, node));
                    if (state == ServiceCheck.State.OK) {
                        throw error(m.get(key), key + " must be warning, unknown or critical");
                    }
                    yield only(m, node, new Condition.ServiceState(optional(m, "kind"), state, key.equals("atLeast"),
                            optional(m, "group")), "kind", "state", "atLeast", "group");
                }
                case "slurm-memory-above-measured" -> only(m, node,
                        new Condition.SlurmMemoryAboveMeasured(optional(m, "group")), "group");
                case "haproxy-backend-down" -> only(m, node, new Condition.HaproxyBackendDown());
                case "consul-rejoin-age" -> only(m, node, new Condition.ConsulRejoinAge(
                        duration(requiredNode(m, "age", node))), "age");
                case "port-held" -> only(m, node, new Condition.PortHeld());
                case "log-match" -> only(m, node, new Condition.LogMatch(required(m, "regex", node),
                        m.containsKey("units") ? stringList(m.get("units")) : List.of(),
                        m.containsKey("priority") ? net.goldentooth.events.logs.LogPriority.parse(required(m, "priority", node)) : 7,
                        m.containsKey("count") ? integer(m.get("count"), node) : 1,
                        duration(requiredNode(m, "window", node)), optional(m, "group")),
                        "regex", "units", "priority", "count", "window", "group");
                default -> throw error(m.get("type"), "unknown condition type '" + type + "', expected one of: node-down, bus-down, clock-skew, "
                        + "metric, filesystem-used-ratio, swap-enabled, ntp-unsynced, default-route-not-primary, throttled, "
                        + "cert-expiring, cert-remaining-below, cert-renewal-overdue, cert-renewal-failed, probe-failed, "
                        + "replication-diverged, replication-lagging, capacity-level, service-state, "
                        + "slurm-memory-above-measured, haproxy-backend-down, consul-rejoin-age, port-held, log-match");
            };
        } catch (IllegalArgumentException e) {
            throw error(node, e.getMessage());
        }
    }

    private Condition only(Map<String, Node> m, Node node, Condition condition, String... allowed) {
        Set<String> keys = new java.util.HashSet<>(List.of(allowed));
        keys.add("type");
        for (Map.Entry<String, Node> e : m.entrySet()) {
            if (!keys.contains(e.getKey())) {
                throw error(e.getValue(), "unknown key '" + e.getKey() + "' in a " + scalar(m.get("type")) + " condition");
            }
        }
        return condition;
    }

    private Map<String, Node> mapping(Node node, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            throw error(node, "expected a mapping");
        }
        Map<String, Node> out = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalar(tuple.getKeyNode());
            if (allowed != null && !allowed.contains(key)) {
                throw error(tuple.getKeyNode(), "unknown key '" + key + "', expected one of " + allowed);
            }
            out.put(key, tuple.getValueNode());
        }
        return out;
    }

    private String scalar(Node node) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, "expected a single value");
        }
        return s.getValue();
    }

    private String required(Map<String, Node> m, String key, Node owner) {
        return scalar(requiredNode(m, key, owner));
    }

    private Node requiredNode(Map<String, Node> m, String key, Node owner) {
        Node value = m.get(key);
        if (value == null) {
            throw error(owner, "missing '" + key + "'");
        }
        return value;
    }

    private String optional(Map<String, Node> m, String key) {
        return m.containsKey(key) ? scalar(m.get(key)) : null;
    }

    private double number(Node node, Node owner) {
        if (node == null) {
            throw error(owner, "missing a number");
        }
        try {
            return Double.parseDouble(scalar(node));
        } catch (NumberFormatException e) {
            throw error(node, "'" + scalar(node) + "' is not a number");
        }
    }

    private int integer(Node node, Node owner) {
        double value = number(node, owner);
        if (value != Math.rint(value)) {
            throw error(node, "expected a whole number");
        }
        return (int) value;
    }

    private Duration duration(Node node) {
        String text = scalar(node);
        Matcher matcher = DURATION.matcher(text);
        if (!matcher.matches()) {
            throw error(node, "'" + text + "' is not a duration like 30s, 5m, 1h or 7d");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    private List<String> stringList(Node node) {
        if (!(node instanceof SequenceNode sequence)) {
            throw error(node, "expected a list, e.g. [ssh, kernel]");
        }
        List<String> out = new ArrayList<>();
        sequence.getValue().forEach(item -> out.add(scalar(item)));
        return out;
    }

    private Map<String, String> stringMap(Node node) {
        if (node == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        mapping(node, null).forEach((k, v) -> out.put(k, scalar(v)));
        return out;
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    private RuleFileException error(Node node, String reason) {
        return new RuleFileException(file, node == null ? 1 : line(node), reason);
    }
}
