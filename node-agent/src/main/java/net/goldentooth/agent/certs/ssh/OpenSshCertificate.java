package net.goldentooth.agent.certs.ssh;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * What the agent needs to know of an OpenSSH certificate line (PROTOCOL.certkeys): whose key it
 * certifies, host or user, its principals, its validity and the CA key that signed it. Pure
 * parsing, no signature check: the agent compares the signing key with the host CA from
 * {@code pki.trust}, and sshd and its clients check the signature.
 *
 * @param certifiedKey the certified public key's fields (the key blob without its type string)
 * @param signingKey   the CA's public key blob
 * @param blob         the whole certificate, as base64-encoded in the line
 */
public record OpenSshCertificate(String type, byte[] certifiedKey, long serial, boolean host, String keyId,
                                 List<String> principals, Instant validAfter, Instant validBefore, byte[] signingKey,
                                 byte[] blob) {

    /** Why a line is not a certificate the agent can read. */
    public enum Problem {
        /** Not {@code <type>-cert-v01@openssh.com <base64>}. */
        NOT_A_CERTIFICATE,
        /** The type inside the blob differs from the line's. */
        TYPE_MISMATCH,
        /** A key type the agent does not read (ed25519, ecdsa and rsa are read). */
        UNSUPPORTED_TYPE,
        /** Not base64, or a field runs past the end of the blob. */
        MALFORMED
    }

    /** A line that is not a readable OpenSSH certificate, with the check that failed. */
    public static final class InvalidCertificateException extends IllegalArgumentException {
        private final Problem problem;

        InvalidCertificateException(Problem problem, String message) {
            super(message);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** @throws InvalidCertificateException saying why the line is not an OpenSSH certificate */
    public static OpenSshCertificate parse(String line) {
        String[] parts = line == null ? new String[0] : line.trim().split("\\s+");
        if (parts.length < 2 || !parts[0].endsWith("-cert-v01@openssh.com")) {
            throw new InvalidCertificateException(Problem.NOT_A_CERTIFICATE, "not an OpenSSH certificate line");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(parts[1]));
            String type = new String(string(in), StandardCharsets.US_ASCII);
            if (!type.equals(parts[0])) {
                throw new InvalidCertificateException(Problem.TYPE_MISMATCH,
                        "the certificate's type " + type + " differs from " + parts[0]);
            }
            string(in); // nonce
            int keyStart = in.position();
            for (int i = 0; i < fieldCount(type); i++) {
                string(in);
            }
            byte[] certifiedKey = Arrays.copyOfRange(in.array(), keyStart, in.position());
            long serial = in.getLong();
            int kind = in.getInt();
            String keyId = new String(string(in), StandardCharsets.UTF_8);
            List<String> principals = new ArrayList<>();
            ByteBuffer names = ByteBuffer.wrap(string(in));
            while (names.hasRemaining()) {
                principals.add(new String(string(names), StandardCharsets.UTF_8));
            }
            Instant validAfter = Instant.ofEpochSecond(in.getLong());
            long before = in.getLong();
            Instant validBefore = before < 0 ? Instant.MAX : Instant.ofEpochSecond(before);
            string(in); // critical options
            string(in); // extensions
            string(in); // reserved
            byte[] signingKey = string(in);
            return new OpenSshCertificate(type, certifiedKey, serial, kind == 2, keyId, List.copyOf(principals),
                    validAfter, validBefore, signingKey, in.array());
        } catch (InvalidCertificateException e) {
            if (e.problem() == Problem.MALFORMED) {
                throw new InvalidCertificateException(Problem.MALFORMED,
                        "the OpenSSH certificate is malformed: " + e.getMessage());
            }
            throw e;
        } catch (RuntimeException e) {
            throw new InvalidCertificateException(Problem.MALFORMED, "the OpenSSH certificate is malformed: " + e);
        }
    }

    /** The fields of a public key line's blob after its type string, to compare with {@link #certifiedKey()}. */
    public static byte[] keyFields(String publicKeyLine) {
        String[] parts = publicKeyLine == null ? new String[0] : publicKeyLine.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(Base64.getDecoder().decode(parts[1]));
            string(in);
            return Arrays.copyOfRange(in.array(), in.position(), in.limit());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the OpenSSH public key is malformed: " + e);
        }
    }

    /** The key blob of a public key line (what {@link #signingKey()} holds for a CA key). */
    public static byte[] keyBlob(String publicKeyLine) {
        String[] parts = publicKeyLine == null ? new String[0] : publicKeyLine.trim().split("\\s+");
        if (parts.length < 2) {
            throw new IllegalArgumentException("not an OpenSSH public key line");
        }
        return Base64.getDecoder().decode(parts[1]);
    }

    /** Serial as lower-case hex, as pki reports it. */
    public String serialHex() {
        return Long.toUnsignedString(serial, 16);
    }

    /** How many length-prefixed fields the certified key has (mpints and strings are both length-prefixed). */
    private static int fieldCount(String certificateType) {
        if (certificateType.startsWith("ssh-ed25519-")) {
            return 1;
        }
        if (certificateType.startsWith("ecdsa-sha2-")) {
            return 2;
        }
        if (certificateType.startsWith("ssh-rsa-")) {
            return 2;
        }
        throw new InvalidCertificateException(Problem.UNSUPPORTED_TYPE,
                "the certificate type " + certificateType + " is not supported");
    }

    private static byte[] string(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new InvalidCertificateException(Problem.MALFORMED, "a field runs past the end");
        }
        byte[] value = new byte[length];
        in.get(value);
        return value;
    }
}
