package net.goldentooth.pki.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import net.goldentooth.pki.authority.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IssueIdentitiesTest {

    @Test
    void issuesEachIdentityOnceWithItsNamesAndAPrivateKey(@TempDir Path dir) throws Exception {
        String[] args = {"--state-dir", dir.resolve("pki").toString(), "--password-file",
                dir.resolve("pki/ca-password").toString(), "--out", dir.resolve("out").toString(),
                "kafka=localhost,127.0.0.1,10.4.0.1", "provisioner"};
        String first = run(args);
        assertTrue(first.contains("initialised the CA"), first);
        Path out = dir.resolve("out");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("kafka.key"))));
        String pem = Files.readString(out.resolve("kafka.pem"));
        assertEquals(2, pem.split("BEGIN CERTIFICATE").length - 1, "leaf then intermediate");
        X509Certificate leaf = Pem.certificate(pem);
        assertTrue(leaf.getSubjectX500Principal().getName().startsWith("CN=kafka,"));
        List<String> names = leaf.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))).toList();
        assertEquals(List.of("localhost", "127.0.0.1", "10.4.0.1"), names);
        X509Certificate root = Pem.certificate(Files.readString(out.resolve("root.pem")));
        X509Certificate intermediate = Pem.certificate(pem.substring(pem.indexOf("-----END CERTIFICATE-----") + 26));
        leaf.verify(intermediate.getPublicKey());
        intermediate.verify(root.getPublicKey());

        // Again: nothing changes while valid; a changed name set is issued anew.
        String second = run(args);
        assertTrue(second.contains("kafka: kept") && second.contains("provisioner: kept"), second);
        assertEquals(pem, Files.readString(out.resolve("kafka.pem")));
        args[args.length - 2] = "kafka=localhost,127.0.0.1,10.4.0.2";
        assertTrue(run(args).contains("kafka: issued"));
        assertNotEquals(pem, Files.readString(out.resolve("kafka.pem")));
    }

    @Test
    void badArgumentsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Options.parse(
                new String[] {"--out", "x", "kafka"})).getMessage().contains("--state-dir"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Identity.parse("bad name"))
                .getMessage().contains("'bad name'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Identity.parse("kafka=a b"))
                .getMessage().contains("'a b'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> IssueIdentities.Options.parse(new String[] {
                "--state-dir", "s", "--password-file", "p", "--out", "o", "--lifetime", "1h", "kafka"}))
                .getMessage().contains("--renew-within"));
    }

    private static String run(String[] args) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        IssueIdentities.run(IssueIdentities.Options.parse(args), Clock.systemUTC(),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
