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
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The production security of docs/security.md, brought up the way a user does it:
 * {@code ./goldentooth up --secure} (real KRaft broker in mutual-TLS mode with ACLs, the four
 * packaged services on SSL Kafka with their own certificates and on HTTPS, the packaged agent
 * enrolling its Kafka certificate over HTTPS with a one-time token), then the CLI over it, then
 * what must be refused. Every process is the shipped one; nothing is mocked.
 *
 * <p>The agent's Kafka certificate is issued for pki's minimum, 60 s (NotBefore is back-dated a
 * minute, so it is renewed about every 20 s): the agent renews it over the bus and makes its Kafka
 * clients again throughout the other tests, which must keep working. The revocation test runs last:
 * after it the agent cannot renew and its certificate soon expires.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecureBusIT {

    /** pki-service's minimum lifetime (LifetimePolicy.MINIMUM). */
    private static final String AGENT_KAFKA_LIFETIME = "60s";

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
        Result up = run(List.of("env", "GOLDENTOOTH_AGENT_JAVA_OPTS=-Dgoldentooth.agent.certificates.kafka.lifetime="
                + AGENT_KAFKA_LIFETIME, "./goldentooth", "up", "--secure"), 300);
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

    /**
     * Issue 15: the renewed Kafka certificate is used at once, not from the next start. The agent
     * (same process) renews over the bus, makes its Kafka clients again, and the broker
     * authenticates the NEW certificate (its serial in the broker's log of TLS clients); then a
     * command still runs through the agent's new consumer and producer. Nothing else uses the
     * node's certificate during this test, so a serial in the broker's log is the agent's.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aRenewedKafkaCertificateIsUsedAtOnceWithoutARestart() throws Exception {
        String pid = Files.readString(state.resolve("run/node-agent.pid")).strip();
        Path agentLog = state.resolve("logs/node-agent.log");
        Path brokerLog = state.resolve("logs/kafka.log");
        int agentLinesBefore = Files.readAllLines(agentLog).size();
        String enrolled = Files.readAllLines(agentLog).stream()
                .filter(l -> l.contains("enrolled " + node + "/kafka over HTTPS: serial ")).findFirst().orElseThrow()
                .replaceFirst(".*: serial ([0-9a-f]+).*", "$1");
        Set<String> seenBefore = new java.util.HashSet<>(serials(Files.readString(brokerLog)));
        assertTrue(seenBefore.contains(enrolled), "the broker logs the serial of each TLS client: " + enrolled
                + " not in " + seenBefore);

        // A renewal confirmed after this test began (cert.renewed is sent once the clients are remade).
        String renewed = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (renewed == null && System.nanoTime() < deadline) {
            List<String> lines = Files.readAllLines(agentLog);
            for (String line : lines.subList(Math.min(agentLinesBefore, lines.size()), lines.size())) {
                if (line.contains("renewed " + node + "/kafka: serial ")) {
                    renewed = line.replaceFirst(".*renewed " + node + "/kafka: serial ([0-9a-f]+).*", "$1");
                }
            }
            Thread.sleep(250);
        }
        assertNotNull(renewed, "the agent's Kafka certificate was not renewed within 90 s" + logs());
        assertFalse(seenBefore.contains(renewed), renewed + " was a serial the broker knew before the renewal");
        assertTrue(serials(Files.readString(brokerLog)).contains(renewed),
                "the broker never authenticated the renewed certificate " + renewed + logs());
        Result uptime = run(List.of("./goldentooth", "command", "all", "uptime"), 90);
        assertEquals(0, uptime.exitCode(), uptime.output() + logs());
        assertTrue(uptime.output().contains(node + " | SUCCESS | rc=0 >>"), uptime.output());
        assertEquals(pid, Files.readString(state.resolve("run/node-agent.pid")).strip(), "the agent was not restarted");
        assertTrue(Files.readString(agentLog).contains("made the 6 Kafka clients again"), logs());
    }

    /** Serials of the TLS clients the broker authenticated (ClientCertificatePrincipals's lines). */
    private static Set<String> serials(String brokerLog) {
        Set<String> serials = new java.util.HashSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("TLS client User:\\S+ \\(serial ([0-9a-f]+),")
                .matcher(brokerLog);
        while (m.find()) {
            serials.add(m.group(1));
        }
        return serials;
    }

    /**
     * A revoked node: its own next renewal is refused {@code revoked}, reported on
     * {@code cert.renewal-failed} and as the monitor's CertificateRenewalFailed, and the agent goes
     * on running (no crash loop) on its current certificate until that expires.
     */
    @Test
    @Order(Integer.MAX_VALUE)
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

        // The agent's own next renewal (every ~20 s here): refused, reported, and the agent stays up.
        String pid = Files.readString(state.resolve("run/node-agent.pid")).strip();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(operator.applyTo(
                KafkaSettings.consumer(bootstrap, null, "secure-bus-it-failures")))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CERT_RENEWAL_FAILED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            ConsumerRecord<String, byte[]> failed = poll(consumer, Duration.ofSeconds(90), r -> lineage.equals(r.key())
                    && EventCodec.decode(r.value(), net.goldentooth.events.cert.CertRenewalFailed.class).reason()
                            .startsWith("revoked: "));
            assertNotNull(failed, "the agent did not report its refused renewal on cert.renewal-failed" + logs());
        }
        String monitor = "https://127.0.0.1:" + (8084 + offset);
        String[] admin = {"--cacert", secure.resolve("root.pem").toString(), "--cert",
                secure.resolve("ops-admin.pem").toString(), "--key", secure.resolve("ops-admin.key").toString()};
        boolean alerted = false;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String alerts = "";
        while (!alerted && System.nanoTime() < deadline) {
            alerts = curlBody(concat(admin, monitor + "/alerts"));
            if (alerts.startsWith("200 ")) {
                for (JsonNode a : EventCodec.mapper().readTree(alerts.substring(4))) {
                    alerted |= "CertificateRenewalFailed".equals(a.path("alertName").asText())
                            && a.toString().contains(lineage) && !"resolved".equals(a.path("phase").asText());
                }
            }
            Thread.sleep(500);
        }
        assertTrue(alerted, "no CertificateRenewalFailed alert for " + lineage + ": " + alerts);
        assertEquals(pid, Files.readString(state.resolve("run/node-agent.pid")).strip());
        assertEquals("200", curl("http://127.0.0.1:" + (9110 + offset) + "/q/health/live"),
                "the agent keeps running after the refusal" + logs());
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
