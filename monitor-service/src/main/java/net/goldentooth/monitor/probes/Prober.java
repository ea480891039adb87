package net.goldentooth.monitor.probes;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
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
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import net.goldentooth.monitor.rules.ProbeResult;

/**
 * Runs one probe: tcp connect, http(s) GET (any answer below 500 is up), https also reads the
 * presented <em>leaf</em> certificate's expiry (the seed's blackbox probe reported the root's),
 * icmp through {@code ping -c1 -W1}, and dns (the name resolves through the system resolver).
 * https chains are validated against the cluster's root when a bundle is configured
 * ({@link #trusting}), else against the JVM's trust store.
 */
public final class Prober {

    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final SSLContext tls;

    /** Validates https chains against the JVM's trust store. */
    public Prober(Duration timeout, Clock clock) throws GeneralSecurityException {
        this(timeout, clock, SSLContext.getDefault());
    }

    /** @param tls whose trust managers validate https chains (see {@link #trusting}) */
    public Prober(Duration timeout, Clock clock, SSLContext tls) {
        this.timeout = timeout;
        this.clock = clock;
        this.tls = tls;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(tls).build();
    }

    /** A TLS context that trusts exactly the certificates of a PEM bundle (the cluster's root CA). */
    public static SSLContext trusting(Path pemBundle) throws IOException, GeneralSecurityException {
        KeyStore roots = KeyStore.getInstance(KeyStore.getDefaultType());
        roots.load(null, null);
        try (InputStream in = Files.newInputStream(pemBundle)) {
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                roots.setCertificateEntry("root-" + i++, cert);
            }
            if (i == 0) {
                throw new GeneralSecurityException("no certificate in " + pemBundle);
            }
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(roots);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    public ProbeResult run(ProbeTarget target) {
        long start = System.nanoTime();
        Instant leaf = null;
        Integer status = null;
        String error = null;
        try {
            switch (target.kind()) {
                case "tcp" -> tcp(target);
                case "icmp" -> icmp(target);
                case "dns" -> dns(target);
                case "http", "https" -> {
                    if (target.kind().equals("https")) {
                        leaf = leafNotAfter(target);
                    }
                    status = httpGet(target);
                }
                default -> throw new IllegalStateException("unknown probe kind " + target.kind());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error = "interrupted";
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + ": " + e.getMessage();
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        return new ProbeResult(target.name(), target.kind(), target.address(), error == null, error, took, status, leaf,
                clock.instant());
    }

    private void tcp(ProbeTarget target) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
        }
    }

    private void icmp(ProbeTarget target) throws IOException, InterruptedException {
        Process ping = new ProcessBuilder("ping", "-c1", "-W" + Math.max(1, timeout.toSeconds()), target.host())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!ping.waitFor(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS)) {
            ping.destroyForcibly();
            throw new IOException("ping did not finish");
        }
        if (ping.exitValue() != 0) {
            throw new IOException("no echo reply (ping exit " + ping.exitValue() + ")");
        }
    }

    private static void dns(ProbeTarget target) throws java.net.UnknownHostException {
        if (java.net.InetAddress.getAllByName(target.host()).length == 0) {
            throw new java.net.UnknownHostException(target.host() + " resolves to nothing");
        }
    }

    /** @return the status, when it is below 500 (an answer means the service is up) */
    private int httpGet(ProbeTarget target) throws IOException, InterruptedException {
        URI uri = URI.create(target.kind() + "://" + target.host() + ":" + target.port() + target.path());
        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() >= 500) {
            throw new IOException("HTTP " + response.statusCode());
        }
        return response.statusCode();
    }

    private Instant leafNotAfter(ProbeTarget target) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket()) {
            socket.connect(new InetSocketAddress(target.host(), target.port()), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.startHandshake();
            Certificate[] chain = socket.getSession().getPeerCertificates();
            return ((X509Certificate) chain[0]).getNotAfter().toInstant();
        }
    }
}
