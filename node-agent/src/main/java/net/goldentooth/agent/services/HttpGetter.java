package net.goldentooth.agent.services;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * GETs a local daemon's HTTP API (Consul, Vault, Nomad, the kubelet) with a timeout per request.
 * The HTTP API is the seam: tests answer with a JDK HTTP server replaying the daemons' recorded
 * answers, since Consul, Vault and Nomad cannot be installed here.
 */
public final class HttpGetter {

    /** An answer: status and body. */
    public record Answer(int status, String body) {
    }

    private final HttpClient client;
    private final Duration timeout;

    private HttpGetter(HttpClient client, Duration timeout) {
        this.client = client;
        this.timeout = timeout;
    }

    /** Trusting the JDK's CAs, plus the PEM certificates of {@code caFile} when given (the cluster's root). */
    public static HttpGetter create(Duration timeout, Path caFile) {
        HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (caFile != null) {
            builder.sslContext(trusting(caFile));
        }
        return new HttpGetter(builder.build(), timeout);
    }

    /**
     * @throws IOException with a message that says what failed: the JDK client's ConnectException
     *                     carries none (a refused connection read "null" in the check's error), so
     *                     the first message down its causes is used, else the exception's type
     */
    public Answer get(String url) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            if (e.getMessage() != null && !e.getMessage().isBlank()) {
                throw e;
            }
            throw new IOException(describe(e), e);
        }
        return new Answer(response.statusCode(), response.body());
    }

    static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return e instanceof java.net.ConnectException ? "cannot connect" : e.getClass().getSimpleName();
    }

    private static SSLContext trusting(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("ca-" + i++, cert);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + caFile);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the CA file " + caFile + ": " + e.getMessage(), e);
        }
    }
}
