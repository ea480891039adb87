package net.goldentooth.pki.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.SecureFiles;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import org.apache.sshd.common.config.keys.OpenSshCertificate;

/**
 * What a pki-service backup holds and where it goes back: the three key stores, the password that
 * opens them, the root and intermediate certificates, the used-token and revoked-lineage ledgers,
 * and, when named, the provisioner's task-signing key pair. Reading and writing files only; the
 * encryption is {@link SealedArchive}'s.
 */
public final class CaBackup {

    public static final List<String> KEY_STORES = List.of("x509-ca.p12", "ssh-host-ca.p12", "ssh-user-ca.p12");
    public static final List<String> CERTIFICATES = List.of("root.pem", "intermediate.pem");
    public static final List<String> LEDGERS = List.of("used-tokens", "revoked-lineages");
    static final String STATE = "state/";
    static final String PASSWORD = "ca-password";
    static final String TASK_KEY = "task-signing.key";
    static final String TASK_KEY_PUB = "task-signing.pub";

    /**
     * Where the files are (backup) or go (restore).
     *
     * @param taskKey    the provisioner's task-signing private key, or null to leave it out
     * @param taskKeyPub its public half, given exactly when {@code taskKey} is
     */
    public record Place(Path stateDir, Path passwordFile, Path taskKey, Path taskKeyPub) {

        public Place {
            if ((taskKey == null) != (taskKeyPub == null)) {
                throw new IllegalArgumentException("name both halves of the task-signing key (--task-key and "
                        + "--task-key-pub), or neither");
            }
        }
    }

    private CaBackup() {
    }

    /** The files of a backup, read from {@code from}. */
    public static List<SealedArchive.Entry> collect(Place from) throws BackupException, IOException {
        List<SealedArchive.Entry> entries = new ArrayList<>();
        for (String name : KEY_STORES) {
            entries.add(new SealedArchive.Entry(STATE + name, true, required(from.stateDir().resolve(name),
                    "is this pki-service's state directory (goldentooth.pki.state-dir)?")));
        }
        for (String name : CERTIFICATES) {
            entries.add(new SealedArchive.Entry(STATE + name, false, required(from.stateDir().resolve(name), "")));
        }
        for (String name : LEDGERS) {
            Path ledger = from.stateDir().resolve(name);
            if (Files.isRegularFile(ledger)) {
                entries.add(new SealedArchive.Entry(STATE + name, true, Files.readAllBytes(ledger)));
            }
        }
        byte[] password = required(from.passwordFile(), "(goldentooth.pki.password-file)");
        if (new String(password, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new BackupException(from.passwordFile() + " is empty");
        }
        entries.add(new SealedArchive.Entry(PASSWORD, true, password));
        if (from.taskKey() != null) {
            entries.add(new SealedArchive.Entry(TASK_KEY, true, required(from.taskKey(),
                    "(the provisioner's goldentooth.provisioner.signing-key)")));
            entries.add(new SealedArchive.Entry(TASK_KEY_PUB, false, required(from.taskKeyPub(), "")));
        }
        return entries;
    }

    /**
     * Writes a backup's files to {@code to}, then opens every CA with the restored password to prove
     * they work together. Refuses a state directory that already holds a CA and an existing
     * password or task key file: a restore never overwrites keys.
     *
     * @return what was written, for the operator
     */
    public static List<Path> restore(List<SealedArchive.Entry> entries, Place to, Clock clock)
            throws BackupException, IOException {
        Map<String, SealedArchive.Entry> byName = entries.stream()
                .collect(Collectors.toMap(SealedArchive.Entry::name, Function.identity()));
        for (String name : KEY_STORES) {
            if (!byName.containsKey(STATE + name)) {
                throw new BackupException("the backup has no " + name + "; it is not a complete pki-service backup");
            }
        }
        if (!byName.containsKey(PASSWORD)) {
            throw new BackupException("the backup has no CA password; it is not a complete pki-service backup");
        }
        for (String name : KEY_STORES) {
            if (Files.exists(to.stateDir().resolve(name))) {
                throw new BackupException(to.stateDir() + " already holds " + name
                        + "; restore into an empty state directory (a restore never overwrites keys)");
            }
        }
        refuseExisting(to.passwordFile());
        Optional<SealedArchive.Entry> taskKey = Optional.ofNullable(byName.get(TASK_KEY));
        if (to.taskKey() != null) {
            if (taskKey.isEmpty()) {
                throw new BackupException("the backup holds no task-signing key (it was made without --task-key)");
            }
            refuseExisting(to.taskKey());
            refuseExisting(to.taskKeyPub());
        }
        Files.createDirectories(to.stateDir(),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<Path> written = new ArrayList<>();
        for (SealedArchive.Entry entry : entries) {
            Path target;
            if (entry.name().startsWith(STATE)) {
                String name = entry.name().substring(STATE.length());
                if (!KEY_STORES.contains(name) && !CERTIFICATES.contains(name) && !LEDGERS.contains(name)) {
                    throw new BackupException("the backup holds an unknown file '" + entry.name() + "'");
                }
                target = to.stateDir().resolve(name);
            } else if (entry.name().equals(PASSWORD)) {
                target = to.passwordFile();
            } else if (entry.name().equals(TASK_KEY)) {
                target = to.taskKey();
            } else if (entry.name().equals(TASK_KEY_PUB)) {
                target = to.taskKeyPub();
            } else {
                throw new BackupException("the backup holds an unknown file '" + entry.name() + "'");
            }
            if (target == null) {
                continue; // the task key, not asked for
            }
            SecureFiles.write(target, entry.content(), entry.secret() ? SecureFiles.PRIVATE : SecureFiles.PUBLIC);
            written.add(target);
        }
        char[] password = new String(byName.get(PASSWORD).content(), java.nio.charset.StandardCharsets.UTF_8)
                .strip().toCharArray();
        try {
            CertificateAuthority.load(to.stateDir(), password);
            SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST, to.stateDir().resolve("ssh-host-ca.p12"),
                    password, clock);
            SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER, to.stateDir().resolve("ssh-user-ca.p12"),
                    password, clock);
        } catch (IOException | RuntimeException e) {
            throw new BackupException("the restored key stores do not open with the restored password: " + e.getMessage());
        }
        return written;
    }

    private static byte[] required(Path file, String hint) throws BackupException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new BackupException(file + " does not exist" + (hint.isEmpty() ? "" : "; " + hint));
        }
        return Files.readAllBytes(file);
    }

    private static void refuseExisting(Path file) throws BackupException {
        if (Files.exists(file)) {
            throw new BackupException(file + " already exists; a restore never overwrites keys (move it away first)");
        }
    }
}
