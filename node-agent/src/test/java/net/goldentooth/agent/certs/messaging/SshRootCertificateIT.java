package net.goldentooth.agent.certs.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRenewed;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.testkit.OpenSshd;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The root user certificate end to end with real parts: the agent (allowed to act as root) makes
 * its key, proves itself with its canary, and the real pki-service signs {@code <node>/ssh-root}
 * with its SSH user CA over the real broker. {@code ssh-keygen -L} reads the certificate, pki's
 * {@code GET /certs} (what {@code goldentooth certs} shows) and the node's facts list it, and
 * Debian's real sshd, trusting the user CA the agent installed from {@code pki.trust}, lets the
 * real ssh client log in with it when the login user's {@code AuthorizedPrincipalsFile} lists
 * {@code <node>-root}, and refuses it when the file lists only another node's principal.
 */
@QuarkusTest
@QuarkusTestResource(value = SshRootTestResource.class, restrictToAnnotatedClass = true)
class SshRootCertificateIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    /** This helper's loopback ports (27000-27099). */
    private static final int ACCEPTING_PORT = 27001;
    private static final int REFUSING_PORT = 27002;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void theAgentHoldsARootUserCertificateThatARealSshdAcceptsForThisNodeOnly() throws Exception {
        String node = SshRootTestResource.node;
        Path dir = SshRootTestResource.dir;
        String lineage = node + "/ssh-root";
        Path key = dir.resolve("agent/ssh/root_ed25519");
        Path certificate = dir.resolve("agent/ssh/root_ed25519-cert.pub");
        CertRenewed renewed;
        try (TopicProbe probe = new TopicProbe(bootstrap)) {
            List<ConsumerRecord<String, byte[]>> seen = probe.awaitRecord(Topics.CERT_RENEWED,
                    r -> lineage.equals(r.key()), WAIT);
            renewed = EventCodec.decode(seen.get(seen.size() - 1).value(), CertRenewed.class);
            List<ConsumerRecord<String, byte[]>> sent = probe.awaitRecord(Topics.CERT_REQUESTED,
                    r -> lineage.equals(EventCodec.decode(r.value(), CertRequest.class).lineage()), WAIT);
            byte[] requestRecord = sent.get(sent.size() - 1).value();
            CertRequest request = EventCodec.decode(requestRecord, CertRequest.class);
            assertEquals(CertKind.SSH_USER, request.kind());
            assertNull(request.token(), "proof of possession, no token");
            assertTrue(request.proof() != null && request.proof().currentCertificatePem() != null);
            assertEquals(Files.readString(dir.resolve("agent/ssh/root_ed25519.pub")).trim(), request.sshPublicKey());
            assertFalse(new String(requestRecord, StandardCharsets.UTF_8).contains("PRIVATE KEY"),
                    "the private key never leaves the node");

            // The node's facts list the certificate as one of the agent's own.
            probe.awaitRecord(Topics.NODE_FACTS, r -> node.equals(r.key()) && listsManaged(r.value(), certificate), WAIT);
        }
        assertEquals(PosixFilePermissions.fromString("rw-------"), Files.getPosixFilePermissions(key));

        String shown = run("ssh-keygen", "-L", "-f", certificate.toString());
        assertTrue(shown.contains("user certificate"), shown);
        assertTrue(shown.contains("Principals: \n                root\n                " + node + "-root\n"), shown);
        Matcher valid = Pattern.compile("Valid: from (\\S+) to (\\S+)").matcher(shown);
        assertTrue(valid.find(), shown);
        Duration validity = Duration.between(LocalDateTime.parse(valid.group(1)), LocalDateTime.parse(valid.group(2)));
        assertTrue(validity.compareTo(Duration.ofHours(23)) > 0 && validity.compareTo(Duration.ofHours(25)) < 0,
                "about 24 h: " + validity);
        Path userCa = dir.resolve("trust/user_ca.pub");
        String caFingerprint = run("ssh-keygen", "-l", "-f", userCa.toString()).split(" ")[1];
        assertTrue(shown.contains("Signing CA: ED25519 " + caFingerprint), caFingerprint + " in " + shown);

        String certs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(SshRootTestResource.pkiUrl + "/certs")).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(certs.contains("\"" + lineage + "\"") && certs.contains(renewed.serial()), certs);

        // A real sshd trusting the user CA the agent installed from pki.trust.
        OpenSshd.Credentials client = OpenSshd.Credentials.create(dir.resolve("client"));
        Files.copy(userCa, Path.of(client.userCa() + ".pub"), StandardCopyOption.REPLACE_EXISTING);
        Path thisNode = Files.writeString(dir.resolve("principals-this-node"), node + "-root\n");
        Path otherNode = Files.writeString(dir.resolve("principals-other-node"), "othernode-root\n");
        String user = System.getProperty("user.name");
        try (OpenSshd accepting = OpenSshd.start(ACCEPTING_PORT, dir.resolve("sshd-accepting"), client, null,
                List.of("AuthorizedPrincipalsFile " + thisNode));
             OpenSshd refusing = OpenSshd.start(REFUSING_PORT, dir.resolve("sshd-refusing"), client, null,
                     List.of("AuthorizedPrincipalsFile " + otherNode))) {
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"),
                    accepting.knownHostsLine() + "\n" + refusing.knownHostsLine() + "\n");

            Login in = ssh(ACCEPTING_PORT, user, key, certificate, knownHosts);
            assertEquals(0, in.exit(), in.output());
            assertTrue(in.output().contains("logged in as " + user), in.output());

            Login refused = ssh(REFUSING_PORT, user, key, certificate, knownHosts);
            assertEquals(255, refused.exit(), refused.output());
            assertTrue(refused.output().contains("Permission denied"), refused.output());
            assertFalse(refused.output().contains("logged in as"), refused.output());
        }
    }

    private static boolean listsManaged(byte[] value, Path certificate) {
        NodeFacts facts = EventCodec.decode(value, NodeFacts.class);
        return facts.certificates() != null && facts.certificates().value() != null && facts.certificates().value()
                .stream().anyMatch(c -> c.path().equals(certificate.toString()) && c.managed()
                        && c.subject().startsWith("ssh user root,"));
    }

    private record Login(int exit, String output) {
    }

    /** The real ssh client with only the agent's key and certificate, no agent, no prompts, a pinned host key. */
    private static Login ssh(int port, String user, Path key, Path certificate, Path knownHosts) throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh", "-F", "/dev/null", "-p", String.valueOf(port),
                "-i", key.toString(), "-o", "CertificateFile=" + certificate, "-o", "IdentitiesOnly=yes",
                "-o", "IdentityAgent=none", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=yes",
                "-o", "UserKnownHostsFile=" + knownHosts, "-o", "GlobalKnownHostsFile=/dev/null",
                "-o", "ConnectTimeout=20", user + "@127.0.0.1", "echo logged in as $(id -un)"));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (java.io.IOException e) {
            throw new AssertionError("ssh is missing: install Debian's openssh-client", e);
        }
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "ssh hung");
        return new Login(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + out);
        return out;
    }
}
