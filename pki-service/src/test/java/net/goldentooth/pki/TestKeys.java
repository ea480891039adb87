package net.goldentooth.pki;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.pki.authority.Pem;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** What a node agent does on its side, for tests: EC keys, CSRs, proofs, and running real tools. */
public final class TestKeys {

    public static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A CSR for {@code keys} asking for {@code names} (DNS names, or IPv4 literals). */
    public static String csr(KeyPair keys, String commonName, List<String> names) {
        try {
            JcaPKCS10CertificationRequestBuilder builder =
                    new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + commonName), keys.getPublic());
            if (!names.isEmpty()) {
                List<GeneralName> general = new ArrayList<>();
                for (String name : names) {
                    general.add(name.matches("[0-9.]+") ? new GeneralName(GeneralName.iPAddress, name)
                            : new GeneralName(GeneralName.dNSName, name));
                }
                ExtensionsGenerator extensions = new ExtensionsGenerator();
                extensions.addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(general.toArray(GeneralName[]::new)));
                builder.addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate());
            }
            PKCS10CertificationRequest request = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return Pem.of(request);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Base64 SHA256withECDSA signature of {@code material} with {@code key}: a renewal proof. */
    public static String sign(PrivateKey key, byte[] material) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSA");
            signature.initSign(key);
            signature.update(material);
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Result of a finished process. */
    public record Run(int exitCode, String output) {
    }

    /**
     * Runs a real tool; a missing binary fails the test with a message naming the Debian package,
     * never skips it.
     */
    public static Run run(Path dir, List<String> command) throws IOException, InterruptedException {
        requireTool(command.get(0));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(command + " did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    public static void requireTool(String tool) {
        if (tool.startsWith("/") ? Files.isExecutable(Path.of(tool)) : onPath(tool)) {
            return;
        }
        throw new AssertionError(tool + " is not installed; install the Debian packages listed in "
                + ".ci/packages/pki-service.txt (openssl openssh-server openssh-client curl)");
    }

    private static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Flips one bit of the last byte of the DER, which is inside the signature. */
    public static String flipSignatureByte(String pem) {
        String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(body);
        der[der.length - 1] ^= 0x01;
        return "-----BEGIN CERTIFICATE REQUEST-----\n"
                + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    private TestKeys() {
    }
}
