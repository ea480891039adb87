package net.goldentooth.agent.certs.ssh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Set;
import net.goldentooth.agent.certs.files.AtomicFiles;
import net.goldentooth.agent.certs.files.FileSpec;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.util.OpenSSHPrivateKeyUtil;
import org.bouncycastle.crypto.util.OpenSSHPublicKeyUtil;
import org.jboss.logging.Logger;

/**
 * An Ed25519 key pair the agent makes the first time it is needed and keeps from then on: the
 * private key at {@code path} in OpenSSH's own format (unencrypted, mode 0600, what {@code ssh -i}
 * and {@code ssh-keygen} read), the public key beside it as {@code <path>.pub}. The private key
 * is never logged and never sent: only the public line goes to pki. An existing file that is not
 * an unencrypted OpenSSH Ed25519 key is left alone and reported (it may be an operator's key), so
 * nothing is certified until it is fixed or removed.
 */
public final class GeneratedSshKey implements SshKey {

    private static final Logger LOG = Logger.getLogger(GeneratedSshKey.class);
    private static final FileSpec PRIVATE = FileSpec.mode("0600");
    private static final FileSpec PUBLIC = FileSpec.mode("0644");
    private static final Set<PosixFilePermission> OWNER_ONLY = PRIVATE.permissions();
    private static final String BEGIN = "-----BEGIN OPENSSH PRIVATE KEY-----";
    private static final String END = "-----END OPENSSH PRIVATE KEY-----";

    private final Path path;
    private final String comment;
    private final SecureRandom random;

    /** @param comment the public key's comment, e.g. {@code root@bettley} */
    public GeneratedSshKey(Path path, String comment, SecureRandom random) {
        this.path = path;
        this.comment = comment;
        this.random = random;
    }

    @Override
    public Path path() {
        return path;
    }

    public Path publicKeyPath() {
        return path.resolveSibling(path.getFileName() + ".pub");
    }

    /** The public key line, after making the key pair if there is none yet (and rewriting a missing {@code .pub}). */
    @Override
    public String publicKey() throws IOException {
        Ed25519PrivateKeyParameters key;
        if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            key = read();
            if (!Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS).equals(OWNER_ONLY)) {
                // ssh refuses a private key others can read; and so should we keep it.
                Files.setPosixFilePermissions(path, OWNER_ONLY);
                LOG.warnf("%s was readable by others; it is 0600 again", path);
            }
        } else {
            key = new Ed25519PrivateKeyParameters(random);
            AtomicFiles.write(path, pem(OpenSSHPrivateKeyUtil.encodePrivateKey(key)), PRIVATE);
            LOG.infof("generated the Ed25519 key %s", path);
        }
        String line = "ssh-ed25519 " + Base64.getEncoder().encodeToString(
                OpenSSHPublicKeyUtil.encodePublicKey(key.generatePublicKey())) + " " + comment;
        AtomicFiles.writeIfChanged(publicKeyPath(), (line + "\n").getBytes(StandardCharsets.US_ASCII), PUBLIC);
        return line;
    }

    private Ed25519PrivateKeyParameters read() throws IOException {
        String text = Files.readString(path, StandardCharsets.US_ASCII).trim();
        if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
            throw new IOException(path + " is not an OpenSSH private key");
        }
        try {
            byte[] blob = Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length()));
            AsymmetricKeyParameter key = OpenSSHPrivateKeyUtil.parsePrivateKeyBlob(blob);
            if (key instanceof Ed25519PrivateKeyParameters ed25519) {
                return ed25519;
            }
            throw new IOException(path + " is not an Ed25519 key");
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The message of a parser never holds key material, only what it expected.
            throw new IOException(path + " is not an unencrypted OpenSSH Ed25519 key: " + e.getMessage());
        }
    }

    private static byte[] pem(byte[] blob) {
        String body = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(blob);
        return (BEGIN + "\n" + body + "\n" + END + "\n").getBytes(StandardCharsets.US_ASCII);
    }
}
