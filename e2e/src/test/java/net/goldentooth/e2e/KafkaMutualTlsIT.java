package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.kafka.KafkaSecurity;
import net.goldentooth.kafka.KafkaSettings;
import net.goldentooth.pki.authority.CertificateAuthority;
import net.goldentooth.pki.authority.Pem;
import net.goldentooth.testkit.KafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The real broker (deploy/broker) in mutual-TLS mode with certificates issued by pki-service's
 * CertificateAuthority: a certified service and agent produce and consume; a client without a
 * certificate, or with one from another CA, is refused at the handshake; the agent's ACLs let it
 * write its own topics and read its node-routed ones, and refuse it {@code job.tasks} writes and
 * {@code job.requested} reads; a service other than the provisioner cannot write tasks either.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KafkaMutualTlsIT {

    private Path dir;
    private Process broker;
    private String bootstrap;
    private KafkaSecurity provisioner;
    private KafkaSecurity alpha;
    private KafkaSecurity monitor;
    private KafkaSecurity stranger;
    private Path trust;

    @BeforeAll
    void startBroker() throws Exception {
        dir = Files.createTempDirectory("kafka-mtls");
        CertificateAuthority ca = CertificateAuthority.initialise(dir.resolve("ca"), "ca-pw".toCharArray(),
                Clock.systemUTC());
        trust = write("root.pem", Pem.of(ca.root()));
        KafkaSecurity brokerCert = issue(ca, "kafka-broker", "broker");
        provisioner = issue(ca, "provisioner", "provisioner");
        alpha = issue(ca, "alpha", "alpha");
        monitor = issue(ca, "monitor-service", "monitor");
        CertificateAuthority other = CertificateAuthority.initialise(dir.resolve("other-ca"), "x".toCharArray(),
                Clock.systemUTC());
        // Same CN as the real agent, but signed by a CA the broker does not trust.
        stranger = issue(other, "alpha", "stranger");

        int port = KafkaBroker.freePort();
        Path target = KafkaBroker.projectRoot().resolve("deploy/broker/target");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                        .toString(), "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", target.resolve("lib") + "/*" + java.io.File.pathSeparator + target.resolve("goldentooth-broker.jar"),
                "net.goldentooth.broker.BrokerMain", "--data", dir.resolve("kafka").toString(),
                "--port", Integer.toString(port), "--controller-port", Integer.toString(KafkaBroker.freePort()),
                "--exit-with-parent", "--ssl-certificate", brokerCert.certificate().toString(),
                "--ssl-key", brokerCert.key().toString(), "--ssl-trust", trust.toString(), "--agents", "alpha"));
        broker = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        bootstrap = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(broker.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    if (line.startsWith("READY ")) {
                        return line.substring(6).trim();
                    }
                }
                throw new IllegalStateException("the TLS broker exited before it was ready");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).get(120, TimeUnit.SECONDS);
    }

    @AfterAll
    void stopBroker() throws InterruptedException {
        if (broker != null) {
            broker.destroy();
            if (!broker.waitFor(20, TimeUnit.SECONDS)) {
                broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aServiceWritesTasksAndTheAgentReadsItsPartitionAndCommitsInItsGroup() throws Exception {
        int partition = NodeRouting.partitionFor("alpha", Topics.NODE_ROUTED_PARTITIONS);
        try (KafkaProducer<String, byte[]> producer = producer(provisioner)) {
            producer.send(new ProducerRecord<>(Topics.JOB_TASKS, partition, "alpha", "task-1".getBytes()))
                    .get(30, TimeUnit.SECONDS);
        }
        try (KafkaConsumer<String, byte[]> consumer = consumer(alpha, "node-agent-alpha")) {
            TopicPartition tp = new TopicPartition(Topics.JOB_TASKS, partition);
            consumer.assign(Set.of(tp));
            consumer.seekToBeginning(Set.of(tp));
            List<String> seen = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (seen.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    seen.add(new String(record.value(), StandardCharsets.UTF_8));
                }
            }
            assertEquals(List.of("task-1"), seen);
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(consumer.position(tp))));
        }
    }

    @Test
    void theAgentWritesItsOwnTopicsOnly() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(alpha)) {
            producer.send(new ProducerRecord<>(Topics.NODE_FACTS, "alpha", "{}".getBytes())).get(30, TimeUnit.SECONDS);
            producer.send(new ProducerRecord<>(Topics.CERT_REQUESTED, "alpha", "{}".getBytes()))
                    .get(30, TimeUnit.SECONDS);
            ExecutionException denied = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.JOB_TASKS, "beta", "forged".getBytes())).get(30, TimeUnit.SECONDS));
            assertTrue(denied.getCause() instanceof TopicAuthorizationException, denied.toString());
        }
    }

    @Test
    void onlyTheProvisionerWritesTasks() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(monitor)) {
            producer.send(new ProducerRecord<>(Topics.ALERT_STATE, "fp", "{}".getBytes())).get(30, TimeUnit.SECONDS);
            ExecutionException denied = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.JOB_TASKS, "alpha", "forged".getBytes())).get(30, TimeUnit.SECONDS));
            assertTrue(denied.getCause() instanceof TopicAuthorizationException, denied.toString());
        }
    }

    @Test
    void theAgentCannotReadTopicsNotAddressedToAgents() {
        try (KafkaConsumer<String, byte[]> consumer = consumer(alpha, null)) {
            consumer.assign(Set.of(new TopicPartition(Topics.JOB_REQUESTED, 0)));
            consumer.seekToBeginning(consumer.assignment());
            assertThrows(TopicAuthorizationException.class, () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                    consumer.poll(Duration.ofMillis(500));
                }
            });
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedAtTheHandshake() {
        Properties p = KafkaSettings.producer(bootstrap, "no-certificate");
        p.put("security.protocol", "SSL");
        p.put("ssl.truststore.type", "PEM");
        p.put("ssl.truststore.location", trust.toString());
        assertRefused(p);
    }

    @Test
    void aCertificateFromAnotherCaIsRefusedAtTheHandshake() {
        assertRefused(stranger.applyTo(KafkaSettings.producer(bootstrap, "stranger")));
    }

    private static void assertRefused(Properties p) {
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            Throwable thrown = assertThrows(Exception.class, () -> producer.send(
                    new ProducerRecord<>(Topics.NODE_FACTS, "alpha", "{}".getBytes())).get(60, TimeUnit.SECONDS));
            Throwable cause = thrown;
            while (cause != null && !(cause instanceof SslAuthenticationException)) {
                cause = cause.getCause();
            }
            assertTrue(cause != null, "expected an SSL authentication failure, got " + thrown);
        }
    }

    private KafkaProducer<String, byte[]> producer(KafkaSecurity security) {
        Properties p = security.applyTo(KafkaSettings.producer(bootstrap, "mtls-it"));
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        return new KafkaProducer<>(p);
    }

    private KafkaConsumer<String, byte[]> consumer(KafkaSecurity security, String group) {
        return new KafkaConsumer<>(security.applyTo(KafkaSettings.consumer(bootstrap, group, "mtls-it")));
    }

    /** A leaf for {@code cn} (names localhost and 127.0.0.1, as the broker's must), its chain and its PKCS#8 key. */
    private KafkaSecurity issue(CertificateAuthority ca, String cn, String fileStem) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        var leaf = ca.issue(new CertificateAuthority.LeafSpec(keys.getPublic(), cn, cn + "/kafka",
                List.of("localhost"), List.of("127.0.0.1"), now.minus(Duration.ofMinutes(1)), now.plus(Duration.ofHours(1))));
        Path certificate = write(fileStem + ".pem", Pem.of(leaf) + Pem.of(ca.intermediate()));
        Path key = write(fileStem + ".key", "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(keys.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return KafkaSecurity.mutualTls(certificate, key, trust);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
