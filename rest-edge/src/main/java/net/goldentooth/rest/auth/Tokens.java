package net.goldentooth.rest.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer tokens a service accepts, held only as SHA-256 hashes, so the file (and a heap dump)
 * gives away no usable token. One line per token: {@code <sha256-hex> <role> <name>}; blank lines
 * and lines starting with {@code #} are ignored. Make a line with
 * {@code printf %s "$token" | sha256sum}.
 */
public final class Tokens {

    /** The configuration key that names the file, for error messages. */
    public static final String KEY = "goldentooth.auth.tokens-file";

    private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@:-]{1,128}");

    private final Map<String, Caller> byHash;

    private Tokens(Map<String, Caller> byHash) {
        this.byHash = Map.copyOf(byHash);
    }

    public static Tokens none() {
        return new Tokens(Map.of());
    }

    /** @throws TokenFileException naming {@link #KEY}, the file and the line when the file is missing or malformed */
    public static Tokens load(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new TokenFileException(KEY + " " + file + " does not exist; create it with lines "
                    + "'<sha256-hex> <role> <name>' or set goldentooth.auth.enabled=false");
        } catch (IOException e) {
            throw new TokenFileException(KEY + " " + file + " cannot be read: " + e.getMessage(), e);
        }
        return parse(lines, KEY + " " + file);
    }

    /** @param source names the file in error messages */
    public static Tokens parse(List<String> lines, String source) {
        Map<String, Caller> byHash = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = source + " line " + (i + 1) + ": ";
            String[] fields = line.split("\\s+");
            if (fields.length != 3) {
                // The line is not echoed: a token pasted by mistake in place of its hash stays secret.
                throw new TokenFileException(where + "expected 3 fields '<sha256-hex> <role> <name>', found "
                        + fields.length);
            }
            String hash = fields[0].toLowerCase(java.util.Locale.ROOT);
            if (!HASH.matcher(hash).matches()) {
                throw new TokenFileException(where + "the first field must be the 64 hex digits of the token's "
                        + "SHA-256 (printf %s \"$token\" | sha256sum), not the token itself");
            }
            Role role = Role.parse(fields[1]).orElseThrow(() -> new TokenFileException(where + "unknown role '"
                    + fields[1] + "'; roles: " + Role.names()));
            if (!NAME.matcher(fields[2]).matches()) {
                throw new TokenFileException(where + "name '" + fields[2]
                        + "' must be 1-128 letters, digits or . _ @ : -");
            }
            if (byHash.put(hash, new Caller(fields[2], role, "token")) != null) {
                throw new TokenFileException(where + "the same token hash appears twice");
            }
        }
        return new Tokens(byHash);
    }

    /** The caller a presented token belongs to, if any. */
    public Optional<Caller> lookup(String token) {
        return Optional.ofNullable(byHash.get(sha256(token)));
    }

    public int size() {
        return byHash.size();
    }

    /** Lower-case hex SHA-256 of the token's UTF-8 bytes, as {@code sha256sum} prints it. */
    public static String sha256(String token) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
