package net.goldentooth.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.InventoryView;
import net.goldentooth.events.api.JobPage;
import net.goldentooth.events.api.NodeServices;
import net.goldentooth.events.api.NodeView;
import net.goldentooth.events.job.JobRequest;

/**
 * The provisioner's REST API over the JDK's HTTP client. Every failure is one of two typed
 * exceptions: {@link RequestRefusedException} (4xx, the user's request was wrong) or
 * {@link ProvisionerUnavailableException} (no answer, a broken answer, or 5xx).
 */
public final class ProvisionerClient {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final Credentials credentials;

    public ProvisionerClient(URI base, Credentials credentials) {
        this.base = base;
        this.credentials = credentials;
        // HTTP/1.1: no h2c upgrade dance on plain http, and SSE is a plain long response anyway.
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        this.mapper = EventCodec.mapper();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    /** {@code POST /jobs}: 201 for a new job, 200 when the idempotency key was seen before. */
    public JobSnapshot submit(JobRequest request) {
        byte[] body;
        try {
            body = mapper.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the job request", e);
        }
        HttpRequest post = request("/jobs")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        return snapshot(readTree(send(post)));
    }

    /** {@code GET /jobs/{id}}. */
    public JobSnapshot job(String jobId) {
        return snapshot(getTree("/jobs/" + encode(jobId)));
    }

    /** {@code GET /jobs?...}; null filters are left out. */
    public JobPage jobs(Map<String, String> filters) {
        return convert(getTree("/jobs" + query(filters)), JobPage.class);
    }

    /** The raw JSON of a GET, for {@code --json}. */
    public JsonNode getTree(String pathAndQuery) {
        return readTree(send(request(pathAndQuery).GET().build()));
    }

    /** A POST with a JSON body (null for none) to an endpoint that answers JSON, e.g. {@code /k8s/nodes/x/cordon}. */
    public JsonNode postTree(String pathAndQuery, Object body) {
        byte[] json;
        try {
            json = body == null ? new byte[0] : mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the request", e);
        }
        HttpRequest post = request(pathAndQuery)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json))
                .build();
        return readTree(send(post));
    }

    /** A GET of a plain-text resource, e.g. a rendered configuration file. */
    public String getText(String pathAndQuery) {
        return send(credentials.request(base.resolve(base.getPath() + pathAndQuery)).timeout(REQUEST_TIMEOUT)
                .header("Accept", "text/plain, application/json").GET().build());
    }

    public InventoryView inventory() {
        return convert(getTree("/inventory"), InventoryView.class);
    }

    /** {@code GET /services?pattern=}: the checks of the nodes the pattern selects. */
    public List<NodeServices> services(String pattern) {
        String path = "/services" + query(Map.of("pattern", pattern));
        JsonNode tree = getTree(path);
        if (!tree.isArray()) {
            throw unreadable(path, "expected a JSON array");
        }
        List<NodeServices> nodes = new ArrayList<>();
        for (JsonNode node : tree) {
            nodes.add(convert(node, NodeServices.class));
        }
        return nodes;
    }

    public List<NodeView> nodes() {
        JsonNode tree = getTree("/nodes");
        if (!tree.isArray()) {
            throw unreadable("/nodes", "expected a JSON array");
        }
        List<NodeView> nodes = new ArrayList<>();
        for (JsonNode node : tree) {
            nodes.add(convert(node, NodeView.class));
        }
        return nodes;
    }

    /**
     * Follows {@code GET /jobs/{id}/events} until the server closes the stream, handing every
     * event to {@code listener} as it arrives.
     */
    public void follow(String jobId, Consumer<SseEvent> listener) {
        String path = "/jobs/" + encode(jobId) + "/events";
        HttpRequest get = credentials.request(base.resolve(base.getPath() + path))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        HttpResponse<Stream<String>> response = exchange(get, HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                failOn(response.statusCode(), lines.collect(Collectors.joining("\n")), path);
            }
            SseParser parser = new SseParser();
            lines.forEachOrdered(line -> parser.accept(line).ifPresent(listener));
        } catch (UncheckedIOException e) {
            throw new ProvisionerUnavailableException("the event stream of job " + jobId + " broke: "
                    + describe(e.getCause()), e);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        return credentials.request(base.resolve(base.getPath() + pathAndQuery))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
    }

    private String send(HttpRequest request) {
        HttpResponse<String> response = exchange(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            failOn(response.statusCode(), response.body(), request.uri().getPath());
        }
        return response.body();
    }

    private <T> HttpResponse<T> exchange(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        try {
            return http.send(request, handler);
        } catch (IOException e) {
            throw new ProvisionerUnavailableException("cannot reach the provisioner at " + base + ": "
                    + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisionerUnavailableException("interrupted while talking to the provisioner", e);
        }
    }

    private void failOn(int status, String body, String path) {
        ApiErrorBody error = parseError(body);
        String message = error.message() != null ? error.message()
                : "HTTP " + status + " from " + path + (firstLine(body).isEmpty() ? "" : ": " + firstLine(body));
        if (status >= 400 && status < 500) {
            throw new RequestRefusedException(status, message, error.hints());
        }
        throw new ProvisionerUnavailableException("the provisioner at " + base + " failed (HTTP " + status
                + "): " + message);
    }

    private record ApiErrorBody(String message, List<String> hints) {
    }

    private ApiErrorBody parseError(String body) {
        try {
            JsonNode tree = mapper.readTree(body == null ? "" : body);
            if (tree != null && tree.path("error").isTextual()) {
                List<String> hints = new ArrayList<>();
                tree.path("hints").forEach(hint -> hints.add(hint.asText()));
                return new ApiErrorBody(tree.path("error").asText(), hints);
            }
        } catch (IOException notJson) {
            // Not an ApiError (a proxy's HTML page, say): the status line and body excerpt will do.
        }
        return new ApiErrorBody(null, List.of());
    }

    private JsonNode readTree(String body) {
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw unreadable("the answer", "empty body");
            }
            return tree;
        } catch (IOException e) {
            throw unreadable("the answer", firstLine(e.getMessage()));
        }
    }

    private JobSnapshot snapshot(JsonNode tree) {
        try {
            return JobSnapshot.of(mapper, tree);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable("a job status", firstLine(e.getMessage()));
        }
    }

    /** Decodes one SSE {@code status} event. */
    public JobSnapshot snapshot(String json) {
        return snapshot(readTree(json));
    }

    private <T> T convert(JsonNode tree, Class<T> type) {
        try {
            return mapper.treeToValue(tree, type);
        } catch (IOException | IllegalArgumentException e) {
            throw unreadable("a " + type.getSimpleName(), firstLine(e.getMessage()));
        }
    }

    private ProvisionerUnavailableException unreadable(String what, String why) {
        return new ProvisionerUnavailableException("the provisioner at " + base + " sent " + what
                + " this CLI cannot read: " + why);
    }

    /** {@code ?a=1&b=2} from the non-null entries, URL-encoded; empty when none. */
    public static String query(Map<String, String> filters) {
        Map<String, String> present = new LinkedHashMap<>();
        filters.forEach((key, value) -> {
            if (value != null) {
                present.put(key, value);
            }
        });
        if (present.isEmpty()) {
            return "";
        }
        return present.entrySet().stream()
                .map(entry -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
                .collect(Collectors.joining("&", "?", ""));
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        String kind = e.getClass().getSimpleName();
        if (e instanceof java.net.ConnectException) {
            kind = "connection refused";
        } else if (e instanceof java.net.http.HttpTimeoutException) {
            kind = "timed out";
        }
        return message == null || message.isBlank() ? kind : kind + " (" + firstLine(message) + ")";
    }

    private static String firstLine(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        int newline = text.indexOf('\n');
        String line = newline < 0 ? text : text.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
