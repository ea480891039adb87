package net.goldentooth.events.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Ed25519 task-signing keys in PEM files that {@code openssl pkey} reads too: the private key as
 * PKCS#8 ({@code BEGIN PRIVATE KEY}, mode 0600), the public key as SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}). For Ed25519 both encodings are a fixed DER prefix followed by the
 * 32 raw key bytes (RFC 8410), so no ASN.1 parser is needed.
 */
public final class SigningKeys {

    private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex("302e020100300506032b657004220420");
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
    private static final int KEY_LENGTH = 32;

    /** A private key and its public half. */
    public record KeyPair(Ed25519PrivateKeyParameters privateKey, Ed25519PublicKeyParameters publicKey) {
        public String keyId() {
            return SigningKeys.keyId(publicKey);
        }
    }

    public static KeyPair generate() {
        Ed25519PrivateKeyParameters privateKey = new Ed25519PrivateKeyParameters(new SecureRandom());
        return new KeyPair(privateKey, privateKey.generatePublicKey());
    }

    /** First 16 hex digits of the SHA-256 of the public key's SubjectPublicKeyInfo encoding. */
    public static String keyId(Ed25519PublicKeyParameters key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spki(key));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Ed25519PrivateKeyParameters readPrivateKey(Path file) throws IOException {
        byte[] der = decodePem(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY", file.toString());
        return new Ed25519PrivateKeyParameters(rawKey(der, PKCS8_PREFIX, file + " is not an Ed25519 private key"), 0);
    }

    public static Ed25519PublicKeyParameters readPublicKey(Path file) throws IOException {
        return parsePublicKey(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
    }

    /** Parses a PEM public key given as text (from configuration or {@code pki.trust}). */
    public static Ed25519PublicKeyParameters parsePublicKey(String pem, String origin) throws IOException {
        byte[] der = decodePem(pem, "PUBLIC KEY", origin);
        return new Ed25519PublicKeyParameters(rawKey(der, SPKI_PREFIX, origin + " is not an Ed25519 public key"), 0);
    }

    /** The key pair stored at {@code privateKeyFile}, created there (with its public half beside it) if absent. */
    public static KeyPair loadOrCreate(Path privateKeyFile, Path publicKeyFile) throws IOException {
        if (Files.exists(privateKeyFile)) {
            Ed25519PrivateKeyParameters privateKey = readPrivateKey(privateKeyFile);
            KeyPair pair = new KeyPair(privateKey, privateKey.generatePublicKey());
            if (!Files.exists(publicKeyFile)) {
                writeAtomically(publicKeyFile, publicKeyPem(pair.publicKey()), "rw-r--r--");
            }
            return pair;
        }
        KeyPair pair = generate();
        writeAtomically(privateKeyFile, toPem("PRIVATE KEY", concat(PKCS8_PREFIX, pair.privateKey().getEncoded())),
                "rw-------");
        writeAtomically(publicKeyFile, publicKeyPem(pair.publicKey()), "rw-r--r--");
        return pair;
    }

    public static String publicKeyPem(Ed25519PublicKeyParameters key) {
        return toPem("PUBLIC KEY", spki(key));
    }

    private static byte[] spki(Ed25519PublicKeyParameters key) {
        return concat(SPKI_PREFIX, key.getEncoded());
    }

    private static byte[] rawKey(byte[] der, byte[] prefix, String error) throws IOException {
        if (der.length != prefix.length + KEY_LENGTH || !Arrays.equals(der, 0, prefix.length, prefix, 0, prefix.length)) {
            throw new IOException(error);
        }
        return Arrays.copyOfRange(der, prefix.length, der.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String toPem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] decodePem(String pem, String label, String origin) throws IOException {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int start = pem.indexOf(begin);
        int stop = pem.indexOf(end);
        if (start < 0 || stop < start) {
            throw new IOException(origin + " has no '" + begin + "' block");
        }
        String body = pem.substring(start + begin.length(), stop).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw new IOException(origin + " has a '" + label + "' block that is not base64", e);
        }
    }

    private static void writeAtomically(Path file, String content, String permissions) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)));
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private SigningKeys() {
    }
}
