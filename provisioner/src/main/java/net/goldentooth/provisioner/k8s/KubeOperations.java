package net.goldentooth.provisioner.k8s;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.provisioner.errors.ErrorKind;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Node operations against the Kubernetes API (fabric8): the edge. Decisions — which pods a drain
 * evicts — are {@link DrainPolicy}'s. Every failure is a {@link K8sException} with the status to
 * answer with.
 */
public final class KubeOperations {

    private static final Logger LOG = Logger.getLogger(KubeOperations.class);
    /** A label or taint key: an optional DNS prefix and a name (Kubernetes' qualified name). */
    private static final Pattern KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");
    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    private final KubernetesClient client;
    private final Clock clock;
    private final Duration evictionRetry;

    public KubeOperations(KubernetesClient client, Clock clock, Duration evictionRetry) {
        this.client = client;
        this.clock = clock;
        this.evictionRetry = evictionRetry;
    }

    /** Every node's state as the API server reports it, sorted by name. */
    public List<NodeConditions> nodes() {
        return call("list nodes", () -> client.nodes().list().getItems().stream()
                .map(n -> conditionsOf(n, clock.instant()))
                .sorted(java.util.Comparator.comparing(NodeConditions::node))
                .toList());
    }

    public NodeConditions cordon(String node, boolean unschedulable) {
        Node edited = edit(node, n -> new NodeBuilder(n).editOrNewSpec().withUnschedulable(unschedulable).endSpec()
                .build());
        return conditionsOf(edited, clock.instant());
    }

    /** Sets a label, or removes it when {@code value} is null. */
    public NodeConditions label(String node, String key, String value) {
        checkKey(key, "label");
        if (value != null && !VALUE.matcher(value).matches()) {
            throw new K8sException(ErrorKind.INVALID, "label value '" + value + "' is invalid: at most 63 characters of "
                    + "letters, digits, '-', '_' and '.', starting and ending with a letter or digit", null);
        }
        Node edited = edit(node, n -> {
            Map<String, String> labels = new LinkedHashMap<>(n.getMetadata().getLabels() == null ? Map.of()
                    : n.getMetadata().getLabels());
            if (value == null) {
                labels.remove(key);
            } else {
                labels.put(key, value);
            }
            return new NodeBuilder(n).editMetadata().withLabels(labels).endMetadata().build();
        });
        return conditionsOf(edited, clock.instant());
    }

    /** Adds a taint (replacing one with the same key and effect), or removes it when {@code remove}. */
    public NodeConditions taint(String node, NodeConditions.Taint taint, boolean remove) {
        checkKey(taint.key(), "taint");
        if (!EFFECTS.contains(taint.effect())) {
            throw new K8sException(ErrorKind.INVALID, "taint effect '" + taint.effect() + "' is invalid: one of "
                    + String.join(", ", new java.util.TreeSet<>(EFFECTS)), null);
        }
        if (taint.value() != null && !VALUE.matcher(taint.value()).matches()) {
            throw new K8sException(ErrorKind.INVALID, "taint value '" + taint.value() + "' is invalid", null);
        }
        Node edited = edit(node, n -> {
            List<Taint> taints = new ArrayList<>(n.getSpec() == null || n.getSpec().getTaints() == null ? List.of()
                    : n.getSpec().getTaints());
            taints.removeIf(t -> t.getKey().equals(taint.key()) && t.getEffect().equals(taint.effect()));
            if (!remove) {
                taints.add(new Taint(taint.effect(), taint.key(), null, taint.value()));
            }
            return new NodeBuilder(n).editOrNewSpec().withTaints(taints).endSpec().build();
        });
        return conditionsOf(edited, clock.instant());
    }

    /**
     * Cordons the node, then evicts its pods through the Eviction API (policy/v1), so the API
     * server enforces PodDisruptionBudgets: a refused eviction (HTTP 429) is retried every
     * {@code evictionRetry} until {@code timeout}. Waits for evicted pods to be gone. Pods still
     * there at the timeout are reported, not deleted.
     */
    public DrainResult drain(String node, Duration timeout) {
        MDC.put("node", node);
        try {
            cordon(node, true);
            Instant deadline = clock.instant().plus(timeout);
            List<String> skipped = new ArrayList<>();
            Map<String, Pod> pending = new LinkedHashMap<>();
            for (Pod pod : podsOn(node)) {
                DrainPolicy.PodInfo info = infoOf(pod);
                if (DrainPolicy.evictable(info)) {
                    pending.put(info.ref(), pod);
                } else {
                    skipped.add(info.ref());
                }
            }
            Set<String> accepted = new LinkedHashSet<>();
            List<String> evicted = new ArrayList<>();
            while (true) {
                for (var it = pending.entrySet().iterator(); it.hasNext(); ) {
                    var entry = it.next();
                    Pod pod = entry.getValue();
                    String ns = pod.getMetadata().getNamespace();
                    String name = pod.getMetadata().getName();
                    if (!accepted.contains(entry.getKey())) {
                        boolean ok = call("evict " + entry.getKey(), () -> client.pods().inNamespace(ns).withName(name).evict());
                        if (ok) {
                            accepted.add(entry.getKey());
                            LOG.infof("drain %s: eviction of %s accepted", node, entry.getKey());
                        } else {
                            LOG.debugf("drain %s: eviction of %s refused (PodDisruptionBudget); retrying", node,
                                    entry.getKey());
                        }
                    }
                    if (accepted.contains(entry.getKey())
                            && call("get " + entry.getKey(), () -> client.pods().inNamespace(ns).withName(name).get()) == null) {
                        evicted.add(entry.getKey());
                        it.remove();
                    }
                }
                if (pending.isEmpty() || !clock.instant().isBefore(deadline)) {
                    break;
                }
                sleep(evictionRetry);
            }
            Map<String, String> remaining = new LinkedHashMap<>();
            pending.keySet().forEach(ref -> remaining.put(ref, accepted.contains(ref)
                    ? "evicted, still terminating" : "eviction refused until the timeout (PodDisruptionBudget)"));
            return new DrainResult(node, evicted, remaining, skipped);
        } finally {
            MDC.remove("node");
        }
    }

    private List<Pod> podsOn(String node) {
        // Filtered here rather than with a field selector: a 14-node cluster's pod list is small.
        return call("list pods", () -> client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getSpec() != null && node.equals(p.getSpec().getNodeName()))
                .toList());
    }

    static DrainPolicy.PodInfo infoOf(Pod pod) {
        List<OwnerReference> owners = pod.getMetadata().getOwnerReferences() == null ? List.of()
                : pod.getMetadata().getOwnerReferences();
        Map<String, String> annotations = pod.getMetadata().getAnnotations() == null ? Map.of()
                : pod.getMetadata().getAnnotations();
        return new DrainPolicy.PodInfo(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                owners.stream().map(OwnerReference::getKind).toList(),
                annotations.containsKey(DrainPolicy.MIRROR_ANNOTATION),
                pod.getStatus() == null ? null : pod.getStatus().getPhase());
    }

    /** The event for {@code node.conditions}. */
    public static NodeConditions conditionsOf(Node node, Instant observedAt) {
        List<NodeConditions.Condition> conditions = new ArrayList<>();
        boolean ready = false;
        if (node.getStatus() != null && node.getStatus().getConditions() != null) {
            for (NodeCondition c : node.getStatus().getConditions()) {
                conditions.add(new NodeConditions.Condition(c.getType(), c.getStatus(), c.getReason(), c.getMessage(),
                        c.getLastTransitionTime() == null ? null : Instant.parse(c.getLastTransitionTime())));
                ready |= "Ready".equals(c.getType()) && "True".equals(c.getStatus());
            }
        }
        List<NodeConditions.Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream()
                        .map(t -> new NodeConditions.Taint(t.getKey(), t.getValue(), t.getEffect())).toList();
        boolean unschedulable = node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
        String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
                : node.getStatus().getNodeInfo().getKubeletVersion();
        return new NodeConditions(node.getMetadata().getName(), observedAt, ready, conditions, unschedulable, taints,
                kubelet);
    }

    private Node edit(String node, java.util.function.UnaryOperator<Node> change) {
        return call("edit node " + node, () -> {
            if (client.nodes().withName(node).get() == null) {
                throw new K8sException(ErrorKind.NOT_FOUND, "no Kubernetes node '" + node + "'", null);
            }
            return client.nodes().withName(node).edit(change);
        });
    }

    private static void checkKey(String key, String what) {
        if (key == null || !KEY.matcher(key).matches()) {
            throw new K8sException(ErrorKind.INVALID, what + " key '" + key + "' is invalid: [prefix/]name, the name at most 63 "
                    + "characters of letters, digits, '-', '_' and '.'", null);
        }
    }

    private static <T> T call(String what, java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (KubernetesClientException e) {
            int code = e.getCode();
            if (code == 404) {
                throw new K8sException(ErrorKind.NOT_FOUND, what + ": not found", e);
            }
            throw new K8sException(ErrorKind.UPSTREAM, what + ": the Kubernetes API answered "
                    + (code == 0 ? "nothing (" + e.getMessage() + ")" : code + " " + e.getMessage()),
                    Map.of("operation", what, "apiStatus", Integer.toString(code)), e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new K8sException(ErrorKind.UNAVAILABLE, "drain interrupted", e);
        }
    }
}
