package net.goldentooth.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.SilenceView;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.api.LogPage;
import net.goldentooth.events.logs.LogEntry;

/** monitor-service's REST API, as far as the CLI reads it. */
public final class MonitorClient {

    /** The environment variable consulted when {@code --monitor} is not given. */
    public static final String ENV = "GOLDENTOOTH_MONITOR";
    /** The embedded default's monitor ({@code ./goldentooth up}). */
    public static final String DEFAULT = "http://127.0.0.1:8084";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Credentials credentials;

    public MonitorClient(URI base, Credentials credentials) {
        this.credentials = credentials;
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /**
     * {@code GET /alerts}: pending, firing and recently resolved alerts.
     *
     * @throws IOException when the monitor cannot be reached or answers anything but 200
     */
    public List<AlertState> alerts() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(credentials.request(base.resolve("/alerts"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base.resolve("/alerts") + " answered HTTP " + response.statusCode());
        }
        return EventCodec.mapper().readValue(response.body(), new TypeReference<List<AlertState>>() { });
    }

    /**
     * {@code GET /silences}: every silence not deleted, with its state and the alerts it covers.
     *
     * @throws IOException when the monitor cannot be reached or answers anything but 200
     */
    public List<SilenceView> silences() throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(credentials.request(base.resolve("/silences"))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + base.resolve("/silences") + " answered HTTP " + response.statusCode());
        }
        return EventCodec.mapper().readValue(response.body(), new TypeReference<List<SilenceView>>() { });
    }

    /**
     * {@code GET /logs}: the lines of {@code node.logs} the parameters select (pattern, unit, priority,
     * since, until, grep, n; a list value is sent once per element).
     *
     * @throws RequestRefusedException when the monitor answers 4xx (a bad parameter; its message says which)
     * @throws IOException             when it cannot be reached or answers anything else but 200
     */
    public LogPage logs(Map<String, List<String>> parameters) throws IOException, InterruptedException {
        URI uri = base.resolve("/logs" + query(parameters));
        HttpResponse<byte[]> response = http.send(credentials.request(uri).timeout(Duration.ofMinutes(5))
                .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        refuseOn4xx(response.statusCode(), response.body());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        return EventCodec.decode(response.body(), LogPage.class);
    }

    /**
     * {@code GET /logs/follow}: hands each batch of lines to {@code lines} as it arrives, until the
     * stream ends (the monitor stopped) or the thread is interrupted.
     *
     * @throws RequestRefusedException when the monitor refuses the parameters
     * @throws IOException             when it cannot be reached, refuses the stream or the stream breaks
     */
    public void followLogs(Map<String, List<String>> parameters, Consumer<List<LogEntry>> lines)
            throws IOException, InterruptedException {
        URI uri = base.resolve("/logs/follow" + query(parameters));
        HttpResponse<Stream<String>> response = http.send(credentials.request(uri)
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        try (Stream<String> body = response.body()) {
            if (response.statusCode() != 200) {
                String text = body.collect(Collectors.joining("\n"));
                refuseOn4xx(response.statusCode(), text.getBytes(StandardCharsets.UTF_8));
                throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
            }
            SseParser parser = new SseParser();
            IOException[] failure = new IOException[1];
            body.takeWhile(l -> failure[0] == null).forEachOrdered(line -> parser.accept(line).ifPresent(event -> {
                if (event.type().equals("lines")) {
                    lines.accept(List.of(EventCodec.decode(event.data(), LogEntry[].class)));
                } else if (event.type().equals("error")) {
                    ApiError error = EventCodec.decode(event.data(), ApiError.class);
                    if (error.status() / 100 == 4) {
                        throw new RequestRefusedException(error.status(), error.error(), List.of());
                    }
                    failure[0] = new IOException("the monitor ended the stream: " + error.error());
                }
            }));
            if (failure[0] != null) {
                throw failure[0];
            }
        } catch (UncheckedIOException e) {
            throw new IOException("the log stream from " + base + " broke: " + e.getCause().getMessage(), e);
        }
    }

    private static void refuseOn4xx(int status, byte[] body) {
        if (status / 100 != 4) {
            return;
        }
        String message = "HTTP " + status;
        try {
            ApiError error = EventCodec.decode(body, ApiError.class);
            if (error.error() != null) {
                message = error.error();
            }
        } catch (RuntimeException e) {
            // not an ApiError: the status is all there is
        }
        throw new RequestRefusedException(status, message, List.of());
    }

    private static String query(Map<String, List<String>> parameters) {
        String query = parameters.entrySet().stream()
                .flatMap(e -> e.getValue().stream().map(v -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(v, StandardCharsets.UTF_8)))
                .collect(Collectors.joining("&"));
        return query.isEmpty() ? "" : "?" + query;
    }
}
