package net.goldentooth.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One check, run by each REST service's tests, that the service answers like every other one
 * (rest-edge's shared mappers): the same malformed JSON body gets the same 400 {@code ApiError},
 * an unknown path the same 404. A service that answers differently fails here with the answer.
 */
public final class RestErrorShape {

    /** Broken before the first field name, so every body type fails at the same place. */
    public static final String MALFORMED_JSON = "{,}";
    private static final String PARSE_ERROR = "Unexpected character (',' (code 44)): was expecting double-quote"
            + " to start field name (line 1, column 2)";

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * POSTs {@link #MALFORMED_JSON} to {@code path} of {@code base}, an endpoint whose body is a
     * {@code bodyType} (its name without package, nested classes joined by a dot).
     */
    public static void assertMalformedJsonRefused(URI base, String path, String bodyType) {
        HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(MALFORMED_JSON)));
        assertApiError(answer, 400, "request body is not a valid " + bodyType + ": " + PARSE_ERROR);
    }

    /** GET, POST and DELETE of a path no resource has: 404, the same body for each method. */
    public static void assertUnknownPathRefused(URI base) {
        for (String method : new String[] {"GET", "POST", "DELETE"}) {
            HttpResponse<String> answer = send(HttpRequest.newBuilder(base.resolve("/no-such-path/here"))
                    .header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(MALFORMED_JSON)));
            assertApiError(answer, 404, "no resource at /no-such-path/here");
        }
    }

    private static void assertApiError(HttpResponse<String> answer, int status, String error) {
        String what = answer.request().method() + " " + answer.uri() + " answered " + answer.statusCode() + " "
                + answer.headers().firstValue("Content-Type").orElse("(no content type)") + " " + answer.body();
        if (answer.statusCode() != status
                || !answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            throw new AssertionError("expected " + status + " application/json: " + what);
        }
        JsonNode body;
        try {
            body = JSON.readTree(answer.body());
        } catch (IOException e) {
            throw new AssertionError("the body is not JSON: " + what, e);
        }
        if (body.size() != 2 || body.path("status").asInt() != status || !error.equals(body.path("error").asText())) {
            throw new AssertionError("expected {\"status\":" + status + ",\"error\":\"" + error + "\"}: " + what);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("no answer: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private RestErrorShape() {
    }
}
