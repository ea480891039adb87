package net.goldentooth.pki.tools;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.authority.CaPassword;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.pki.ssh.SshCertificateAuthority;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The restore drill: a CA (X.509 and both SSH CAs) and the provisioner's task key are backed up,
 * the machine's files are wiped, the backup is restored into another state directory, and a
 * certificate issued there chains, for the real {@code openssl verify}, to the root kept from before.
 */
class PkiBackupTest {

    private static final String PASSPHRASE = "an operator's long passphrase";

    @TempDir
    Path dir;
    private final Clock clock = Clock.systemUTC();

    private record Result(int code, String out, String err) {
    }

    private Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PkiBackup.run(args, Map.of("GT_PASSPHRASE", PASSPHRASE), clock,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void backUpWipeRestoreElsewhereAndIssueACertificateThatChainsToTheSameRoot() throws Exception {
        Path machineA = dir.resolve("a");
        Path state = machineA.resolve("pki");
        Files.createDirectories(state);
        char[] password = CaPassword.loadOrCreate(state.resolve("ca-password"));
        CertificateAuthority original = CertificateAuthority.initialise(state, password, clock);
        String hostCa = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST,
                state.resolve("ssh-host-ca.p12"), password, clock).fingerprint();
        String userCa = SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER,
                state.resolve("ssh-user-ca.p12"), password, clock).fingerprint();
        Files.writeString(state.resolve("used-tokens"), "spent-token-1\n");
        Files.writeString(state.resolve("revoked-lineages"), "fenn/vault\n");
        SigningKeys.loadOrCreate(machineA.resolve("task-signing.key"), machineA.resolve("task-signing.pub"));
        byte[] taskKey = Files.readAllBytes(machineA.resolve("task-signing.key"));
        // What the fleet trusts is kept apart from the CA's machine.
        Path trusted = dir.resolve("fleet-root.pem");
        Files.writeString(trusted, Pem.of(original.root()));
        Path passphrase = dir.resolve("passphrase");
        Files.writeString(passphrase, PASSPHRASE + "\n");
        Files.setPosixFilePermissions(passphrase, PosixFilePermissions.fromString("rw-------"));
        Path backup = dir.resolve("offsite/pki.gtbak");

        Result made = run("backup", "--state-dir", state.toString(), "--password-file", state.resolve("ca-password").toString(),
                "--task-key", machineA.resolve("task-signing.key").toString(),
                "--task-key-pub", machineA.resolve("task-signing.pub").toString(),
                "--passphrase-file", passphrase.toString(), "--out", backup.toString());
        assertEquals(0, made.code(), made.err());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)));
        String raw = new String(Files.readAllBytes(backup), StandardCharsets.ISO_8859_1);
        assertFalse(raw.contains(new String(password)) || raw.contains("PRIVATE KEY") || raw.contains("fenn/vault"));
        assertFalse((made.out() + made.err()).contains(PASSPHRASE) || (made.out() + made.err()).contains(new String(password)));

        wipe(machineA); // the machine is lost

        Path machineB = dir.resolve("b");
        Path restored = machineB.resolve("var/pki");
        Result back = run("restore", "--in", backup.toString(), "--state-dir", restored.toString(),
                "--password-file", machineB.resolve("etc/ca-password").toString(),
                "--task-key", machineB.resolve("task-signing.key").toString(),
                "--task-key-pub", machineB.resolve("task-signing.pub").toString(),
                "--passphrase-env", "GT_PASSPHRASE");
        assertEquals(0, back.code(), back.err());
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored)));
        for (String secret : List.of("x509-ca.p12", "ssh-host-ca.p12", "ssh-user-ca.p12", "used-tokens")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(restored.resolve(secret))),
                    secret);
        }
        assertEquals("spent-token-1\n", Files.readString(restored.resolve("used-tokens")));
        assertEquals("fenn/vault\n", Files.readString(restored.resolve("revoked-lineages")));
        assertArrayEquals(taskKey, Files.readAllBytes(machineB.resolve("task-signing.key")));

        char[] restoredPassword = CaPassword.loadOrCreate(machineB.resolve("etc/ca-password"));
        CertificateAuthority ca = CertificateAuthority.load(restored, restoredPassword);
        assertEquals(hostCa, SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST,
                restored.resolve("ssh-host-ca.p12"), restoredPassword, clock).fingerprint());
        assertEquals(userCa, SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER,
                restored.resolve("ssh-user-ca.p12"), restoredPassword, clock).fingerprint());
        KeyPair keys = TestKeys.ecKeyPair();
        Instant now = Instant.now();
        Files.writeString(machineB.resolve("leaf.pem"), Pem.of(ca.issue(new CertificateAuthority.LeafSpec(keys.getPublic(),
                "bettley", "bettley/consul", List.of("bettley"), List.of(), now.minus(Duration.ofMinutes(1)),
                now.plus(Duration.ofHours(24))))));
        TestKeys.Run verify = TestKeys.run(machineB, List.of("openssl", "verify", "-CAfile", trusted.toString(),
                "-untrusted", restored.resolve("intermediate.pem").toString(), "leaf.pem"));
        assertEquals(0, verify.exitCode(), verify.output());
        assertTrue(verify.output().contains("leaf.pem: OK"), verify.output());

        // A second restore onto the same place never overwrites the keys.
        Result again = run("restore", "--in", backup.toString(), "--state-dir", restored.toString(),
                "--password-file", machineB.resolve("etc/other-password").toString(), "--passphrase-env", "GT_PASSPHRASE");
        assertEquals(PkiBackup.REFUSED, again.code());
        assertTrue(again.err().contains("already holds x509-ca.p12"), again.err());
    }

    @Test
    void aWrongPassphraseATruncatedFileAndBadArgumentsGetClearErrorsAndWriteNothing() throws Exception {
        Path state = dir.resolve("pki");
        Files.createDirectories(state);
        char[] password = CaPassword.loadOrCreate(state.resolve("ca-password"));
        CertificateAuthority.initialise(state, password, clock);
        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.HOST, state.resolve("ssh-host-ca.p12"), password, clock);
        SshCertificateAuthority.loadOrCreate(OpenSshCertificate.Type.USER, state.resolve("ssh-user-ca.p12"), password, clock);
        Path backup = dir.resolve("pki.gtbak");
        assertEquals(0, run("backup", "--state-dir", state.toString(), "--password-file",
                state.resolve("ca-password").toString(), "--passphrase-env", "GT_PASSPHRASE", "--out", backup.toString()).code());

        Path wrong = dir.resolve("wrong");
        Files.writeString(wrong, "not the operator's passphrase");
        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-------"));
        Path target = dir.resolve("restored");
        Result refused = run("restore", "--in", backup.toString(), "--state-dir", target.toString(),
                "--password-file", target.resolve("ca-password").toString(), "--passphrase-file", wrong.toString());
        assertEquals(PkiBackup.REFUSED, refused.code());
        assertTrue(refused.err().contains("wrong passphrase"), refused.err());
        assertFalse(Files.exists(target), "nothing written");

        Path cut = dir.resolve("cut.gtbak");
        byte[] bytes = Files.readAllBytes(backup);
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        Result truncated = run("restore", "--in", cut.toString(), "--state-dir", target.toString(),
                "--password-file", target.resolve("ca-password").toString(), "--passphrase-env", "GT_PASSPHRASE");
        assertEquals(PkiBackup.REFUSED, truncated.code());
        assertTrue(truncated.err().contains("truncated"), truncated.err());
        assertFalse(Files.exists(target));

        Files.setPosixFilePermissions(wrong, PosixFilePermissions.fromString("rw-r--r--"));
        Result open = run("restore", "--in", backup.toString(), "--state-dir", target.toString(),
                "--password-file", target.resolve("ca-password").toString(), "--passphrase-file", wrong.toString());
        assertTrue(open.err().contains("readable by group or others"), open.err());

        Result onCommandLine = run("backup", "--state-dir", state.toString(), "--password-file",
                state.resolve("ca-password").toString(), "--out", dir.resolve("x").toString());
        assertEquals(PkiBackup.USAGE, onCommandLine.code());
        assertTrue(onCommandLine.err().contains("exactly one of --passphrase-file and --passphrase-env"), onCommandLine.err());
        Result halfKey = run("backup", "--state-dir", state.toString(), "--password-file",
                state.resolve("ca-password").toString(), "--task-key", "k", "--passphrase-env", "GT_PASSPHRASE",
                "--out", dir.resolve("x").toString());
        assertEquals(PkiBackup.USAGE, halfKey.code());
        Result notState = run("backup", "--state-dir", dir.resolve("nothing").toString(), "--password-file",
                state.resolve("ca-password").toString(), "--passphrase-env", "GT_PASSPHRASE", "--out", dir.resolve("x").toString());
        assertEquals(PkiBackup.REFUSED, notState.code());
        assertTrue(notState.err().contains("x509-ca.p12 does not exist"), notState.err());
        assertFalse(Files.exists(dir.resolve("x")));
        Result shortPhrase = run("backup", "--state-dir", state.toString(), "--password-file",
                state.resolve("ca-password").toString(), "--passphrase-file", dir.resolve("short").toString(),
                "--out", dir.resolve("x").toString());
        assertTrue(shortPhrase.err().contains("does not exist"), shortPhrase.err());
    }

    private static void wipe(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        assertFalse(Files.exists(root));
    }
}
