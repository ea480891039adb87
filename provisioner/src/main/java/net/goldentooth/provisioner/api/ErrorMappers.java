package net.goldentooth.provisioner.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.util.List;
import net.goldentooth.provisioner.inventory.PatternException;
import net.goldentooth.provisioner.jobs.JobRequestException;
import net.goldentooth.rest.errors.ApiErrors;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error answer is an {@code ApiError}; bad input is 4xx with a message naming what was wrong. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response jobRequest(JobRequestException e) {
        return ApiErrors.answer(400, e.getMessage(), e.hints());
    }

    @ServerExceptionMapper
    public Response pattern(PatternException e) {
        return ApiErrors.answer(400, e.getMessage(), e.knownGroups());
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return ApiErrors.answer(400, e.getMessage(), e.hints());
    }

    @ServerExceptionMapper
    public Response notFound(JobNotFoundException e) {
        return ApiErrors.answer(404, e.getMessage(), List.of());
    }

    /** Malformed JSON, wrong types and unknown enum names in a request body. */
    @ServerExceptionMapper
    public Response malformedBody(JsonProcessingException e) {
        return ApiErrors.answer(400, "request body is not a valid JobRequest: " + describe(e), List.of());
    }

    /** More specific than Quarkus's own mapper for it, so wrong types get the same ApiError shape. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e) {
        return malformedBody(e);
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        // The JSON reader wraps a body it cannot read in a plain 400; the cause says what was wrong.
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformedBody(json);
            }
        }
        return ApiErrors.of(e);
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return ApiErrors.unexpected(e);
    }

    private static String describe(JsonProcessingException e) {
        // An enum's @JsonCreator throws IllegalArgumentException with the known names; say that, not Jackson's wrapper.
        Throwable cause = e.getCause();
        while (cause != null && cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String field = mapping.getPath().get(mapping.getPath().size() - 1).getFieldName();
            if (field != null) {
                message = "field '" + field + "': " + message;
            }
        }
        if (e.getLocation() != null) {
            message += " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
        }
        return firstLine(message);
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
