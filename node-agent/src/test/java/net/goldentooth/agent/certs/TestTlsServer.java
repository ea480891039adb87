package net.goldentooth.agent.certs;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import net.goldentooth.agent.certs.keys.NodeKeys;

/**
 * A JDK TLS server on loopback that serves a certificate read from a key file and a certificate
 * file. It reads them at start and again only when its reload marker appears (a reload command
 * {@code touch <marker>} plays {@code systemctl reload}); with {@code reloads=false} it keeps the
 * certificate it started with whatever happens, like the seed's Vault that was "reloaded" and
 * went on serving the old certificate until it expired.
 */
public final class TestTlsServer implements AutoCloseable {

    private final ServerSocket server;
    private final Path keyFile;
    private final Path certFile;
    private final Path reloadMarker;
    private final boolean reloads;
    private final Thread thread;
    private volatile SSLContext context;

    public TestTlsServer(Path keyFile, Path certFile, Path reloadMarker, boolean reloads) throws Exception {
        this.keyFile = keyFile;
        this.certFile = certFile;
        this.reloadMarker = reloadMarker;
        this.reloads = reloads;
        this.context = load();
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.thread = new Thread(this::serve, "test-tls-server");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public String endpoint() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private SSLContext load() throws Exception {
        KeyPair keys = NodeKeys.readKeyPair(Files.readString(keyFile, StandardCharsets.US_ASCII));
        List<X509Certificate> chain = NodeKeys.parseCertificates(Files.readString(certFile, StandardCharsets.US_ASCII));
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("tls", keys.getPrivate(), "test".toCharArray(), chain.toArray(new X509Certificate[0]));
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(store, "test".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(keyManagers.getKeyManagers(), null, null);
        return ssl;
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket plain = server.accept()) {
                if (reloads && Files.deleteIfExists(reloadMarker)) {
                    context = load();
                }
                try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, null, true)) {
                    tls.setUseClientMode(false);
                    tls.startHandshake();
                }
            } catch (IOException e) {
                // a client that went away mid-handshake; serve the next
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        thread.join(5000);
    }
}
