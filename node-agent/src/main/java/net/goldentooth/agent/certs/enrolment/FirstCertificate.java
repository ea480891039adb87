package net.goldentooth.agent.certs.enrolment;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.keys.NodeKeys;
import net.goldentooth.agent.certs.renewal.EnrolmentTokens;
import net.goldentooth.agent.certs.renewal.LineageSpec;
import net.goldentooth.events.EventCodec;
import org.jboss.logging.Logger;

/**
 * The agent's first Kafka certificate, before any Kafka client exists (docs/security.md, "The
 * first certificate"). On a bus with mutual TLS a node without a certificate cannot reach Kafka,
 * where certificate requests go; so this one request goes to pki-service's {@code POST /enrolment}
 * over HTTPS: an enrolment token from the token file and a CSR for a key made here. The private
 * key is written before the request and never sent. pki-service is trusted only through the root
 * the agent already trusts for Kafka ({@code goldentooth.kafka.ssl.trust}), with hostname
 * verification, so a token is never handed to an impostor. Renewals then go over the bus with
 * proof of possession, by the lineage's usual {@code ManagedLineage}.
 *
 * <p>A token pki-service refuses as invalid or used is spent and the next one tried; a network
 * failure or a 5xx is retried with a doubling pause until {@code retryFor} has passed; then start-up
 * fails with the reason (systemd restarts the unit).
 */
public final class FirstCertificate {

    private static final Logger LOG = Logger.getLogger(FirstCertificate.class);

    private final LineageSpec spec;
    private final URI url;
    private final Path trust;
    private final EnrolmentTokens tokens;
    private final Duration retryFor;
    private final Clock clock;

    public FirstCertificate(LineageSpec spec, URI url, Path trust, EnrolmentTokens tokens, Duration retryFor,
                            Clock clock) {
        if (!"https".equals(url.getScheme()) || url.getHost() == null) {
            throw new IllegalArgumentException("goldentooth.agent.enrolment.url must be an https:// URL (the token "
                    + "must not cross the network in clear), was " + url);
        }
        this.spec = spec;
        this.url = url;
        this.trust = trust;
        this.tokens = tokens;
        this.retryFor = retryFor;
        this.clock = clock;
    }

    /** Thrown when no certificate could be obtained; the message says why and what to do. */
    public static final class EnrolmentFailedException extends RuntimeException {
        public EnrolmentFailedException(String message) {
            super(message);
        }
    }

    /**
     * Whether the lineage already has a key and a matching, unexpired certificate on disk (then
     * renewals over the bus keep it; nothing is done here).
     */
    public static boolean present(LineageSpec spec, Instant now) {
        try {
            KeyPair keys = NodeKeys.readKeyPair(Files.readString(spec.keyPath(), StandardCharsets.US_ASCII));
            List<X509Certificate> found = NodeKeys.parseCertificates(
                    Files.readString(spec.certPath(), StandardCharsets.US_ASCII));
            return !found.isEmpty() && found.get(0).getPublicKey().equals(keys.getPublic())
                    && now.isBefore(found.get(0).getNotAfter().toInstant());
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | NodeKeys.KeyFormatException e) {
            return false;
        }
    }

    /** Enrols over HTTPS and installs key, chain and certificate; returns the certificate's serial. */
    public String obtain() throws InterruptedException {
        HttpClient http = client();
        KeyPair keys = NodeKeys.generate();
        try {
            AtomicFiles.write(spec.keyPath(), NodeKeys.privateKeyPem(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII),
                    spec.keySpec());
        } catch (IOException e) {
            throw new EnrolmentFailedException("cannot write the key " + spec.keyPath() + ": " + e.getMessage());
        }
        String csr = NodeKeys.csrPem(keys, spec.names().get(0), spec.names());
        Instant giveUp = clock.instant().plus(retryFor);
        Duration pause = Duration.ofSeconds(1);
        while (true) {
            Optional<String> token;
            try {
                token = tokens.take();
            } catch (IOException e) {
                throw new EnrolmentFailedException("cannot read the enrolment tokens " + tokens.file() + ": "
                        + e.getMessage());
            }
            if (token.isEmpty()) {
                throw new EnrolmentFailedException("no unspent enrolment token in " + tokens.file() + " for the first "
                        + "certificate of " + spec.lineage() + "; mint one with POST /enrolment-tokens on the "
                        + "provisioner and write it there");
            }
            HttpResponse<String> answer;
            try {
                answer = http.send(request(csr, token.get()), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                tokens.release(token.get());
                if (!clock.instant().plus(pause).isBefore(giveUp)) {
                    throw new EnrolmentFailedException("cannot reach " + url + " for the first certificate of "
                            + spec.lineage() + ": " + e);
                }
                LOG.warnf("cannot reach %s (%s); trying again in %s", url, e.toString(), pause);
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : pause.multipliedBy(2);
                continue;
            }
            int status = answer.statusCode();
            if (status == 200) {
                String serial = install(answer.body(), keys);
                spend(token.get());
                LOG.infof("enrolled %s over HTTPS: serial %s", spec.lineage(), serial);
                return serial;
            }
            String message = message(answer.body());
            if (status == 403 && (message.startsWith("token-invalid") || message.startsWith("token-reused"))) {
                spend(token.get());
                LOG.warnf("pki-service refused an enrolment token for %s: %s; trying the next token", spec.lineage(),
                        message);
                continue;
            }
            tokens.release(token.get());
            if (status >= 500 && clock.instant().plus(pause).isBefore(giveUp)) {
                LOG.warnf("%s answered %d (%s); trying again in %s", url, status, message, pause);
                Thread.sleep(pause.toMillis());
                pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : pause.multipliedBy(2);
                continue;
            }
            throw new EnrolmentFailedException("pki-service refused the first certificate of " + spec.lineage()
                    + " (" + status + "): " + message);
        }
    }

    private HttpRequest request(String csr, String token) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", spec.node());
        body.put("service", spec.lineage().substring(spec.node().length() + 1));
        body.put("csr", csr);
        body.put("token", token);
        body.put("names", spec.names());
        body.put("lifetimeSeconds", spec.lifetime().toSeconds());
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(body))).build();
    }

    private String install(String body, KeyPair keys) {
        X509Certificate leaf;
        List<X509Certificate> chain;
        try {
            JsonNode answer = EventCodec.mapper().readTree(body);
            List<X509Certificate> leaves = NodeKeys.parseCertificates(answer.path("certificatePem").asText(null));
            chain = NodeKeys.parseCertificates(answer.path("chainPem").asText(null));
            if (leaves.isEmpty() || chain.isEmpty()) {
                throw new EnrolmentFailedException("pki-service's answer carries no certificate or no chain");
            }
            leaf = leaves.get(0);
        } catch (IOException | NodeKeys.KeyFormatException e) {
            throw new EnrolmentFailedException("pki-service's answer is unreadable: " + e.getMessage());
        }
        if (!leaf.getPublicKey().equals(keys.getPublic())) {
            throw new EnrolmentFailedException("pki-service's certificate is not for this node's key");
        }
        try {
            leaf.verify(chain.get(0).getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new EnrolmentFailedException("the chain does not sign the certificate: " + e.getMessage());
        }
        try {
            StringBuilder pems = new StringBuilder();
            chain.forEach(c -> pems.append(NodeKeys.pem(c)));
            if (spec.chainPath().isPresent()) {
                AtomicFiles.write(spec.chainPath().get(), pems.toString().getBytes(StandardCharsets.US_ASCII),
                        spec.certSpec());
            }
            AtomicFiles.write(spec.certPath(), NodeKeys.pem(leaf).getBytes(StandardCharsets.US_ASCII), spec.certSpec());
        } catch (IOException e) {
            throw new EnrolmentFailedException("cannot write " + spec.certPath() + ": " + e.getMessage());
        }
        return NodeKeys.serial(leaf);
    }

    private void spend(String token) {
        try {
            tokens.spend(token);
        } catch (IOException e) {
            LOG.warnf("could not record a spent enrolment token: %s", e.getMessage());
        }
    }

    private static String message(String body) {
        try {
            JsonNode error = EventCodec.mapper().readTree(body);
            String message = error.path("error").asText(error.path("message").asText(""));
            return message.isEmpty() ? body : message;
        } catch (IOException e) {
            return body.length() > 200 ? body.substring(0, 200) : body;
        }
    }

    /** An HTTPS client that trusts the Kafka trust root only, hostname verification on. */
    private HttpClient client() {
        try {
            List<X509Certificate> roots = NodeKeys.parseCertificates(Files.readString(trust, StandardCharsets.US_ASCII));
            if (roots.isEmpty()) {
                throw new EnrolmentFailedException("goldentooth.kafka.ssl.trust " + trust + " holds no certificate");
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < roots.size(); i++) {
                store.setCertificateEntry("root-" + i, roots.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), null);
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (IOException | NodeKeys.KeyFormatException e) {
            throw new EnrolmentFailedException("goldentooth.kafka.ssl.trust " + trust + " cannot be read: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build a TLS context: " + e.getMessage(), e);
        }
    }
}
