package net.goldentooth.provisioner.ansible;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.provisioner.jobs.JobDesk;
import net.goldentooth.provisioner.jobs.JobEngine;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Playbooks: what exists, and running one as a job ({@code goldentooth setup_<name>}). */
@Path("/playbooks")
@Produces(MediaType.APPLICATION_JSON)
public class PlaybookResource {

    /**
     * @param limit          {@code --limit}, an Ansible host pattern; null for the whole inventory
     * @param extraVars      {@code -e} values, each {@code key=value}
     * @param timeoutSeconds the run's time limit; null for {@code goldentooth.provisioner.playbooks.default-timeout}
     */
    public record RunRequest(String limit, List<String> extraVars, Integer timeoutSeconds, String idempotencyKey,
                             String requestedBy) {
    }

    /** @param dir the directory the names resolve in */
    public record PlaybookList(String dir, List<String> playbooks) {
    }

    @Inject
    JobDesk jobs;
    @Inject
    PlaybookRunner runner;
    @Inject
    PlaybookConfig config;

    @GET
    @Operation(summary = "The setup_* playbooks in the playbook directory")
    public PlaybookList list() {
        PlaybookCatalogue catalogue = runner.catalogue();
        return new PlaybookList(catalogue.dir().toString(), catalogue.names());
    }

    @POST
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Run ansible-playbook <dir>/<name>.yaml with the provisioner's inventory as a job: "
            + "201 with its status (or 200 with the earlier job for a known idempotency key)")
    public Response run(@PathParam("name") String name, RunRequest body) {
        RunRequest run = body == null ? new RunRequest(null, List.of(), null, null, null) : body;
        runner.catalogue().resolve(name);
        String limit = run.limit() == null || run.limit().isBlank() ? null : run.limit().strip();
        PlaybookInvocation invocation = new PlaybookInvocation(name, limit,
                PlaybookInvocation.parseExtraVars(run.extraVars()));
        JobEngine.Submission submission = jobs.submit(
                invocation.toRequest(run.idempotencyKey(), run.timeoutSeconds() == null
                        ? (int) config.defaultTimeout().toSeconds() : run.timeoutSeconds(), run.requestedBy()));
        return Response.status(submission.created() ? Response.Status.CREATED : Response.Status.OK)
                .entity(submission.status()).build();
    }
}
