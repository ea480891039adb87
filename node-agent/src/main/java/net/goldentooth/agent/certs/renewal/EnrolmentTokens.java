package net.goldentooth.agent.certs.renewal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;

/**
 * The enrolment tokens the provisioner minted for this node, one per line of the token file. A
 * token is single-use at pki, so each is spent on one lineage's first certificate; the agent
 * remembers the SHA-256 of spent tokens in its state directory (never the tokens themselves) and
 * never sends one twice. The file is read at each enrolment, so a token dropped in later is used.
 */
public final class EnrolmentTokens {

    private final Path tokenFile;
    private final Path spentFile;
    private final Set<String> spent = new LinkedHashSet<>();

    public EnrolmentTokens(Path tokenFile, Path spentFile) throws IOException {
        this.tokenFile = tokenFile;
        this.spentFile = spentFile;
        if (Files.exists(spentFile)) {
            Files.readAllLines(spentFile).stream().map(String::trim).filter(l -> !l.isEmpty()).forEach(spent::add);
        }
    }

    /**
     * The first token of the file not spent yet, recorded as spent before it is returned: two
     * lineages enrolling at once never send the same token, and a token whose answer was lost is
     * not offered again (pki has most likely used it). Empty when the file is missing or all are spent.
     */
    public Optional<String> take() throws IOException {
        if (!Files.isRegularFile(tokenFile)) {
            return Optional.empty();
        }
        Optional<String> token = Files.readAllLines(tokenFile).stream().map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .filter(t -> !spent.contains(hash(t))).findFirst();
        if (token.isPresent()) {
            spent.add(hash(token.get()));
            AtomicFiles.write(spentFile, (String.join("\n", spent) + "\n").getBytes(StandardCharsets.UTF_8),
                    FileSpec.mode("0600"));
        }
        return token;
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
