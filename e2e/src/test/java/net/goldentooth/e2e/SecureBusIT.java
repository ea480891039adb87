package net.goldentooth.e2e;

import com.fasterxml.jackson.databind.JsonNode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.goldentooth.e2e.GoldentoothUpIT.Result;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.RefusalReason;
import net.goldentooth.kafka.KafkaSecurity;
import net.goldentooth.kafka.KafkaSettings;
import net.goldentooth.testkit.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The production security of docs/security.md, brought up the way a user does it:
 * {@code ./goldentooth up --secure} (real KRaft broker in mutual-TLS mode with ACLs, the four
 * packaged services on SSL Kafka with their own certificates and on HTTPS, the packaged agent
 * enrolling its Kafka certificate over HTTPS with a one-time token), then the CLI over it, then
 * what must be refused. Every process is the shipped one; nothing is mocked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecureBusIT {

    private final Path root = KafkaBroker.projectRoot();
    private Path state;
    private int offset;
    private String node;
    private String bootstrap;
    private Path secure;
    private KafkaSecurity operator;
    private KafkaSecurity agent;

    @BeforeAll
    void up() throws Exception {
        state = Files.createTempDirectory("goldentooth-secure");
        offset = GoldentoothUpIT.freeOffset();
        Result up = run(List.of("./goldentooth", "up", "--secure"), 300);
        assertEquals(0, up.exitCode(), "./goldentooth up --secure failed:\n" + up.output() + logs());
        node = run(List.of("hostname", "-s"), 10).output().trim();
        bootstrap = "127.0.0.1:" + (9092 + offset);
        secure = state.resolve("secure");
        operator = KafkaSecurity.mutualTls(secure.resolve("ops-admin.pem"), secure.resolve("ops-admin.key"),
                secure.resolve("root.pem"));
        Path kafka = state.resolve("agent/kafka");
        agent = new KafkaSecurity(KafkaSecurity.Protocol.SSL, kafka.resolve("cert.pem"), kafka.resolve("key.pem"),
                secure.resolve("root.pem"), kafka.resolve("chain.pem"));
    }

    @AfterAll
    void down() throws Exception {
        if (state != null) {
            Result down = run(List.of("./goldentooth", "down"), 120);
            assertEquals(0, down.exitCode(), down.output());
        }
    }

    @Test
    void theAgentGoesFromTokenToFirstCertificateToFactsOnTheBus() throws Exception {
        String log = Files.readString(state.resolve("logs/node-agent.log"));
        assertTrue(log.contains("enrolled " + node + "/kafka over HTTPS"), log);
        // The key was made on the node and stays private; the certificate is for it, issued by our CA.
        Path key = state.resolve("agent/kafka/key.pem");
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));
        X509Certificate certificate = certificate(state.resolve("agent/kafka/cert.pem"));
        assertTrue(certificate.getSubjectX500Principal().getName().startsWith("CN=" + node + ","),
                certificate.getSubjectX500Principal().getName());
        assertFalse(log.contains(Files.readString(key).lines().skip(1).findFirst().orElseThrow()),
                "the private key must never reach the log");
        // Facts on the bus, published by the agent over mutual TLS, read as the operator (a super user).
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(operator.applyTo(
                KafkaSettings.consumer(bootstrap, null, "secure-bus-it")))) {
            TopicPartition tp = new TopicPartition(Topics.NODE_FACTS,
                    NodeRouting.partitionFor(node, Topics.NODE_ROUTED_PARTITIONS));
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            assertTrue(poll(consumer, Duration.ofSeconds(60), r -> node.equals(r.key())) != null,
                    "no node.facts record of " + node);
        }
    }

    @Test
    void commandAllUptimeRunsThroughTheCliOverTheSecureBus() throws Exception {
        Result uptime = run(List.of("./goldentooth", "command", "all", "uptime"), 90);
        assertEquals(0, uptime.exitCode(), uptime.output() + logs());
        assertTrue(uptime.output().contains(node + " | SUCCESS | rc=0 >>"), uptime.output());
        assertTrue(uptime.output().contains("load average"), uptime.output());
    }

    @Test
    void theMonitorHearsTheAgentsAndItsOwnBeatsOverTheSecureBus() throws Exception {
        // Heartbeats are writes the ACLs must allow: a refused monitor beat reads as BusDown, a
        // refused agent beat leaves the node judged on facts alone.
        String monitor = "https://127.0.0.1:" + (8084 + offset);
        String[] admin = {"--cacert", secure.resolve("root.pem").toString(), "--cert",
                secure.resolve("ops-admin.pem").toString(), "--key", secure.resolve("ops-admin.key").toString()};
        // The bus-measured clock offset exists only for a node whose heartbeats arrive.
        String beat = "goldentooth_node_bus_clock_offset_seconds{node=\"" + node + "\"";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String metrics = "";
        while (System.nanoTime() < deadline && !metrics.contains(beat)) {
            metrics = curlBody(concat(admin, monitor + "/q/metrics"));
            Thread.sleep(500);
        }
        assertTrue(metrics.contains(beat), "the agent's beats reach the monitor (" + beat + "):\n" + metrics + logs());
        String nodes = curlBody(concat(admin, monitor + "/nodes"));
        boolean up = false;
        for (JsonNode n : EventCodec.mapper().readTree(nodes.substring(4))) {
            up |= node.equals(n.path("node").asText()) && "up".equals(n.path("liveness").asText());
        }
        assertTrue(up, nodes);
        String alerts = curlBody(concat(admin, monitor + "/alerts"));
        assertTrue(alerts.startsWith("200 "), alerts);
        for (JsonNode a : EventCodec.mapper().readTree(alerts.substring(4))) {
            assertFalse("BusDown".equals(a.path("alertName").asText()) && !"resolved".equals(a.path("phase").asText()),
                    "the monitor's own beats are acknowledged: " + a);
        }
    }

    private static String[] concat(String[] first, String last) {
        String[] all = java.util.Arrays.copyOf(first, first.length + 1);
        all[first.length] = last;
        return all;
    }

    @Test
    void kafkaRefusesAClientWithoutACertificate() {
        Properties p = KafkaSettings.producer(bootstrap, "no-certificate");
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", secure.resolve("root.pem").toString());
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            Throwable thrown = assertThrows(Exception.class, () -> producer.send(
                    new ProducerRecord<>(Topics.NODE_FACTS, node, "{}".getBytes())).get(40, TimeUnit.SECONDS));
            assertTrue(causedBy(thrown, SslAuthenticationException.class), "expected a refused handshake: " + thrown);
        }
    }

    @Test
    void theAgentsCertificateCannotWriteTasksReadJobRequestsOrUseAnotherNodesGroup() throws Exception {
        Properties p = agent.applyTo(KafkaSettings.producer(bootstrap, "agent-forger"));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "20000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            ExecutionException denied = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.JOB_TASKS, node, "forged".getBytes())).get(40, TimeUnit.SECONDS));
            assertTrue(denied.getCause() instanceof TopicAuthorizationException, denied.toString());
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(agent.applyTo(
                KafkaSettings.consumer(bootstrap, null, "agent-reader")))) {
            consumer.assign(Set.of(new TopicPartition(Topics.JOB_REQUESTED, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(TopicAuthorizationException.class, () -> poll(consumer, Duration.ofSeconds(30), r -> true));
        }
        // Another node's consumer group (its committed place in job.tasks) is not this agent's.
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(agent.applyTo(
                KafkaSettings.consumer(bootstrap, "node-agent-someone-else", "agent-thief")))) {
            consumer.subscribe(List.of(Topics.JOB_TASKS));
            assertThrows(GroupAuthorizationException.class, () -> poll(consumer, Duration.ofSeconds(30), r -> true));
        }
    }

    @Test
    void restIsHttpsOnlyAndMapsClientCertificatesToRoles() throws Exception {
        String jobs = "https://127.0.0.1:" + (8081 + offset) + "/jobs";
        String cacert = secure.resolve("root.pem").toString();
        assertEquals("200", curl("--cacert", cacert, "--cert", secure.resolve("ops-admin.pem").toString(),
                "--key", secure.resolve("ops-admin.key").toString(), jobs));
        // A valid certificate of our CA whose CN (the node) has no REST role; sent with its intermediate.
        Path presented = Files.writeString(state.resolve("agent-presented.pem"),
                Files.readString(state.resolve("agent/kafka/cert.pem")) + Files.readString(state.resolve("agent/kafka/chain.pem")));
        assertEquals("403", curl("--cacert", cacert, "--cert", presented.toString(),
                "--key", state.resolve("agent/kafka/key.pem").toString(), jobs));
        assertEquals("401", curl("--cacert", cacert, jobs));
        assertEquals("000", curl("http://127.0.0.1:" + (8081 + offset) + "/jobs"), "plain HTTP must not be served");
    }

    @Test
    void aRevokedNodeIsRefusedAtItsNextRenewalAndEnrolment() throws Exception {
        String lineage = node + "/kafka";
        String revoke = "https://127.0.0.1:" + (8082 + offset) + "/lineages/" + lineage + "/revoke";
        assertEquals("200", curl("-X", "POST", "--cacert", secure.resolve("root.pem").toString(), "--cert",
                secure.resolve("ops-admin.pem").toString(), "--key", secure.resolve("ops-admin.key").toString(), revoke));

        // The agent's own renewal, as its renewal loop sends it: proof of possession of the current
        // certificate, on cert.requested with the agent's credentials; pki answers on cert.issued.
        PrivateKey key = privateKey(state.resolve("agent/kafka/key.pem"));
        X509Certificate current = certificate(state.resolve("agent/kafka/cert.pem"));
        String csr = csr(key, current);
        String requestId = UUID.randomUUID().toString();
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key);
        signer.update(CertRequest.proofMaterial(requestId, csr));
        CertRequest renew = new CertRequest(requestId, node, lineage, "kafka", CertKind.RENEW, csr, null, null,
                new CertRequest.Proof(pem(current), Base64.getEncoder().encodeToString(signer.sign())), 86_400L,
                List.of(node), false, Instant.now());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(agent.applyTo(
                KafkaSettings.producer(bootstrap, "agent-renewal")))) {
            RecordHeaders headers = new RecordHeaders();
            CloudEventHeaders.forEvent(Topics.CERT_REQUESTED, "//node-agent/" + node, Instant.now())
                    .forEach(headers::add);
            producer.send(new ProducerRecord<>(Topics.CERT_REQUESTED, null, lineage, EventCodec.encode(renew), headers))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(agent.applyTo(
                KafkaSettings.consumer(bootstrap, null, "agent-answers")))) {
            TopicPartition tp = new TopicPartition(Topics.CERT_ISSUED,
                    NodeRouting.partitionFor(node, Topics.NODE_ROUTED_PARTITIONS));
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            ConsumerRecord<String, byte[]> answer = poll(consumer, Duration.ofSeconds(60),
                    r -> EventCodec.decode(r.value(), CertIssued.class).requestId().equals(requestId));
            assertNotNull(answer, "pki-service did not answer the renewal");
            CertIssued issued = EventCodec.decode(answer.value(), CertIssued.class);
            assertFalse(issued.issued(), "a revoked lineage was renewed");
            assertEquals(RefusalReason.REVOKED, issued.refusal().reason(), issued.refusal().message());
        }
        // Nor can it start over with a token: the HTTPS enrolment refuses the revoked lineage too.
        String token = Files.readAllLines(state.resolve("agent/enrolment-token")).get(0).strip();
        Path body = Files.writeString(state.resolve("enrol.json"), EventCodec.encodeToString(Map.of("node", node,
                "service", "kafka", "csr", csr, "token", token)));
        String answer = curlBody("--cacert", secure.resolve("root.pem").toString(), "-H",
                "Content-Type: application/json", "--data-binary", "@" + body,
                "https://127.0.0.1:" + (8082 + offset) + "/enrolment");
        assertTrue(answer.startsWith("403 ") && answer.contains("revoked"), answer);
        assertNotEquals(-1, answer.indexOf(lineage), answer);
    }

    // ---- helpers

    private static ConsumerRecord<String, byte[]> poll(KafkaConsumer<String, byte[]> consumer, Duration within,
                                                       java.util.function.Predicate<ConsumerRecord<String, byte[]>> wanted) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                if (wanted.test(r)) {
                    return r;
                }
            }
        }
        return null;
    }

    private static boolean causedBy(Throwable thrown, Class<? extends Throwable> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** curl's HTTP status (000 when no HTTP answer came). */
    private String curl(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                "--max-time", "20"));
        command.addAll(List.of(args));
        return run(command, 30).output().strip();
    }

    /** "<status> <body>". */
    private String curlBody(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("curl", "-s", "-w", "\n%{http_code}", "--max-time", "20"));
        command.addAll(List.of(args));
        String out = run(command, 30).output().strip();
        int nl = out.lastIndexOf('\n');
        return out.substring(nl + 1) + " " + out.substring(0, Math.max(0, nl));
    }

    private static X509Certificate certificate(Path pem) throws Exception {
        try (var in = Files.newInputStream(pem)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey privateKey(Path pem) throws IOException {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(pem)))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) parser.readObject());
        }
    }

    private static String csr(PrivateKey key, X509Certificate current) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + current.getSubjectX500Principal()
                .getName().replaceFirst("^CN=([^,]+).*$", "$1")), current.getPublicKey())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key));
        return pem(request);
    }

    private static String pem(Object object) throws IOException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    private Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return GoldentoothUpIT.run(root, state, offset, command, timeoutSeconds);
    }

    private String logs() throws IOException {
        return GoldentoothUpIT.logs(state);
    }
}
