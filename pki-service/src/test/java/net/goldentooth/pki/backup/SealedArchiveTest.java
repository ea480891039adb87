package net.goldentooth.pki.backup;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class SealedArchiveTest {

    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();
    private static final int FAST = 100_000;
    private static final List<SealedArchive.Entry> FILES = List.of(
            new SealedArchive.Entry("state/x509-ca.p12", true, "KEYSTORE-BYTES-0123456789".getBytes(StandardCharsets.UTF_8)),
            new SealedArchive.Entry("state/root.pem", false, "-----BEGIN CERTIFICATE-----".getBytes(StandardCharsets.UTF_8)),
            new SealedArchive.Entry("empty", true, new byte[0]));

    private static byte[] sealed() {
        return SealedArchive.seal(FILES, PASSPHRASE, new SecureRandom(), FAST);
    }

    @Test
    void whatIsSealedOpensWithThePassphraseAndIsNotReadableWithout() throws Exception {
        byte[] sealed = sealed();
        List<SealedArchive.Entry> opened = SealedArchive.open(sealed, PASSPHRASE);
        assertEquals(3, opened.size());
        for (int i = 0; i < FILES.size(); i++) {
            assertEquals(FILES.get(i).name(), opened.get(i).name());
            assertEquals(FILES.get(i).secret(), opened.get(i).secret());
            assertArrayEquals(FILES.get(i).content(), opened.get(i).content());
        }
        String raw = new String(sealed, StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains("KEYSTORE-BYTES") || raw.contains("BEGIN CERTIFICATE") || raw.contains("x509"), raw);
        assertFalse(Arrays.equals(sealed, sealed()), "a fresh salt and nonce every time");
    }

    @Test
    void aWrongPassphraseIsSaidSo() {
        BackupException wrong = assertThrows(BackupException.class,
                () -> SealedArchive.open(sealed(), "correct horse battery stapler".toCharArray()));
        assertTrue(wrong.getMessage().startsWith("wrong passphrase"), wrong.getMessage());
    }

    @Test
    void truncatedDamagedOrForeignFilesAreEachSaidSo() {
        byte[] sealed = sealed();
        BackupException cut = assertThrows(BackupException.class,
                () -> SealedArchive.open(Arrays.copyOf(sealed, sealed.length - 7), PASSPHRASE));
        assertTrue(cut.getMessage().startsWith("the backup is truncated"), cut.getMessage());
        BackupException header = assertThrows(BackupException.class,
                () -> SealedArchive.open(Arrays.copyOf(sealed, 20), PASSPHRASE));
        assertTrue(header.getMessage().contains("truncated") && header.getMessage().contains("header"), header.getMessage());
        BackupException foreign = assertThrows(BackupException.class,
                () -> SealedArchive.open("PK\u0003\u0004 a zip file".getBytes(StandardCharsets.ISO_8859_1), PASSPHRASE));
        assertTrue(foreign.getMessage().startsWith("not a goldentooth pki backup"), foreign.getMessage());
        byte[] flipped = sealed.clone();
        flipped[flipped.length - 30] ^= 1;
        assertTrue(assertThrows(BackupException.class, () -> SealedArchive.open(flipped, PASSPHRASE)).getMessage()
                .contains("altered"));
        byte[] salted = sealed.clone();
        salted[15] ^= 1; // inside the salt: the header is authenticated too
        assertThrows(BackupException.class, () -> SealedArchive.open(salted, PASSPHRASE));
        byte[] longer = Arrays.copyOf(sealed, sealed.length + 3);
        assertTrue(assertThrows(BackupException.class, () -> SealedArchive.open(longer, PASSPHRASE)).getMessage()
                .contains("after its end"));
    }

    @Test
    void shortPassphrasesAndBadNamesAreRefusedWhenSealing() {
        assertThrows(IllegalArgumentException.class,
                () -> SealedArchive.seal(FILES, "short".toCharArray(), new SecureRandom(), FAST));
        assertThrows(IllegalArgumentException.class, () -> new SealedArchive.Entry("../etc/passwd", true, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> SealedArchive.seal(List.of(FILES.get(0), FILES.get(0)),
                PASSPHRASE, new SecureRandom(), FAST));
    }
}
