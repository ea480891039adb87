package net.goldentooth.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * For tests that turn REST authentication on (rest-edge): one bearer token per role, written by
 * hash into a temporary tokens file ({@code <sha256-hex> <role> <name>}, as docs/security.md says).
 */
public final class AuthTokens {

    public static final String VIEWER = "viewer-token-3f1c";
    public static final String OPERATOR = "operator-token-9a2e";
    public static final String ADMIN = "admin-token-77b0";

    /** Configuration overrides for a {@code QuarkusTestProfile}: authentication on, with the three tokens. */
    public static Map<String, String> enabled() {
        try {
            Path file = Files.createTempFile("tokens", "");
            Files.write(file, List.of("# written by testkit AuthTokens", line(VIEWER, "viewer", "val"),
                    line(OPERATOR, "operator", "olga"), line(ADMIN, "admin", "ada")));
            return Map.of("goldentooth.auth.enabled", "true", "goldentooth.auth.tokens-file", file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String line(String token, String role, String name) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash) + " " + role + " " + name;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private AuthTokens() {
    }
}
