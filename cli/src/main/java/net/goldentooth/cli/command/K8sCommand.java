package net.goldentooth.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.cli.render.K8sNodesTable;
import net.goldentooth.events.job.JobKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code k8s ...}: Kubernetes node operations through the provisioner. */
@Command(name = "k8s", description = "Kubernetes node operations: nodes, cordon, uncordon, drain, label, taint, upgrade.",
        subcommands = {K8sCommand.Nodes.class, K8sCommand.Cordon.class, K8sCommand.Uncordon.class,
                K8sCommand.Drain.class, K8sCommand.Label.class, K8sCommand.Taint.class, K8sCommand.Upgrade.class})
public final class K8sCommand implements Callable<Integer> {

    @ParentCommand
    RootCommand root;

    @Spec
    CommandSpec spec;

    @Mixin
    HelpOption help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing k8s command: nodes, cordon, uncordon, drain, "
                + "label, taint or upgrade");
    }

    static String node(String name) {
        return "/k8s/nodes/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    /** The shared parts of the node subcommands. */
    abstract static class NodeCommand implements Callable<Integer> {
        @ParentCommand
        K8sCommand k8s;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Option(names = "--json", description = "Print the provisioner's JSON.")
        boolean json;

        /** Prints the node's new state as a one-row table (or JSON); exit 0. */
        int printNode(JsonNode node) {
            if (json) {
                k8s.root.context().out().println(ProvisionerJson.pretty(node));
            } else {
                K8sNodesTable.print(java.util.List.of(node), k8s.root.context().out());
            }
            return 0;
        }

        JsonNode post(String path, Object body) {
            return k8s.root.client(spec).postTree(path, body);
        }
    }

    @Command(name = "nodes", description = "The cluster's nodes: Ready, scheduling, kubelet version, taints, "
            + "conditions that are not normal.")
    static final class Nodes extends NodeCommand {
        @Override
        public Integer call() {
            JsonNode nodes = k8s.root.client(spec).getTree("/k8s/nodes");
            if (json) {
                k8s.root.context().out().println(ProvisionerJson.pretty(nodes));
            } else {
                java.util.List<JsonNode> rows = new java.util.ArrayList<>();
                nodes.forEach(rows::add);
                K8sNodesTable.print(rows, k8s.root.context().out());
            }
            return 0;
        }
    }

    /** cordon and uncordon: a POST to {@code /k8s/nodes/<node>/<action>}, then the node's new row. */
    abstract static class Scheduling extends NodeCommand {
        @Parameters(index = "0", paramLabel = "<node>")
        String node;

        abstract String action();

        @Override
        public Integer call() {
            return printNode(post(node(node) + "/" + action(), null));
        }
    }

    @Command(name = "cordon", description = "Mark a node unschedulable.")
    static final class Cordon extends Scheduling {
        @Override
        String action() {
            return "cordon";
        }
    }

    @Command(name = "uncordon", description = "Mark a node schedulable again.")
    static final class Uncordon extends Scheduling {
        @Override
        String action() {
            return "uncordon";
        }
    }

    @Command(name = "drain", description = {"Cordon a node and evict its pods through the Eviction API, so "
            + "PodDisruptionBudgets are respected; refused evictions are retried until --timeout.",
            "Exit 0 when the node is empty (DaemonSet and mirror pods aside), 1 when pods are left (listed)."})
    static final class Drain extends NodeCommand {
        @Parameters(index = "0", paramLabel = "<node>")
        String node;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "How long to retry refused evictions "
                + "(1..3600; default: the provisioner's, 5 minutes).")
        Integer timeoutSeconds;

        @Override
        public Integer call() {
            JsonNode result = post(node(node) + "/drain" + (timeoutSeconds == null ? "" : "?timeoutSeconds="
                    + timeoutSeconds), null);
            var out = k8s.root.context().out();
            if (json) {
                out.println(ProvisionerJson.pretty(result));
            } else {
                result.path("evicted").forEach(p -> out.println("evicted " + p.asText()));
                result.path("skipped").forEach(p -> out.println("left alone " + p.asText()));
                result.path("remaining").fields().forEachRemaining(e ->
                        out.println("REMAINING " + e.getKey() + ": " + e.getValue().asText()));
            }
            boolean complete = result.path("remaining").isEmpty();
            if (!complete) {
                k8s.root.context().err().println("goldentooth: " + node + " is cordoned but not empty");
            }
            return complete ? 0 : 1;
        }
    }

    @Command(name = "label", description = "Set a label on a node (key=value), or remove it (key-).")
    static final class Label extends NodeCommand {
        @Parameters(index = "0", paramLabel = "<node>")
        String node;
        @Parameters(index = "1", paramLabel = "key=value|key-")
        String label;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            if (label.endsWith("-") && !label.contains("=")) {
                body.put("key", label.substring(0, label.length() - 1));
                body.put("value", null);
            } else if (label.indexOf('=') > 0) {
                body.put("key", label.substring(0, label.indexOf('=')));
                body.put("value", label.substring(label.indexOf('=') + 1));
            } else {
                throw new ParameterException(spec.commandLine(), "'" + label + "' is neither key=value nor key-");
            }
            return printNode(post(node(node) + "/labels", body));
        }
    }

    @Command(name = "taint", description = {"Taint a node (key[=value]:Effect) or remove a taint (key[=value]:Effect-),",
            "e.g. goldentooth k8s taint velaryon gpu=true:NoSchedule"})
    static final class Taint extends NodeCommand {
        private static final Pattern TAINT = Pattern.compile("([^=:]+)(?:=([^:]*))?:([A-Za-z]+)(-?)");

        @Parameters(index = "0", paramLabel = "<node>")
        String node;
        @Parameters(index = "1", paramLabel = "key[=value]:Effect[-]")
        String taint;

        @Override
        public Integer call() {
            Matcher m = TAINT.matcher(taint);
            if (!m.matches()) {
                throw new ParameterException(spec.commandLine(), "'" + taint + "' is not key[=value]:Effect[-], "
                        + "e.g. gpu=true:NoSchedule");
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("key", m.group(1));
            body.put("value", m.group(2));
            body.put("effect", m.group(3));
            body.put("remove", !m.group(4).isEmpty());
            return printNode(post(node(node) + "/taints", body));
        }
    }

    @Command(name = "upgrade", description = {"Upgrade Kubernetes with kubeadm as one job: apt repository switch, "
            + "first control-plane node, a gate before 'kubeadm upgrade apply' (goldentooth job approve <id>), "
            + "the other control-plane nodes, then the kubelets one node at a time (drain, upgrade, uncordon).",
            "Follows the job like 'command'; Ctrl-C stops watching, not the upgrade."})
    static final class Upgrade implements Callable<Integer> {
        /** The whole upgrade, the wait at the gate included. */
        static final int DEFAULT_TIMEOUT_SECONDS = 86_400;

        @ParentCommand
        K8sCommand k8s;
        @Spec
        CommandSpec spec;
        @Mixin
        HelpOption help;
        @Mixin
        RunOptions options;
        @Parameters(index = "0", paramLabel = "<version>", description = "The version to upgrade to, e.g. 1.33.2.")
        String version;
        @Parameters(index = "1", paramLabel = "<pattern>", description = "The nodes to upgrade, e.g. k8s_cluster.")
        String pattern;

        @Override
        public Integer call() {
            RunOptions.requirePattern(spec, pattern);
            return ProvisionerRunJob.run(k8s.root, spec, options, JobKind.K8S_UPGRADE, pattern, version, null,
                    DEFAULT_TIMEOUT_SECONDS);
        }
    }
}
