package net.goldentooth.provisioner.k8s.upgrade;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Plans a kubeadm minor-version upgrade in kubeadm's documented order (and the seed's, lines
 * 5791-6068): switch every node's apt repository to the new minor; upgrade kubeadm on the first
 * control-plane node and check the plan; stop for an operator's approval; {@code kubeadm upgrade
 * apply} there; {@code kubeadm upgrade node} on the other control-plane nodes one by one; then the
 * kubelets one node at a time, each drained, upgraded and uncordoned before the next is touched.
 * Pure: the same input gives the same plan, which is what lets a restarted provisioner continue.
 */
public final class UpgradePlanner {

    private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)\\.(\\d+)");

    private UpgradePlanner() {
    }

    /** A version {@code 1.33.2} (or {@code v1.33.2}); anything else is an error saying what is expected. */
    public record Version(int major, int minor, int patch) {

        public static Version parse(String text) {
            Matcher m = text == null ? null : VERSION.matcher(text.strip());
            if (m == null || !m.matches()) {
                throw new IllegalArgumentException("Kubernetes version '" + text
                        + "' is invalid: give the full version to upgrade to, e.g. 1.33.2");
            }
            return new Version(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
        }

        public String minorLine() {
            return major + "." + minor;
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch;
        }
    }

    /**
     * @param controlPlane the control-plane nodes to upgrade, the first one first (it runs {@code upgrade apply})
     * @param workers      the other nodes
     * @throws IllegalArgumentException when there is no control-plane node or a node is in both lists
     */
    public static List<UpgradeStep> plan(Version version, List<String> controlPlane, List<String> workers) {
        if (controlPlane.isEmpty()) {
            throw new IllegalArgumentException("the nodes to upgrade include no control-plane node; "
                    + "kubeadm upgrade apply must run on one first");
        }
        for (String w : workers) {
            if (controlPlane.contains(w)) {
                throw new IllegalArgumentException("node " + w + " is listed as control plane and worker");
            }
        }
        String first = controlPlane.get(0);
        List<String> all = new ArrayList<>(controlPlane);
        all.addAll(workers);
        String pkg = "'" + version + "-*'";
        List<UpgradeStep> steps = new ArrayList<>();
        add(steps, UpgradeStep.Kind.COMMAND, "switch the Kubernetes apt repository to v" + version.minorLine(), all,
                "for f in /etc/apt/sources.list.d/kubernetes.*; do "
                        + "sed -i -E 's#core:/stable:/v[0-9]+\\.[0-9]+/#core:/stable:/v" + version.minorLine() + "/#' \"$f\"; "
                        + "done && apt-get update");
        add(steps, UpgradeStep.Kind.COMMAND, "upgrade kubeadm on the first control-plane node " + first
                        + " and check the plan", List.of(first),
                "apt-mark unhold kubeadm && apt-get install -y kubeadm=" + pkg + " && apt-mark hold kubeadm"
                        + " && kubeadm version -o short && kubeadm upgrade plan v" + version);
        add(steps, UpgradeStep.Kind.GATE, "approval before kubeadm upgrade apply v" + version + " on " + first,
                List.of(), null);
        add(steps, UpgradeStep.Kind.COMMAND, "kubeadm upgrade apply v" + version + " on " + first, List.of(first),
                "kubeadm upgrade apply v" + version + " --certificate-renewal=false -y");
        for (String node : controlPlane.subList(1, controlPlane.size())) {
            add(steps, UpgradeStep.Kind.COMMAND, "kubeadm upgrade node on control-plane node " + node, List.of(node),
                    "apt-mark unhold kubeadm && apt-get install -y kubeadm=" + pkg + " && apt-mark hold kubeadm"
                            + " && kubeadm upgrade node");
        }
        for (String node : all) {
            add(steps, UpgradeStep.Kind.DRAIN, "drain " + node, List.of(node), null);
            add(steps, UpgradeStep.Kind.COMMAND, "upgrade kubelet and kubectl on " + node, List.of(node),
                    "apt-mark unhold kubelet kubectl && apt-get install -y kubelet=" + pkg + " kubectl=" + pkg
                            + " && apt-mark hold kubelet kubectl && systemctl daemon-reload && systemctl restart kubelet");
            add(steps, UpgradeStep.Kind.UNCORDON, "uncordon " + node, List.of(node), null);
        }
        return List.copyOf(steps);
    }

    private static void add(List<UpgradeStep> steps, UpgradeStep.Kind kind, String title, List<String> nodes,
                            String command) {
        steps.add(new UpgradeStep(steps.size() + 1, kind, title, nodes, command));
    }
}
