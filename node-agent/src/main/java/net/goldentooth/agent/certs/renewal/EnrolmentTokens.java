package net.goldentooth.agent.certs.renewal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;

/**
 * The enrolment tokens the provisioner minted for this node, one per line of the token file. pki
 * spends a token only when it issues (a refused request may try again with the same token), so
 * here a token is reserved while its request is pending (two lineages enrolling at once never
 * send the same one), spent for good once pki issued or said the token is used or invalid, and
 * released after any other refusal or a timeout. Spent tokens are remembered in the state
 * directory as SHA-256 hashes, never in clear. The file is read at each enrolment, so a token
 * dropped in later is used.
 */
public final class EnrolmentTokens {

    private final Path tokenFile;
    private final Path spentFile;
    private final Set<String> spent = new LinkedHashSet<>();
    private final Set<String> reserved = new HashSet<>();

    public EnrolmentTokens(Path tokenFile, Path spentFile) throws IOException {
        this.tokenFile = tokenFile;
        this.spentFile = spentFile;
        if (Files.exists(spentFile)) {
            Files.readAllLines(spentFile).stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(spent::add);
        }
    }

    /** Reserves the first token of the file neither spent nor reserved; empty when there is none. */
    public synchronized Optional<String> take() throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            return Optional.empty();
        }
        Optional<String> token = Files.readAllLines(tokenFile).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .filter(t -> !spent.contains(hash(t)) && !reserved.contains(hash(t))).findFirst();
        token.ifPresent(t -> reserved.add(hash(t)));
        return token;
    }

    /** Every token line of the file, spent or not (they vouch for the provisioner's key); none when there is no file. */
    public List<String> all() throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            return List.of();
        }
        return Files.readAllLines(tokenFile).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    /** pki issued with this token, or said it is used or invalid: never offer it again. */
    public synchronized void spend(String token) throws IOException {
        reserved.remove(hash(token));
        if (spent.add(hash(token))) {
            AtomicFiles.write(spentFile, (String.join("\n", spent) + "\n").getBytes(StandardCharsets.UTF_8),
                    FileSpec.mode("0600"));
        }
    }

    /** The request was refused for another reason or not answered: the token may be tried again. */
    public synchronized void release(String token) {
        reserved.remove(hash(token));
    }

    public Path file() {
        return tokenFile;
    }

    private static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
