package net.goldentooth.cli.render;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code k8s nodes}: node, Ready, scheduling, kubelet version, taints, and the conditions that are
 * not in their healthy state (a pressure condition that is True, Ready that is not). Reads the
 * provisioner's JSON as it comes, so fields newer than this CLI do no harm.
 */
public final class K8sNodesTable {

    private K8sNodesTable() {
    }

    public static void print(List<JsonNode> nodes, PrintStream out) {
        Table table = new Table("NODE", "READY", "SCHEDULING", "KUBELET", "TAINTS", "PROBLEMS");
        for (JsonNode n : nodes) {
            List<String> taints = new ArrayList<>();
            n.path("taints").forEach(t -> taints.add(t.path("key").asText()
                    + (t.hasNonNull("value") ? "=" + t.path("value").asText() : "") + ":" + t.path("effect").asText()));
            List<String> problems = new ArrayList<>();
            n.path("conditions").forEach(c -> {
                String type = c.path("type").asText();
                boolean healthy = type.equals("Ready") ? c.path("status").asText().equals("True")
                        : c.path("status").asText().equals("False");
                if (!healthy) {
                    problems.add(type + "=" + c.path("status").asText()
                            + (c.hasNonNull("reason") ? " (" + c.path("reason").asText() + ")" : ""));
                }
            });
            table.add(n.path("node").asText(), n.path("ready").asBoolean() ? "yes" : "NO",
                    n.path("unschedulable").asBoolean() ? "cordoned" : "schedulable",
                    n.hasNonNull("kubeletVersion") ? n.path("kubeletVersion").asText() : "-",
                    taints.isEmpty() ? "-" : String.join(",", taints),
                    problems.isEmpty() ? "-" : String.join(", ", problems));
        }
        table.print(out);
    }
}
