package net.goldentooth.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.api.SilenceView;

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
}
