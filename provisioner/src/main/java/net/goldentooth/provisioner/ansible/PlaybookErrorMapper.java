package net.goldentooth.provisioner.ansible;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import net.goldentooth.events.api.ApiError;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** A bad playbook request, through {@code /playbooks} or {@code POST /jobs}: 400 naming the fault, hints listing what exists. */
public class PlaybookErrorMapper {

    @ServerExceptionMapper
    public Response badPlaybook(PlaybookException e) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(400, e.getMessage(), e.hints())).build();
    }
}
