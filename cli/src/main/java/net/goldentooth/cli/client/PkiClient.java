package net.goldentooth.cli.client;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertLineageView;

/** pki-service's REST API, as far as the CLI uses it. */
public final class PkiClient {

    /** The environment variable consulted when {@code --pki} is not given. */
    public static final String ENV = "GOLDENTOOTH_PKI";
    /** The embedded default's pki-service ({@code ./goldentooth up}). */
    public static final String DEFAULT = "http://127.0.0.1:8082";

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Credentials credentials;

    public PkiClient(URI base, Credentials credentials) {
        this.credentials = credentials;
        this.base = base;
    }

    public URI base() {
        return base;
    }

    /** {@code GET /certs}: every lineage of the certificate inventory. */
    public List<CertLineageView> certs() throws IOException, InterruptedException {
        return EventCodec.mapper().readValue(send("GET", "/certs"), new TypeReference<List<CertLineageView>>() { });
    }

    /** {@code GET /ca}. */
    public CaStatus status() throws IOException, InterruptedException {
        return EventCodec.mapper().readValue(send("GET", "/ca"), CaStatus.class);
    }

    /** {@code POST /ca/init}: initialises the CA when it is not; idempotent. */
    public CaStatus init() throws IOException, InterruptedException {
        return EventCodec.mapper().readValue(send("POST", "/ca/init"), CaStatus.class);
    }

    /** @throws IOException when pki-service cannot be reached or answers anything but 200 */
    private byte[] send(String method, String path) throws IOException, InterruptedException {
        URI uri = base.resolve(path);
        HttpResponse<byte[]> response = http.send(credentials.request(uri).timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json").method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException(method + " " + uri + " answered HTTP " + response.statusCode() + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return response.body();
    }
}
