package net.goldentooth.agent.certs.renewal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import net.goldentooth.agent.certs.keys.NodeKeys;
import org.bouncycastle.util.IPAddress;

/**
 * Asks a TLS endpoint which leaf it serves. The probe does not judge trust: it only compares the
 * served leaf with the one just written, so it accepts any chain (an endpoint still serving an
 * expired certificate is exactly what it must be able to see).
 */
public final class TlsProbe {

    private static final TrustManager[] ACCEPT_ANY = {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
            // the probe is a client
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            // compared by fingerprint afterwards, see the class comment
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }};

    private final Duration connectTimeout;

    public TlsProbe(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    /** SHA-256 fingerprint of the leaf the endpoint serves. */
    public String servedFingerprint(LineageSpec.Endpoint endpoint) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, ACCEPT_ANY, null);
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()),
                        (int) connectTimeout.toMillis());
                plain.setSoTimeout((int) connectTimeout.toMillis());
                try (SSLSocket socket = (SSLSocket) context.getSocketFactory()
                        .createSocket(plain, endpoint.host(), endpoint.port(), false)) {
                    if (!IPAddress.isValid(endpoint.host())) {
                        SSLParameters parameters = socket.getSSLParameters();
                        parameters.setServerNames(List.of(new SNIHostName(endpoint.host())));
                        socket.setSSLParameters(parameters);
                    }
                    socket.startHandshake();
                    Certificate[] served = socket.getSession().getPeerCertificates();
                    return NodeKeys.fingerprint((X509Certificate) served[0]);
                }
            }
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS set-up failed: " + e.getMessage(), e);
        }
    }
}
