package net.goldentooth.monitor.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.time.Clock;
import java.util.List;
import net.goldentooth.events.WireNames;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.dashboard.NodeTile;

/** The monitor's REST API. Thin: everything it answers comes from the core. */
@Path("/")
public class MonitorResource {

    @Inject
    MonitorCore core;
    @Inject
    DashboardStreams streams;
    @Inject
    Clock clock;
    @Inject
    net.goldentooth.monitor.config.MonitorConfig config;

    /** Pending, firing and recently resolved alerts, newest first; {@code ?state=firing} filters. */
    @GET
    @Path("alerts")
    @Produces(MediaType.APPLICATION_JSON)
    public Response alerts(@QueryParam("state") String state) {
        List<AlertState> alerts = core.alerts();
        if (state != null && !state.isBlank()) {
            AlertPhase phase;
            try {
                phase = WireNames.parse(AlertPhase.class, state);
            } catch (IllegalArgumentException e) {
                return Response.status(400).type(MediaType.APPLICATION_JSON)
                        .entity(new ApiError(400, "query parameter 'state': " + e.getMessage(), List.of())).build();
            }
            alerts = alerts.stream().filter(a -> a.phase() == phase).toList();
        }
        return Response.ok(alerts).build();
    }

    /** Each node's service checks from its newest facts, by node name (the dashboard's services panel). */
    @GET
    @Path("services")
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.SortedMap<String, List<net.goldentooth.events.facts.ServiceCheck>> services() {
        java.util.SortedMap<String, List<net.goldentooth.events.facts.ServiceCheck>> out = new java.util.TreeMap<>();
        core.facts().forEach((node, facts) -> {
            List<net.goldentooth.events.facts.ServiceCheck> checks =
                    net.goldentooth.monitor.services.ServiceFindings.checks(facts);
            if (!checks.isEmpty()) {
                out.put(node, checks);
            }
        });
        return out;
    }

    /** Every node the monitor knows, with liveness, the latest figures and the last hour of history. */
    @GET
    @Path("nodes")
    @Produces(MediaType.APPLICATION_JSON)
    public List<NodeTile> nodes() {
        return core.tiles();
    }

    /** One node: its tile (liveness, figures, history) and its newest facts; 404 for a node the monitor does not know. */
    @GET
    @Path("nodes/{node}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response node(@PathParam("node") String node) {
        return core.node(node).<Response>map(d -> Response.ok(d).build())
                .orElseGet(() -> Response.status(404).type(MediaType.APPLICATION_JSON)
                        .entity(new ApiError(404, "no node '" + node + "' known to the monitor", List.of())).build());
    }

    /** What the dashboard's script needs to know besides the data: where the provisioner's API is. */
    public record DashboardConfig(String provisionerUrl) {
    }

    @GET
    @Path("dashboard/config")
    @Produces(MediaType.APPLICATION_JSON)
    public DashboardConfig dashboardConfig() {
        return new DashboardConfig(config.provisionerUrl().map(u -> u.replaceAll("/+$", "")).orElse(null));
    }

    /** The dashboard's live stream: a whole {@code snapshot} event first and after every evaluation. */
    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void events(@Context SseEventSink sink, @Context Sse sse) {
        streams.subscribe(sink, sse, core.snapshot(clock.instant()));
    }
}
