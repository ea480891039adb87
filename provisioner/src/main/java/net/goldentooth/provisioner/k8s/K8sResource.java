package net.goldentooth.provisioner.k8s;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.k8s.NodeConditions;
import net.goldentooth.provisioner.errors.ErrorKind;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.jobs.JobEngine;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Kubernetes node operations ({@code goldentooth k8s ...}). Thin: the work is {@link KubeOperations}'. */
@Path("/k8s")
@Produces(MediaType.APPLICATION_JSON)
public class K8sResource {

    /** @param value null removes the label */
    public record LabelRequest(String key, String value) {
    }

    /** @param remove true removes the taint with this key and effect */
    public record TaintRequest(String key, String value, String effect, boolean remove) {
    }

    /**
     * @param version the full version to upgrade to, e.g. {@code 1.33.2}
     * @param pattern the nodes to upgrade (an Ansible host pattern); the control-plane group's hosts among
     *                them are upgraded as control planes, its first host first
     */
    public record UpgradeRequest(String version, String pattern, Integer timeoutSeconds, String idempotencyKey,
                                 String requestedBy) {
    }

    /** Kubernetes' rule for a node's name: a DNS-1123 subdomain (RFC 1123 labels joined by dots). */
    private static final Pattern NODE_NAME =
            Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    @Inject
    KubeOperations kube;
    @Inject
    K8sConfig config;
    @Inject
    JobDesk jobs;

    @GET
    @Path("nodes")
    @Operation(summary = "The cluster's nodes: Ready, conditions, cordoned, taints, kubelet version")
    public List<NodeConditions> nodes() {
        return kube.nodes();
    }

    @POST
    @Path("nodes/{node}/cordon")
    @Operation(summary = "Mark the node unschedulable")
    public NodeConditions cordon(@PathParam("node") String node) {
        return kube.cordon(nodeName(node), true);
    }

    @POST
    @Path("nodes/{node}/uncordon")
    @Operation(summary = "Mark the node schedulable")
    public NodeConditions uncordon(@PathParam("node") String node) {
        return kube.cordon(nodeName(node), false);
    }

    @POST
    @Path("nodes/{node}/drain")
    @Operation(summary = "Cordon, then evict the node's pods (PodDisruptionBudgets respected) until done or the timeout; "
            + "the answer lists evicted, skipped and remaining pods")
    public DrainResult drain(@PathParam("node") String node, @QueryParam("timeoutSeconds") Integer timeoutSeconds) {
        if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 3600)) {
            throw new K8sException(ErrorKind.INVALID, "timeoutSeconds " + timeoutSeconds + " is out of range 1..3600", null);
        }
        return kube.drain(nodeName(node),
                timeoutSeconds == null ? config.drainTimeout() : Duration.ofSeconds(timeoutSeconds));
    }

    @POST
    @Path("nodes/{node}/labels")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set a label on the node, or remove it when value is null")
    public NodeConditions label(@PathParam("node") String node, LabelRequest body) {
        if (body == null) {
            throw new K8sException(ErrorKind.INVALID, "request body {\"key\": ..., \"value\": ...} is required", null);
        }
        return kube.label(nodeName(node), body.key(), body.value());
    }

    @POST
    @Path("nodes/{node}/taints")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add a taint (replacing one with the same key and effect), or remove it")
    public NodeConditions taint(@PathParam("node") String node, TaintRequest body) {
        if (body == null) {
            throw new K8sException(ErrorKind.INVALID, "request body {\"key\", \"value\", \"effect\", \"remove\"} is required", null);
        }
        return kube.taint(nodeName(node), new NodeConditions.Taint(body.key(), body.value(), body.effect()),
                body.remove());
    }

    @POST
    @Path("upgrade")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start the kubeadm upgrade as a job (k8s_upgrade); it stops at a gate before "
            + "kubeadm upgrade apply until POST /jobs/{id}/approve")
    public Response upgrade(UpgradeRequest body) {
        if (body == null || body.version() == null || body.pattern() == null) {
            throw new K8sException(ErrorKind.INVALID, "version and pattern are required, e.g. {\"version\": \"1.33.2\", "
                    + "\"pattern\": \"k8s_cluster\"}", null);
        }
        JobEngine.Submission submission = jobs.submit(new JobRequest(body.idempotencyKey(), JobKind.K8S_UPGRADE,
                body.pattern(), body.version(), null, body.timeoutSeconds() == null
                        ? (int) config.upgradeTimeout().toSeconds() : body.timeoutSeconds(), null, false,
                body.requestedBy()));
        return Response.status(submission.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(submission.status()).build();
    }

    /**
     * A name that cannot be a node's is the caller's mistake (400), not a question for the
     * Kubernetes API, which would answer it with an error the service reports as 502.
     */
    private static String nodeName(String node) {
        if (node == null || node.length() > 253 || !NODE_NAME.matcher(node).matches()) {
            String shown = node == null ? "" : node.length() > 80 ? node.substring(0, 80) + "..." : node;
            throw new K8sException(ErrorKind.INVALID, "'" + shown + "' is not a Kubernetes node name (lower-case letters, digits, "
                    + "'-' and '.', at most 253 characters)", null);
        }
        return node;
    }
}
