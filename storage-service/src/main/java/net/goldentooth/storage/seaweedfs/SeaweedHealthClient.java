package net.goldentooth.storage.seaweedfs;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Asks SeaweedFS masters for {@code /cluster/status} and {@code /dir/status}, trying each master
 * in turn until one answers both (a dead master must not hide a healthy cluster).
 */
public final class SeaweedHealthClient {

    /** A master's answer, or why none answered. */
    public record Answer(SeaweedHealth health, String answeredBy, String error) {
    }

    private final List<URI> masters;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public SeaweedHealthClient(List<URI> masters) {
        this.masters = List.copyOf(masters);
    }

    public Answer ask() throws InterruptedException {
        StringBuilder errors = new StringBuilder();
        for (URI master : masters) {
            try {
                String cluster = get(master.resolve("/cluster/status"));
                String dir = get(master.resolve("/dir/status"));
                return new Answer(SeaweedStatusParser.parse(cluster, dir), master.toString(), null);
            } catch (IOException | SeaweedTopologyException e) {
                errors.append(errors.length() == 0 ? "" : "; ").append(master).append(": ").append(e.getMessage());
            }
        }
        return new Answer(null, null, "no master answered: " + errors);
    }

    private String get(URI uri) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered HTTP " + response.statusCode());
        }
        return response.body();
    }
}
