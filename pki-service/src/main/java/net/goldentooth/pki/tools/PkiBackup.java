package net.goldentooth.pki.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.pki.authority.SecureFiles;
import net.goldentooth.pki.backup.BackupException;
import net.goldentooth.pki.backup.CaBackup;
import net.goldentooth.pki.backup.SealedArchive;

/**
 * {@code goldentooth pki backup} and {@code goldentooth pki restore}: the CA keys (and, when named,
 * the provisioner's task-signing key) in one file encrypted with an operator's passphrase, and
 * back. Runs on the machine that holds the state directory; keys never travel over the network
 * in clear and the passphrase is read from a file (mode 0600) or an environment variable, never
 * from the command line, and is never printed.
 *
 * <pre>
 * pki backup  --state-dir DIR --password-file FILE [--task-key FILE --task-key-pub FILE]
 *             (--passphrase-file FILE | --passphrase-env VAR) --out FILE
 * pki restore --in FILE --state-dir DIR --password-file FILE [--task-key FILE --task-key-pub FILE]
 *             (--passphrase-file FILE | --passphrase-env VAR)
 * </pre>
 *
 * Exit codes: 0 done, 2 bad arguments, 3 the backup or restore was refused (message on stderr).
 */
public final class PkiBackup {

    static final int USAGE = 2;
    static final int REFUSED = 3;

    record Options(String command, Path stateDir, Path passwordFile, Path taskKey, Path taskKeyPub,
                   Path passphraseFile, String passphraseEnv, Path file) {

        static Options parse(String[] args) {
            if (args.length == 0 || !(args[0].equals("backup") || args[0].equals("restore"))) {
                throw new IllegalArgumentException("say 'backup' or 'restore' first");
            }
            Path state = null;
            Path password = null;
            Path taskKey = null;
            Path taskKeyPub = null;
            Path passphraseFile = null;
            String passphraseEnv = null;
            Path file = null;
            String fileOption = args[0].equals("backup") ? "--out" : "--in";
            for (int i = 1; i < args.length; i++) {
                String option = args[i];
                String value = i + 1 < args.length ? args[++i] : null;
                if (value == null || value.startsWith("--")) {
                    throw new IllegalArgumentException(option + " needs a value");
                }
                switch (option) {
                    case "--state-dir" -> state = Path.of(value);
                    case "--password-file" -> password = Path.of(value);
                    case "--task-key" -> taskKey = Path.of(value);
                    case "--task-key-pub" -> taskKeyPub = Path.of(value);
                    case "--passphrase-file" -> passphraseFile = Path.of(value);
                    case "--passphrase-env" -> passphraseEnv = value;
                    default -> {
                        if (!option.equals(fileOption)) {
                            throw new IllegalArgumentException("unknown option '" + option + "' for " + args[0]);
                        }
                        file = Path.of(value);
                    }
                }
            }
            if (state == null || password == null || file == null) {
                throw new IllegalArgumentException("--state-dir, --password-file and " + fileOption + " are required");
            }
            if ((passphraseFile == null) == (passphraseEnv == null)) {
                throw new IllegalArgumentException("give the passphrase with exactly one of --passphrase-file and "
                        + "--passphrase-env (never on the command line)");
            }
            return new Options(args[0], state, password, taskKey, taskKeyPub, passphraseFile, passphraseEnv, file);
        }

        CaBackup.Place place() {
            return new CaBackup.Place(stateDir, passwordFile, taskKey, taskKeyPub);
        }
    }

    private PkiBackup() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), Clock.systemUTC(), System.out, System.err));
    }

    static int run(String[] args, Map<String, String> environment, Clock clock, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
            options.place();
        } catch (IllegalArgumentException e) {
            err.println("pki " + (args.length > 0 ? args[0] : "backup") + ": " + e.getMessage());
            return USAGE;
        }
        char[] passphrase = null;
        try {
            passphrase = passphrase(options, environment);
            if (options.command().equals("backup")) {
                List<SealedArchive.Entry> entries = CaBackup.collect(options.place());
                byte[] sealed = SealedArchive.seal(entries, passphrase, new SecureRandom());
                SecureFiles.write(options.file(), sealed, SecureFiles.PRIVATE);
                out.println("backed up " + entries.size() + " files of " + options.stateDir()
                        + (options.taskKey() == null ? "" : " and the task-signing key") + " to " + options.file()
                        + " (AES-256-GCM, key from the passphrase by PBKDF2-HMAC-SHA256)");
            } else {
                if (!Files.isRegularFile(options.file())) {
                    throw new BackupException(options.file() + " does not exist");
                }
                List<SealedArchive.Entry> entries = SealedArchive.open(Files.readAllBytes(options.file()), passphrase);
                List<Path> written = CaBackup.restore(entries, options.place(), clock);
                out.println("restored " + written.size() + " files from " + options.file() + "; the CA opens with "
                        + "the restored password");
                written.forEach(p -> out.println("  " + p));
                if (options.taskKey() == null && entries.stream().anyMatch(e -> e.name().equals("task-signing.key"))) {
                    out.println("the backup also holds the provisioner's task-signing key: add --task-key and "
                            + "--task-key-pub to restore it");
                }
            }
            return 0;
        } catch (BackupException | IllegalArgumentException e) {
            err.println("pki " + options.command() + ": " + e.getMessage());
            return REFUSED;
        } catch (IOException e) {
            err.println("pki " + options.command() + ": " + e);
            return REFUSED;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    private static char[] passphrase(Options options, Map<String, String> environment)
            throws BackupException, IOException {
        String text;
        if (options.passphraseFile() != null) {
            Path file = options.passphraseFile();
            if (!Files.isRegularFile(file)) {
                throw new BackupException("the passphrase file " + file + " does not exist");
            }
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new BackupException("the passphrase file " + file + " is readable by group or others; chmod 600 it");
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } else {
            text = environment.get(options.passphraseEnv());
            if (text == null) {
                throw new BackupException("the environment variable " + options.passphraseEnv() + " is not set");
            }
        }
        // A trailing newline (echo > file) is not part of the passphrase.
        String stripped = text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
        if (stripped.length() < SealedArchive.MIN_PASSPHRASE) {
            throw new BackupException("the backup passphrase must have at least " + SealedArchive.MIN_PASSPHRASE
                    + " characters");
        }
        return stripped.toCharArray();
    }
}
