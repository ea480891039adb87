package net.goldentooth.provisioner.k8s.upgrade;

import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.provisioner.api.JobNotFoundException;
import net.goldentooth.provisioner.jobs.JobLookup;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code goldentooth job approve <id>}: opens the manual gate of a waiting upgrade. */
@Path("/jobs/{id}/approve")
@Produces(MediaType.APPLICATION_JSON)
public class ApproveResource {

    @Inject
    JobLookup jobs;
    @Inject
    UpgradeRunner upgrades;

    @POST
    @Operation(summary = "Approve the gate a job waits at: 200 with the job's status; 404 unknown job; 409 not waiting")
    public JobStatus approve(@PathParam("id") String id) {
        if (jobs.stateOf(id) == null) {
            throw new JobNotFoundException(id);
        }
        upgrades.approve(id);
        return jobs.status(id).orElseThrow(() -> new JobNotFoundException(id));
    }
}
