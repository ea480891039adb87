package net.goldentooth.provisioner.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.WireNames;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.jobs.JobEngine;
import net.goldentooth.rest.auth.AuthGate;
import net.goldentooth.rest.auth.Role;
import net.goldentooth.rest.errors.BadRequestException;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The job API. Thin: every decision is the engine's; errors become {@link net.goldentooth.events.api.ApiError}. */
@Path("/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {

    static final int MAX_LIMIT = 500;
    /** Kinds that act as root on nodes (directly, through kubeadm, or by installing the agent): admin only. */
    // Playbooks run as root on the nodes they reach, like command_root.
    static final Set<JobKind> ADMIN_KINDS = Set.of(JobKind.COMMAND_ROOT, JobKind.K8S_UPGRADE, JobKind.BOOTSTRAP,
            JobKind.PLAYBOOK);

    @Inject
    JobDesk jobs;
    @Inject
    JobStreams streams;
    @Inject
    AuthGate gate;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a job: 201 with its status, or 200 with the earlier job for a known idempotency key")
    public Response create(JobRequest request, @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (request != null && request.kind() != null && ADMIN_KINDS.contains(request.kind())) {
            gate.require(Role.ADMIN, request.kind().wire() + " jobs");
        }
        JobRequest effective = request;
        if (request != null && request.idempotencyKey() == null && idempotencyKey != null && !idempotencyKey.isBlank()) {
            effective = new JobRequest(idempotencyKey.strip(), request.kind(), request.pattern(), request.command(),
                    request.stdin(), request.timeoutSeconds(), request.concurrency(), request.sshFallback(),
                    request.requestedBy());
        }
        JobEngine.Submission submission = jobs.submit(effective);
        return Response.status(submission.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(submission.status()).build();
    }

    @GET
    @Path("{id}")
    @Operation(summary = "A job's status with every target's state and output")
    public JobStatus get(@PathParam("id") String id) {
        return jobs.status(id).orElseThrow(() -> new JobNotFoundException(id));
    }

    @GET
    @Path("{id}/events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Live stream: 'status' events (first the current one, the last one terminal, then the "
            + "stream closes) and 'progress' events for output as it is folded")
    public void events(@PathParam("id") String id, @Context SseEventSink sink, @Context Sse sse) {
        if (jobs.stateOf(id) == null) {
            throw new JobNotFoundException(id);
        }
        streams.subscribe(id, sink, sse);
    }

    @GET
    @Operation(summary = "Jobs, newest first, filtered by state, target node or exact pattern")
    public JobPage list(@QueryParam("offset") @DefaultValue("0") int offset,
                        @QueryParam("limit") @DefaultValue("50") int limit,
                        @QueryParam("state") String state,
                        @QueryParam("node") String node,
                        @QueryParam("pattern") String pattern) {
        if (offset < 0) {
            throw new BadRequestException("offset " + offset + " must not be negative", List.of());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new BadRequestException("limit " + limit + " is out of range 1.." + MAX_LIMIT,
                    List.of("1.." + MAX_LIMIT));
        }
        JobState wanted = null;
        if (state != null && !state.isBlank()) {
            try {
                wanted = WireNames.parse(JobState.class, state.strip());
            } catch (IllegalArgumentException e) {
                throw new BadRequestException("unknown state '" + state + "'; states: " + String.join(", ",
                        Arrays.stream(JobState.values()).map(JobState::wire).toList()),
                        Arrays.stream(JobState.values()).map(JobState::wire).toList());
            }
        }
        return jobs.page(offset, limit, wanted, blankToNull(node), blankToNull(pattern));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
