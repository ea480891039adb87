package net.goldentooth.agent.certs.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Lines that are not readable certificates are refused with the check that failed, by type. */
class OpenSshCertificateTest {

    private static final String ED25519_CERT = "ssh-ed25519-cert-v01@openssh.com";

    @Test
    void aPlainKeyOrAnEmptyLineIsNotACertificate() {
        assertEquals(OpenSshCertificate.Problem.NOT_A_CERTIFICATE, problemOf("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5"));
        assertEquals(OpenSshCertificate.Problem.NOT_A_CERTIFICATE, problemOf(""));
        assertEquals(OpenSshCertificate.Problem.NOT_A_CERTIFICATE, problemOf(null));
    }

    @Test
    void aBlobOfAnotherTypeThanItsLineIsAMismatch() {
        String line = ED25519_CERT + " " + blob(string("ecdsa-sha2-nistp256-cert-v01@openssh.com"));
        assertEquals(OpenSshCertificate.Problem.TYPE_MISMATCH, problemOf(line));
    }

    @Test
    void aKeyTypeTheAgentDoesNotReadIsUnsupported() {
        String type = "ssh-dss-cert-v01@openssh.com";
        assertEquals(OpenSshCertificate.Problem.UNSUPPORTED_TYPE, problemOf(type + " " + blob(string(type), string("n"))));
    }

    @Test
    void garbageAndTruncatedBlobsAreMalformedWithoutTheExceptionClassInTheMessage() {
        assertEquals(OpenSshCertificate.Problem.MALFORMED, problemOf(ED25519_CERT + " !!!not-base64"));
        assertEquals(OpenSshCertificate.Problem.MALFORMED, problemOf(ED25519_CERT + " " + blob(string(ED25519_CERT))));
        byte[] overlong = ByteBuffer.allocate(4).putInt(1_000).array();
        var e = assertThrows(OpenSshCertificate.InvalidCertificateException.class,
                () -> OpenSshCertificate.parse(ED25519_CERT + " " + blob(string(ED25519_CERT), overlong)));
        assertEquals(OpenSshCertificate.Problem.MALFORMED, e.problem());
        assertEquals("the OpenSSH certificate is malformed: a field runs past the end", e.getMessage());
    }

    private static OpenSshCertificate.Problem problemOf(String line) {
        return assertThrows(OpenSshCertificate.InvalidCertificateException.class, () -> OpenSshCertificate.parse(line))
                .problem();
    }

    private static byte[] string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + bytes.length).putInt(bytes.length).put(bytes).array();
    }

    private static String blob(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }
}
