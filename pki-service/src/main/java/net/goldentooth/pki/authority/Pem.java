package net.goldentooth.pki.authority;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;

/** PEM encoding of certificates, CRLs and keys, and parsing of one certificate. */
public final class Pem {

    private static final Base64.Encoder LINES = Base64.getMimeEncoder(64, new byte[] {'\n'});

    public static String of(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A DER certificate as PEM, exactly as {@link #of(Object)} writes it (64-column base64, LF), without
     * first turning the bytes into a JCA certificate that would only be encoded again.
     */
    public static String certificate(byte[] der) {
        return "-----BEGIN CERTIFICATE-----\n" + LINES.encodeToString(der) + "\n-----END CERTIFICATE-----\n";
    }

    /** Parses the first certificate of {@code pem}; anything else is an {@link IllegalArgumentException}. */
    public static X509Certificate certificate(String pem) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder(pem));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    /**
     * As {@link #certificate(String)}, as BouncyCastle's structure: what the CA reads names, dates and
     * the key from, without building (and parsing again) a JCA certificate.
     */
    public static X509CertificateHolder holder(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no certificate");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (!(object instanceof X509CertificateHolder holder)) {
                throw new IllegalArgumentException("not a PEM certificate");
            }
            return holder;
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException illegal) {
                throw illegal;
            }
            throw new IllegalArgumentException("not a PEM certificate: " + e.getMessage(), e);
        }
    }

    private Pem() {
    }
}
