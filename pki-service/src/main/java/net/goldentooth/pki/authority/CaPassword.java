package net.goldentooth.pki.authority;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;

/**
 * The password that encrypts the CA's PKCS#12 key stores, read from a file. On first start the
 * file is generated (256 random bits, mode 0600); a file others can read is refused, because the
 * password protects every key of the fleet.
 */
public final class CaPassword {

    private CaPassword() {
    }

    public static char[] loadOrCreate(Path file) throws IOException {
        if (!Files.exists(file)) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            String encoded = Base64.getUrlEncoder().withoutPadding().encodeToString(secret) + "\n";
            SecureFiles.write(file, encoded.getBytes(StandardCharsets.US_ASCII), SecureFiles.PRIVATE);
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new IOException(file + " is readable by group or others; chmod 600 it");
        }
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (password.isEmpty()) {
            throw new IOException(file + " is empty");
        }
        return password.toCharArray();
    }
}
