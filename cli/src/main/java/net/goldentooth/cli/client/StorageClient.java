package net.goldentooth.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.api.ApiError;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.events.storage.SnapshotPlanView;
import net.goldentooth.events.storage.StorageStatusView;

/** storage-service's REST API, as far as the CLI uses it. */
public final class StorageClient {

    /** The environment variable consulted when {@code --storage} is not given. */
    public static final String ENV = "GOLDENTOOTH_STORAGE";
    /** The embedded default's storage-service ({@code ./goldentooth up}). */
    public static final String DEFAULT = "http://127.0.0.1:8083";

    /** storage-service answered 4xx: the request was wrong; the message is the service's ApiError. */
    public static final class Refused extends Exception {
        public Refused(String message) {
            super(message);
        }
    }

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Credentials credentials;

    public StorageClient(URI base, Credentials credentials) {
        this.credentials = credentials;
        this.base = base;
    }

    public URI base() {
        return base;
    }

    public StorageStatusView status() throws IOException, InterruptedException, Refused {
        return EventCodec.mapper().readValue(send("GET", "/storage/status", Duration.ofSeconds(30)),
                StorageStatusView.class);
    }

    public SnapshotPlanView plan(String dataset) throws IOException, InterruptedException, Refused {
        return EventCodec.mapper().readValue(send("GET", "/storage/plan/" + dataset, Duration.ofMinutes(5)),
                SnapshotPlanView.class);
    }

    /** Replication can move a lot of data; the call waits for it (up to an hour). */
    public List<ReplicationStatus> replicate(String dataset, String to) throws IOException, InterruptedException, Refused {
        String query = to == null ? "" : "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
        return EventCodec.mapper().readValue(send("POST", "/storage/replicate/" + dataset + query, Duration.ofHours(1)),
                new TypeReference<List<ReplicationStatus>>() { });
    }

    private byte[] send(String method, String path, Duration timeout) throws IOException, InterruptedException, Refused {
        URI uri = base.resolve(path);
        HttpResponse<byte[]> response = http.send(credentials.request(uri).timeout(timeout)
                .header("Accept", "application/json").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status >= 400 && status < 500) {
            String message;
            try {
                ApiError error = EventCodec.mapper().readValue(response.body(), ApiError.class);
                message = error.error() + (error.hints() == null || error.hints().isEmpty() ? ""
                        : " (known: " + String.join(", ", error.hints()) + ")");
            } catch (IOException e) {
                message = method + " " + uri + " answered HTTP " + status;
            }
            throw new Refused(message);
        }
        if (status != 200) {
            throw new IOException(method + " " + uri + " answered HTTP " + status + ": "
                    + new String(response.body(), StandardCharsets.UTF_8));
        }
        return response.body();
    }
}
