package net.goldentooth.pki.backup;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Named files sealed with a passphrase: AES-256-GCM under a key derived by PBKDF2-HMAC-SHA256
 * from the passphrase and a random salt. Pure (no files, no clock). The layout, all integers
 * big-endian:
 *
 * <pre>
 * "GTPKIBAK" | version (1 byte, 1) | PBKDF2 iterations (4) | salt (16) | nonce (12)
 *            | ciphertext length (4) | ciphertext with its 16-byte tag
 * </pre>
 *
 * Everything before the ciphertext is the additional authenticated data, so a changed header fails
 * like a changed ciphertext. The plaintext is a count (4) then, per file, its name (2-byte length,
 * UTF-8), whether it is secret (1 byte) and its content (4-byte length, bytes).
 */
public final class SealedArchive {

    /** A file of the archive; {@code secret} files are written back mode 0600, the others 0644. */
    public record Entry(String name, boolean secret, byte[] content) {

        public Entry {
            if (name == null || name.isBlank() || name.contains("..") || name.startsWith("/")) {
                throw new IllegalArgumentException("'" + name + "' is not a relative archive name");
            }
            content = content.clone();
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    private static final byte[] MAGIC = "GTPKIBAK".getBytes(StandardCharsets.US_ASCII);
    private static final byte VERSION = 1;
    private static final int SALT = 16;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER = MAGIC.length + 1 + 4 + SALT + NONCE + 4;
    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; about half a second on a Pi 4. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final int MIN_ITERATIONS = 100_000;
    private static final int MAX_ITERATIONS = 50_000_000;
    /** A passphrase guessed offline against a stolen backup must not be short. */
    public static final int MIN_PASSPHRASE = 12;

    private SealedArchive() {
    }

    public static byte[] seal(List<Entry> entries, char[] passphrase, SecureRandom random) {
        return seal(entries, passphrase, random, DEFAULT_ITERATIONS);
    }

    public static byte[] seal(List<Entry> entries, char[] passphrase, SecureRandom random, int iterations) {
        if (passphrase.length < MIN_PASSPHRASE) {
            throw new IllegalArgumentException("the backup passphrase must have at least " + MIN_PASSPHRASE
                    + " characters");
        }
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("PBKDF2 iterations must be within " + MIN_ITERATIONS + ".." + MAX_ITERATIONS);
        }
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> {
            if (!names.add(e.name())) {
                throw new IllegalArgumentException("'" + e.name() + "' is in the archive twice");
            }
        });
        byte[] salt = new byte[SALT];
        byte[] nonce = new byte[NONCE];
        random.nextBytes(salt);
        random.nextBytes(nonce);
        byte[] plain = encode(entries);
        try {
            int length = plain.length + TAG_BITS / 8;
            byte[] header = header(iterations, salt, nonce, length);
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, passphrase, salt, iterations, nonce);
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(plain);
            return ByteBuffer.allocate(header.length + sealed.length).put(header).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and PBKDF2-HMAC-SHA256 are in every JDK 17", e);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /**
     * The files of a sealed archive.
     *
     * @throws BackupException saying what is wrong: not a backup, truncated, unknown version, or a
     *                         wrong passphrase (or altered content: GCM cannot tell the two apart)
     */
    public static List<Entry> open(byte[] sealed, char[] passphrase) throws BackupException {
        if (sealed.length < MAGIC.length || !Arrays.equals(Arrays.copyOf(sealed, MAGIC.length), MAGIC)) {
            throw new BackupException("not a goldentooth pki backup (it does not start with GTPKIBAK)");
        }
        if (sealed.length < HEADER) {
            throw new BackupException("the backup is truncated: " + sealed.length + " bytes, shorter than its "
                    + HEADER + "-byte header");
        }
        ByteBuffer in = ByteBuffer.wrap(sealed);
        in.position(MAGIC.length);
        byte version = in.get();
        if (version != VERSION) {
            throw new BackupException("backup format version " + version + " is not known here (this reads version "
                    + VERSION + ")");
        }
        int iterations = in.getInt();
        byte[] salt = new byte[SALT];
        byte[] nonce = new byte[NONCE];
        in.get(salt).get(nonce);
        int length = in.getInt();
        if (iterations < MIN_ITERATIONS || iterations > MAX_ITERATIONS || length < TAG_BITS / 8) {
            throw new BackupException("the backup's header is damaged (iterations " + iterations + ", length " + length + ")");
        }
        int present = sealed.length - HEADER;
        if (present < length) {
            throw new BackupException("the backup is truncated: " + present + " of its " + length
                    + " encrypted bytes are there");
        }
        if (present > length) {
            throw new BackupException("the backup has " + (present - length) + " bytes after its end; it is damaged");
        }
        byte[] plain;
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, passphrase, salt, iterations, nonce);
            cipher.updateAAD(sealed, 0, HEADER);
            plain = cipher.doFinal(sealed, HEADER, length);
        } catch (AEADBadTagException e) {
            throw new BackupException("wrong passphrase, or the backup was altered (authentication failed)");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM and PBKDF2-HMAC-SHA256 are in every JDK 17", e);
        }
        try {
            return decode(plain);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    private static byte[] header(int iterations, byte[] salt, byte[] nonce, int length) {
        return ByteBuffer.allocate(HEADER).put(MAGIC).put(VERSION).putInt(iterations).put(salt).put(nonce)
                .putInt(length).array();
    }

    private static Cipher cipher(int mode, char[] passphrase, byte[] salt, int iterations, byte[] nonce)
            throws GeneralSecurityException {
        KeySpec spec = new PBEKeySpec(passphrase, salt, iterations, 256);
        byte[] key = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(TAG_BITS, nonce));
            return cipher;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    private static byte[] encode(List<Entry> entries) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(entries.size());
            for (Entry entry : entries) {
                byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
                out.writeShort(name.length);
                out.write(name);
                out.writeBoolean(entry.secret());
                byte[] content = entry.content();
                out.writeInt(content.length);
                out.write(content);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static List<Entry> decode(byte[] plain) throws BackupException {
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(plain))) {
            int count = in.readInt();
            if (count < 0 || count > 1000) {
                throw new BackupException("the backup's contents are damaged (" + count + " files)");
            }
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[in.readUnsignedShort()];
                in.readFully(name);
                boolean secret = in.readBoolean();
                int length = in.readInt();
                if (length < 0 || length > in.available()) {
                    throw new BackupException("the backup's contents are damaged (a file of " + length + " bytes)");
                }
                byte[] content = new byte[length];
                in.readFully(content);
                entries.add(new Entry(new String(name, StandardCharsets.UTF_8), secret, content));
            }
            return List.copyOf(entries);
        } catch (EOFException e) {
            throw new BackupException("the backup's contents end early; it is damaged");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (IllegalArgumentException e) {
            throw new BackupException("the backup's contents are damaged: " + e.getMessage());
        }
    }
}
