package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.TrustBundle;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.storage.policy.Period;
import net.goldentooth.storage.policy.SnapshotName;
import net.goldentooth.storage.shell.LocalNodeShell;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replication through a real OpenSSH {@code sshd} (Debian's openssh-server) on loopback, between
 * two real zfs-fuse pools, with certificates from a REAL pki-service process: its packaged fast-jar,
 * run by testkit's {@link ServiceProcess} against a private broker of this test, reached only over
 * Kafka with the {@code events} records (storage-service does not depend on pki-service's code).
 *
 * <p>Two inventory nodes stand for the source ({@code allyrion}) and the target ({@code gardener});
 * both are {@code 127.0.0.1}. Each gets what a node agent gets: an enrolment token minted with the
 * provisioner's task-signing key, spent on an X.509 canary ({@code ENROLL}, CSR on
 * {@code cert.requested}, answer on {@code cert.issued}); then, with proof of possession of that
 * canary, allyrion asks for an {@code SSH_USER} certificate of its root key (principals
 * {@code root} and {@code allyrion-root}) and gardener for an {@code SSH_HOST} certificate of
 * sshd's host key. The SSH CA public keys come from the {@link TrustBundle} on {@code pki.trust}:
 * the user CA is sshd's {@code TrustedUserCAKeys}, the host CA the source's
 * {@code @cert-authority *} known_hosts line, as the agent writes them. The source's key and
 * certificate sit where the agent keeps them ({@code <state-dir>/ssh/root_ed25519} and
 * {@code root_ed25519-cert.pub}). {@code ssh-keygen -L} checks the issued certificates.
 *
 * <p>The host certificate names the node's inventory IP, so the source addresses the target by
 * {@code 127.0.0.1} (a host name would need this machine's resolver to know {@code gardener}).
 * The negative cases use a CA made by {@code ssh-keygen}: its certificates are refused and nothing
 * is received. The broker and sshd listen on ports of 27100-27199; pki-service's HTTP port is
 * testkit's choice.
 */
class SshReplicationIT {

    private static final Path SSHD = Path.of("/usr/sbin/sshd");
    private static final Path SSH_KEYGEN = Path.of("/usr/bin/ssh-keygen");
    private static final String SOURCE = "allyrion";
    private static final String TARGET_NODE = "gardener";
    /** How the source addresses the target: the inventory IP the host certificate names. */
    private static final String TARGET = "127.0.0.1";

    static Path pkiDir;
    static KafkaBroker broker;
    static ServiceProcess pki;
    static TrustBundle trust;
    /** The source's key, as the agent keeps it: {@code <state-dir>/ssh/root_ed25519}. */
    static Path identity;
    static Path hostKey;
    static String userCertificate;
    static String hostCertificate;

    @TempDir
    Path dir;
    ZfsFusePools pools;
    Process sshd;
    int port;
    final List<String> commands = new ArrayList<>();
    final LocalNodeShell local = new LocalNodeShell(Duration.ofMinutes(2));
    final NodeShell recording = (node, command, stdin) -> {
        commands.add(command);
        return local.run(node, command, stdin);
    };

    @BeforeAll
    static void issueFromThePki() throws Exception {
        for (Path binary : List.of(SSHD, SSH_KEYGEN, Path.of("/usr/bin/ssh"))) {
            if (!Files.isExecutable(binary)) {
                fail(binary + " is missing: apt-get install openssh-server openssh-client"
                        + " (listed in .ci/packages/storage-service.txt)");
            }
        }
        pkiDir = Files.createTempDirectory("storage-ssh-pki");
        SigningKeys.KeyPair provisioner = SigningKeys.loadOrCreate(pkiDir.resolve("task-signing.key"),
                pkiDir.resolve("task-signing.pub"));
        Files.writeString(pkiDir.resolve("inventory.yaml"), "all:\n  hosts:\n"
                + "    " + SOURCE + ": {ansible_host: 127.0.0.1}\n"
                + "    " + TARGET_NODE + ": {ansible_host: 127.0.0.1}\n");
        Files.writeString(pkiDir.resolve("ca-password"), "it-" + UUID.randomUUID());
        Files.setPosixFilePermissions(pkiDir.resolve("ca-password"), PosixFilePermissions.fromString("rw-------"));
        int brokerPort = freePortInRange(27100);
        broker = KafkaBroker.start(brokerPort, freePortInRange(brokerPort + 1));
        pki = ServiceProcess.start("pki-service", "pki-service", Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.pki.state-dir", pkiDir.resolve("pki").toString(),
                "goldentooth.pki.password-file", pkiDir.resolve("ca-password").toString(),
                "goldentooth.pki.inventory", pkiDir.resolve("inventory.yaml").toString(),
                "goldentooth.pki.token-signing-public-key", pkiDir.resolve("task-signing.pub").toString()), pkiDir);

        Path agentSsh = Files.createDirectories(pkiDir.resolve("agent-state/ssh"));
        identity = agentSsh.resolve("root_ed25519");
        hostKey = pkiDir.resolve("ssh_host_ed25519_key");
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "root@" + SOURCE, "-f", identity.toString());
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", TARGET_NODE, "-f", hostKey.toString());

        try (TopicProbe wire = new TopicProbe(broker.bootstrapServers())) {
            trust = EventCodec.decode(last(wire.awaitRecord(Topics.PKI_TRUST,
                    r -> TrustBundle.NAME.equals(r.key()), Duration.ofSeconds(60))).value(), TrustBundle.class);
            assertNotNull(trust.sshUserCaPublicKey(), "pki.trust names the SSH user CA");
            assertNotNull(trust.sshHostCaPublicKey(), "pki.trust names the SSH host CA");
            Canary sourceCanary = enrol(wire, provisioner, SOURCE);
            Canary targetCanary = enrol(wire, provisioner, TARGET_NODE);
            userCertificate = ssh(wire, sourceCanary, CertKind.SSH_USER, SOURCE + "/ssh-root", "ssh-root",
                    Files.readString(Path.of(identity + ".pub")).strip());
            hostCertificate = ssh(wire, targetCanary, CertKind.SSH_HOST, TARGET_NODE + "/ssh-host", "ssh-host",
                    Files.readString(Path.of(hostKey + ".pub")).strip());
        }
        Files.writeString(Path.of(identity + "-cert.pub"), userCertificate + "\n");
        Files.writeString(Path.of(hostKey + "-cert.pub"), hostCertificate + "\n");
    }

    @AfterAll
    static void stopThePki() {
        if (pki != null) {
            pki.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A node's X.509 canary and its key: what the agent proves possession with. */
    record Canary(String node, KeyPair key, String certificatePem) {
    }

    /** ENROLL with a one-time token minted as the provisioner mints them. */
    private static Canary enrol(TopicProbe wire, SigningKeys.KeyPair provisioner, String node) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = generator.generateKeyPair();
        Instant now = Instant.now();
        String token = new EnrolmentToken(UUID.randomUUID().toString(), node, now, now.plusSeconds(3600),
                provisioner.keyId()).mint(provisioner.privateKey());
        CertRequest request = new CertRequest(UUID.randomUUID().toString(), node, node + "/canary", "canary",
                CertKind.ENROLL, csr(node, key), null, token, null, null, List.of(), false, now);
        CertIssued answer = ask(wire, request);
        return new Canary(node, key, answer.certificatePem());
    }

    /** An SSH certificate of {@code publicKey}, with proof of possession of the node's canary. */
    private static String ssh(TopicProbe wire, Canary canary, CertKind kind, String lineage, String service,
                              String publicKey) throws Exception {
        String requestId = UUID.randomUUID().toString();
        Signature proof = Signature.getInstance("SHA256withECDSA");
        proof.initSign(canary.key().getPrivate());
        proof.update(CertRequest.proofMaterial(requestId, publicKey));
        CertRequest request = new CertRequest(requestId, canary.node(), lineage, service, kind, null, publicKey, null,
                new CertRequest.Proof(canary.certificatePem(), Base64.getEncoder().encodeToString(proof.sign())),
                null, null, false, Instant.now());
        return ask(wire, request).sshCertificate();
    }

    private static CertIssued ask(TopicProbe wire, CertRequest request) {
        wire.send(Topics.CERT_REQUESTED, request.node(), request);
        CertIssued answer = EventCodec.decode(last(wire.awaitRecord(Topics.CERT_ISSUED,
                r -> EventCodec.decode(r.value(), CertIssued.class).requestId().equals(request.requestId()),
                Duration.ofSeconds(60))).value(), CertIssued.class);
        assertTrue(answer.issued(), request.kind() + " for " + request.node() + " refused: " + answer.refusal());
        return answer;
    }

    private static String csr(String node, KeyPair key) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + node), key.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        }
        return out.toString();
    }

    private static ConsumerRecord<String, byte[]> last(List<ConsumerRecord<String, byte[]>> records) {
        return records.get(records.size() - 1);
    }

    @BeforeEach
    void start() throws Exception {
        pools = ZfsFusePools.create(dir);
        Path keys = Files.createDirectories(dir.resolve("ssh"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwx------"));
        run(SSH_KEYGEN.toString(), "-q", "-t", "ed25519", "-N", "", "-C", "other_ca", "-f",
                keys.resolve("other_ca").toString());
        Files.writeString(keys.resolve("trusted-user-ca.pub"), trust.sshUserCaPublicKey().strip() + "\n");
        // The line the agent keeps in its known-hosts file (node-agent README, trust.ssh-known-hosts-path).
        Files.writeString(keys.resolve("known_hosts"),
                "@cert-authority * " + trust.sshHostCaPublicKey().strip() + " goldentooth-ssh-host-ca\n");
        Files.writeString(keys.resolve("wrong_known_hosts"),
                "@cert-authority * " + Files.readString(keys.resolve("other_ca.pub")));
        port = freePortInRange(27120);
        Path config = keys.resolve("sshd_config");
        Files.writeString(config, String.join("\n",
                "Port " + port,
                "ListenAddress 127.0.0.1",
                "HostKey " + hostKey,
                "HostCertificate " + hostKey + "-cert.pub",
                "TrustedUserCAKeys " + keys.resolve("trusted-user-ca.pub"),
                "AuthorizedKeysFile none",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "UsePAM no",
                "PidFile " + keys.resolve("sshd.pid"),
                "LogLevel VERBOSE",
                ""));
        // sshd refuses to start without its privilege separation directory (made by the package's unit).
        Files.createDirectories(Path.of("/run/sshd"));
        run(SSHD.toString(), "-t", "-f", config.toString());
        sshd = new ProcessBuilder(SSHD.toString(), "-D", "-e", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(keys.resolve("sshd.log").toFile()).start();
        awaitListening(port);
    }

    @AfterEach
    void stop() throws Exception {
        if (sshd != null) {
            sshd.destroy();
            if (!sshd.waitFor(10, TimeUnit.SECONDS)) {
                sshd.destroyForcibly();
            }
        }
        if (pools != null) {
            pools.close();
        }
    }

    private Transport transport(Path certificate, String knownHosts) {
        return Transport.ssh(new Transport.SshSettings("root", identity, certificate,
                dir.resolve("ssh").resolve(knownHosts), port));
    }

    private ReplicationStatus replicate(Transport transport, ReplicationStatus previous) {
        return new Replicator(recording, transport, Clock.systemUTC())
                .replicate(pools.sourceDataset, SOURCE, TARGET, pools.targetDataset, previous);
    }

    private void takeHourlies(Instant... times) {
        for (Instant t : times) {
            pools.sh("zfs snapshot " + pools.sourceDataset + "@" + SnapshotName.of(t, ZoneOffset.UTC, Period.HOURLY).format());
        }
    }

    @Test
    void thePkiIssuedAUserCertificateForRootAndAHostCertificateForTheTargetsNames() throws Exception {
        String user = keygenList(Path.of(identity + "-cert.pub"));
        assertTrue(user.contains("ssh-ed25519-cert-v01@openssh.com user certificate"), user);
        assertEquals(List.of("root", SOURCE + "-root"), principals(user), user);
        assertTrue(user.contains("Signing CA: ED25519 " + fingerprint(trust.sshUserCaPublicKey())), user);
        String host = keygenList(Path.of(hostKey + "-cert.pub"));
        assertTrue(host.contains("ssh-ed25519-cert-v01@openssh.com host certificate"), host);
        assertTrue(principals(host).containsAll(List.of(TARGET_NODE, TARGET)), host);
        assertTrue(host.contains("Signing CA: ED25519 " + fingerprint(trust.sshHostCaPublicKey())), host);
    }

    @Test
    void incrementalReplicationRunsThroughSshdWithThePkisUserAndHostCertificates() throws Exception {
        Path certificate = Path.of(identity + "-cert.pub");
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        takeHourlies(t0, t0.plusSeconds(3600));
        ReplicationStatus first = replicate(transport(certificate, "known_hosts"), null);
        assertEquals(ReplicationState.IN_SYNC, first.state(), first.toString() + "\n" + sshdLog());
        assertEquals(pools.snapshots(pools.sourceDataset), pools.snapshots(pools.targetDataset));

        takeHourlies(t0.plusSeconds(7200), t0.plusSeconds(10800));
        commands.clear();
        ReplicationStatus second = replicate(transport(certificate, "known_hosts"), first);
        assertEquals(ReplicationState.IN_SYNC, second.state(), second.toString() + "\n" + sshdLog());
        assertTrue(second.bytesSent() > 0);
        assertEquals(pools.snapshots(pools.sourceDataset), pools.snapshots(pools.targetDataset));
        String send = commands.stream().filter(c -> c.contains("zfs send")).findFirst().orElseThrow();
        assertTrue(send.contains("zfs send -I "), "incremental from the common base: " + send);
        assertTrue(send.contains("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes") && send.contains("CertificateFile=")
                && send.contains("-p " + port + " -l root " + TARGET), send);
        // sshd saw a certificate login by the PKI's user certificate, not a key it had been told about.
        assertTrue(sshdLog().contains("Accepted publickey for root") && sshdLog().contains("ED25519-CERT")
                && sshdLog().contains(SOURCE + "/ssh-root"), sshdLog());
        assertEquals(pools.guid(pools.sourceDataset, first.lastCommon()), pools.guid(pools.targetDataset, first.lastCommon()));
    }

    @Test
    void aHostCertificateFromAnotherCaIsRefusedAndNothingIsReceived() {
        takeHourlies(Instant.parse("2026-01-01T00:00:00Z"));
        ReplicationStatus refused = replicate(transport(Path.of(identity + "-cert.pub"), "wrong_known_hosts"), null);
        assertEquals(ReplicationState.FAILED, refused.state());
        assertTrue(refused.lastError().contains("Host key verification failed"), refused.lastError());
        assertFalse(pools.tryRun("zfs list " + pools.targetDataset).ok(), "nothing was received");
    }

    @Test
    void aUserCertificateFromAnotherCaIsRefused() throws Exception {
        Path keys = dir.resolve("ssh");
        // The same root key, signed by a CA sshd does not trust, with the same principals.
        Path intruder = keys.resolve("intruder.pub");
        Files.copy(Path.of(identity + ".pub"), intruder);
        run(SSH_KEYGEN.toString(), "-q", "-s", keys.resolve("other_ca").toString(), "-I", "intruder", "-n",
                "root," + SOURCE + "-root", "-V", "-5m:+1h", intruder.toString());
        takeHourlies(Instant.parse("2026-01-01T00:00:00Z"));
        ReplicationStatus refused = replicate(transport(keys.resolve("intruder-cert.pub"), "known_hosts"), null);
        assertEquals(ReplicationState.FAILED, refused.state());
        assertTrue(refused.lastError().contains("Permission denied"), refused.lastError());
        assertFalse(pools.tryRun("zfs list " + pools.targetDataset).ok(), "nothing was received");
    }

    private static String keygenList(Path certificate) throws Exception {
        return run(SSH_KEYGEN.toString(), "-L", "-f", certificate.toString());
    }

    /** The principals {@code ssh-keygen -L} lists, one per indented line under "Principals:". */
    private static List<String> principals(String listing) {
        List<String> principals = new ArrayList<>();
        boolean in = false;
        for (String line : listing.lines().toList()) {
            if (line.strip().equals("Principals:")) {
                in = true;
            } else if (in && line.startsWith("                ")) {
                principals.add(line.strip());
            } else {
                in = false;
            }
        }
        return principals;
    }

    private static String fingerprint(String publicKeyLine) throws Exception {
        Path file = Files.createTempFile(pkiDir, "ca", ".pub");
        Files.writeString(file, publicKeyLine.strip() + "\n");
        String out = run(SSH_KEYGEN.toString(), "-l", "-E", "sha256", "-f", file.toString());
        return out.split(" ")[1];
    }

    private String sshdLog() {
        try {
            return Files.readString(dir.resolve("ssh/sshd.log"));
        } catch (IOException e) {
            return "(no sshd log: " + e + ")";
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, p.exitValue(), String.join(" ", command) + " failed: " + out);
        return out;
    }

    /** A free loopback port of this module's range, 27100-27199, from {@code first} on. */
    private static int freePortInRange(int first) {
        for (int candidate = first; candidate < 27200; candidate++) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress("127.0.0.1", candidate));
                return candidate;
            } catch (IOException taken) {
                // try the next one
            }
        }
        throw new IllegalStateException("no free port in " + first + "-27199");
    }

    private void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            if (!sshd.isAlive()) {
                fail("sshd exited: " + sshdLog());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        fail("sshd did not listen on " + port + " within 30 s: " + sshdLog());
    }
}
