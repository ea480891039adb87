package net.goldentooth.rest.errors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The mappings every REST service shares, so that all of them answer a malformed body, an unknown
 * path, a wrong method or media type and an internal failure with the same {@code ApiError} shape.
 * A service adds mappers only for its own exceptions; a more specific exception type wins over
 * these (JAX-RS picks the closest superclass).
 */
public class RestErrorMappers {

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return ApiErrors.answer(400, e.getMessage(), e.hints());
    }

    /** Malformed JSON, wrong types and unknown enum names in a request body. */
    @ServerExceptionMapper
    public Response malformedBody(JsonProcessingException e, ResourceInfo resource) {
        return ApiErrors.malformedBody(bodyType(resource), e);
    }

    /** Declared for the exact type so that it wins over Quarkus's built-in mapper of it. */
    @ServerExceptionMapper
    public Response mismatchedInput(MismatchedInputException e, ResourceInfo resource) {
        return malformedBody(e, resource);
    }

    /**
     * What the REST layer refuses itself (unknown path, wrong method, unacceptable {@code Accept},
     * unsupported content type, malformed parameter) keeps its 4xx. The JSON reader wraps a body it
     * cannot read in a plain 400 whose cause says what was wrong: that is answered as a bad body.
     */
    @ServerExceptionMapper
    public Response web(WebApplicationException e, ResourceInfo resource, UriInfo uri) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return malformedBody(json, resource);
            }
        }
        if (e instanceof NotFoundException) {
            // Thrown by the router only (no resource throws it): its own message depends on whether
            // a resource class matched the path's start ("HTTP 404 Not Found" or "Unable to find
            // matching target resource method"), so every service says the same instead.
            return ApiErrors.answer(404, "no resource at " + uri.getPath(), List.of());
        }
        return ApiErrors.of(e);
    }

    /** Anything else is the service's fault: 500, logged with an id the answer quotes, never its text. */
    @ServerExceptionMapper
    public Response unexpected(RuntimeException e) {
        return ApiErrors.unexpected(e);
    }

    /**
     * The name of the resource method's body type (the parameter without a JAX-RS annotation),
     * without its package and with nested classes joined by a dot; null when no method matched.
     */
    static String bodyType(ResourceInfo resource) {
        Method method = resource == null ? null : resource.getResourceMethod();
        if (method == null) {
            return null;
        }
        for (Parameter parameter : method.getParameters()) {
            if (parameter.getAnnotations().length == 0) {
                Class<?> type = parameter.getType();
                String name = type.getSimpleName();
                for (Class<?> outer = type.getEnclosingClass(); outer != null; outer = outer.getEnclosingClass()) {
                    name = outer.getSimpleName() + "." + name;
                }
                return name;
            }
        }
        return null;
    }
}
