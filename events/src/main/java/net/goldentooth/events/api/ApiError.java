package net.goldentooth.events.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The body of every 4xx/5xx answer of the REST APIs. {@code error} is safe to show the caller;
 * internal causes are logged, never returned.
 *
 * @param error   one sentence saying what was wrong, naming the field or value
 * @param hints   what the caller may do instead (known groups, valid range, ...)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(int status, String error, List<String> hints) {
    public static ApiError of(int status, String error) {
        return new ApiError(status, error, List.of());
    }
}
