package net.goldentooth.provisioner.k8s;

import java.util.List;

/**
 * Which pods a drain evicts, as {@code kubectl drain --ignore-daemonsets} decides: not pods a
 * DaemonSet owns (its controller would put them back at once), not static (mirror) pods (the
 * API cannot remove them), not pods that have already finished. Pure.
 */
public final class DrainPolicy {

    /** The annotation the kubelet puts on the API's copy of a static pod. */
    public static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";

    /**
     * @param ownerKinds the kinds of the pod's owner references
     * @param mirror     it carries {@link #MIRROR_ANNOTATION}
     * @param phase      {@code status.phase}
     */
    public record PodInfo(String namespace, String name, List<String> ownerKinds, boolean mirror, String phase) {
        public String ref() {
            return namespace + "/" + name;
        }
    }

    private DrainPolicy() {
    }

    public static boolean evictable(PodInfo pod) {
        return !pod.ownerKinds().contains("DaemonSet") && !pod.mirror()
                && !"Succeeded".equals(pod.phase()) && !"Failed".equals(pod.phase());
    }
}
