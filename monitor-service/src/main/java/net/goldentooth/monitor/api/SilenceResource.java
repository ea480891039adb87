package net.goldentooth.monitor.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.alert.Silence;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.api.SilenceView;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.errors.MonitorError;
import net.goldentooth.monitor.silences.SilencePublisher;
import net.goldentooth.monitor.silences.SilenceRequests;
import net.goldentooth.rest.auth.AuthGate;
import net.goldentooth.rest.auth.Caller;
import net.goldentooth.rest.auth.Role;

/**
 * Silences: listed for {@code viewer}; created, expired and deleted by {@code operator} (rest-edge's
 * policy gives every non-GET route operator; {@link AuthGate#require} says so again here, so the
 * rule does not depend on the route table). The author is the authenticated caller.
 */
@Path("/silences")
@Produces(MediaType.APPLICATION_JSON)
public class SilenceResource {

    /** The author recorded when authentication is off (tests, or an operator who turned it off). */
    static final String UNAUTHENTICATED = "unauthenticated";

    @Inject
    MonitorCore core;
    @Inject
    SilencePublisher silences;
    @Inject
    AuthGate gate;
    @Inject
    Clock clock;

    @GET
    public List<SilenceView> list() {
        return core.silenceViews(clock.instant());
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(SilenceRequests.Body body) {
        gate.require(Role.OPERATOR, "creating a silence");
        Instant now = clock.instant();
        SilenceRequests.Outcome outcome = SilenceRequests.create(body, author(), now);
        if (!outcome.valid()) {
            return error(new MonitorError.InvalidSilence(outcome.errors()));
        }
        return publish(outcome.silence(), 201);
    }

    @POST
    @Path("{id}/expire")
    public Response expire(@PathParam("id") String id) {
        gate.require(Role.OPERATOR, "expiring a silence");
        return core.silences().get(id)
                .map(s -> publish(SilenceRequests.expire(s, author(), clock.instant()), 200))
                .orElseGet(() -> notFound(id));
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        gate.require(Role.OPERATOR, "deleting a silence");
        return core.silences().get(id).map(s -> {
            Response published = publish(SilenceRequests.delete(s, author(), clock.instant()), 204);
            return published.getStatus() == 204 ? Response.noContent().build() : published;
        }).orElseGet(() -> notFound(id));
    }

    private Response publish(Silence silence, int status) {
        try {
            silences.publishSilence(silence);
        } catch (MonitorError.Failure e) {
            return error(e.error());
        }
        SilenceView view = core.silenceViews(clock.instant()).stream()
                .filter(v -> v.silence().id().equals(silence.id())).findFirst()
                .orElse(new SilenceView(silence, "expired", List.of()));
        return Response.status(status).entity(view).type(MediaType.APPLICATION_JSON).build();
    }

    private String author() {
        return gate.caller().map(Caller::name).orElse(UNAUTHENTICATED);
    }

    private static Response notFound(String id) {
        return error(new MonitorError.UnknownSilence(id));
    }

    private static Response error(MonitorError error) {
        int status = switch (error.kind()) {
            case INVALID_REQUEST -> 400;
            case NOT_FOUND -> 404;
            case BUS_UNAVAILABLE -> 503;
        };
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(status, error.safeMessage(), error.hints())).build();
    }
}
