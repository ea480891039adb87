package net.goldentooth.storage.api;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotPlanView;
import net.goldentooth.events.storage.SnapshotRun;
import net.goldentooth.events.storage.StorageStatusView;
import net.goldentooth.storage.nfs.NfsLayout;
import net.goldentooth.storage.seaweedfs.SeaweedLayout;
import net.goldentooth.storage.service.NfsOperations;
import net.goldentooth.storage.service.StorageOperations;

/** The storage REST API; dataset names contain {@code /}, so they are the rest of the path. */
@Path("/storage")
@Produces(MediaType.APPLICATION_JSON)
public class StorageResource {

    private final StorageOperations operations;
    private final NfsOperations nfs;
    private final SeaweedLayout seaweedLayout;

    StorageResource(StorageOperations operations, NfsOperations nfs, SeaweedLayout seaweedLayout) {
        this.operations = operations;
        this.nfs = nfs;
        this.seaweedLayout = seaweedLayout;
    }

    @GET
    @Path("/status")
    public StorageStatusView status() {
        return operations.status();
    }

    /** What NFS renders: {@code /etc/exports.d/goldentooth.exports} per server, mount and automount units per client. */
    @GET
    @Path("/nfs")
    public NfsLayout nfs() {
        return nfs.layout();
    }

    /** Installs the exports files ({@code exportfs -ra}) and the client units through jobs; one result per node. */
    @POST
    @Path("/nfs/apply")
    public List<NfsOperations.Applied> applyNfs() {
        return nfs.apply();
    }

    /** {@code showmount -e} on every server, compared with the declared exports. */
    @GET
    @Path("/nfs/health")
    public List<NfsOperations.ExportHealth> nfsHealth() {
        return nfs.health();
    }

    /** The SeaweedFS masters, volume servers and their commands from the inventory, or why the layout cannot work. */
    @GET
    @Path("/seaweedfs")
    public SeaweedLayout seaweedfs() {
        return seaweedLayout;
    }

    /** A dry run: lists the dataset and its targets now and plans, executing nothing. */
    @GET
    @Path("/plan/{dataset: .+}")
    public SnapshotPlanView plan(@PathParam("dataset") String dataset) {
        return operations.plan(dataset);
    }

    /** Takes and prunes snapshots of the dataset now, as the timer would. */
    @POST
    @Path("/snapshot/{dataset: .+}")
    public SnapshotRun snapshot(@PathParam("dataset") String dataset) {
        return operations.snapshot(dataset);
    }

    /** Replicates now, to {@code to} or to every target, and answers the resulting pair states. */
    @POST
    @Path("/replicate/{dataset: .+}")
    public List<ReplicationStatus> replicate(@PathParam("dataset") String dataset, @QueryParam("to") String to) {
        return operations.replicate(dataset, Optional.ofNullable(to).filter(s -> !s.isBlank()));
    }
}
