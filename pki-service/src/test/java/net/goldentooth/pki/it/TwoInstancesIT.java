package net.goldentooth.pki.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.pki.TestKeys;
import net.goldentooth.pki.messaging.PkiConsumers;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two pki-service processes (the packaged fast-jar) with the same CA and separate state
 * directories, on the real broker, sharing {@code cert.requested} through their consumer group.
 * For each of a bounded number of tokens, three spenders race at once: the same enrolment request
 * delivered to every partition of {@code cert.requested} (so both instances read it, as after a
 * rebalance), and {@code POST /enrolment} on each instance. Exactly one certificate is issued per
 * token, and no request is answered with two certificates.
 */
class TwoInstancesIT {

    private static final int TOKENS = 8;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static Path dir;
    private static SigningKeys.KeyPair provisioner;
    private static ServiceProcess a;
    private static ServiceProcess b;
    private static String bootstrap;

    @BeforeAll
    static void twoInstances() throws Exception {
        bootstrap = KafkaBroker.shared().bootstrapServers();
        dir = Files.createTempDirectory("pki-two");
        provisioner = SigningKeys.loadOrCreate(dir.resolve("task-signing.key"), dir.resolve("task-signing.pub"));
        StringBuilder inventory = new StringBuilder("all:\n  hosts:\n");
        for (int i = 0; i < TOKENS; i++) {
            inventory.append("    twin").append(i).append(": {ansible_host: 10.9.1.").append(i + 1).append("}\n");
        }
        Files.writeString(dir.resolve("inventory.yaml"), inventory);
        a = ServiceProcess.start("pki-a", "pki-service", properties("a"), dir);
        // The second machine gets the same CA: the key stores and their password, nothing else.
        Path from = dir.resolve("a/state");
        Path to = Files.createDirectories(dir.resolve("b/state"));
        Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rwx------"));
        for (String file : List.of("x509-ca.p12", "ssh-host-ca.p12", "ssh-user-ca.p12", "root.pem", "intermediate.pem",
                "ca-password")) {
            Files.copy(from.resolve(file), to.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        b = ServiceProcess.start("pki-b", "pki-service", properties("b"), dir);
        awaitBothInTheGroup();
    }

    @AfterAll
    static void stop() {
        if (b != null) {
            b.close();
        }
        if (a != null) {
            a.close();
        }
    }

    private static Map<String, String> properties(String name) {
        Map<String, String> p = new HashMap<>();
        p.put("kafka.bootstrap.servers", bootstrap);
        p.put("goldentooth.pki.state-dir", dir.resolve(name + "/state").toString());
        p.put("goldentooth.pki.password-file", dir.resolve(name + "/state/ca-password").toString());
        p.put("goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString());
        p.put("goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString());
        p.put("goldentooth.pki.enrolment-over-http", "true"); // loopback only
        return p;
    }

    /** Both instances own partitions of cert.requested, so both read the requests sent to every partition. */
    private static void awaitBothInTheGroup() throws Exception {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (Admin admin = Admin.create(p)) {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String seen = "";
            while (System.nanoTime() < deadline) {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(PkiConsumers.GROUP)).all().get()
                        .get(PkiConsumers.GROUP);
                seen = group.members().toString();
                if (group.members().size() == 2
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty())) {
                    return;
                }
                Thread.sleep(200);
            }
            throw new AssertionError("both instances did not join the group " + PkiConsumers.GROUP + ": " + seen);
        }
    }

    @Test
    void racingTheSameTokensAndRequestsOnBothInstancesIssuesOneCertificatePerToken() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<CertRequest> requests = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        ExecutorService racers = Executors.newFixedThreadPool(6);
        List<Future<Integer>> httpsA = new ArrayList<>();
        List<Future<Integer>> httpsB = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int i = 0; i < TOKENS; i++) {
                String node = "twin" + i;
                Instant now = Instant.now();
                String token = new EnrolmentToken(UUID.randomUUID().toString(), node, now, now.plusSeconds(3600),
                        provisioner.keyId()).mint(provisioner.privateKey());
                CertRequest request = new CertRequest(run + "-bus-" + i, node, node + "/bus-" + run, "bus-" + run,
                        CertKind.ENROLL, TestKeys.csr(TestKeys.ecKeyPair(), node, List.of(node)), null, token, null,
                        null, List.of(node), false, now);
                tokens.add(token);
                requests.add(request);
                racers.submit(() -> {
                    // The same request on every partition: each instance reads it, as a redelivery after a rebalance.
                    for (int partition = 0; partition < Topics.partitionsOf(Topics.CERT_REQUESTED); partition++) {
                        producer.send(record(partition, request));
                    }
                    producer.flush();
                    return null;
                });
                httpsA.add(racers.submit(() -> enrol(a, node, "https-a-" + run, token)));
                httpsB.add(racers.submit(() -> enrol(b, node, "https-b-" + run, token)));
            }
            racers.shutdown();
            List<Integer> statusA = new ArrayList<>();
            List<Integer> statusB = new ArrayList<>();
            for (int i = 0; i < TOKENS; i++) {
                statusA.add(httpsA.get(i).get());
                statusB.add(httpsB.get(i).get());
            }

            Set<String> requestIds = requests.stream().map(CertRequest::requestId).collect(Collectors.toSet());
            List<CertIssued> answers = awaitAnswers(run, requestIds);
            for (int i = 0; i < TOKENS; i++) {
                String node = "twin" + i;
                String requestId = requests.get(i).requestId();
                // A request read twice by the same instance is answered twice with the same certificate
                // (its remembered answer): certificates are counted by serial.
                Map<String, CertIssued> certificates = answers.stream()
                        .filter(x -> x.node().equals(node) && x.issued())
                        .collect(Collectors.toMap(CertIssued::serial, x -> x, (x, y) -> x));
                long busCertificates = certificates.values().stream().filter(x -> x.requestId().equals(requestId)).count();
                int httpsIssued = (statusA.get(i) == 200 ? 1 : 0) + (statusB.get(i) == 200 ? 1 : 0);
                assertTrue(busCertificates <= 1, node + ": request answered with " + busCertificates + " certificates");
                assertEquals(1, busCertificates + httpsIssued, node + ": one token, one certificate (bus "
                        + busCertificates + ", https a=" + statusA.get(i) + " b=" + statusB.get(i) + ")");
                assertEquals(1, certificates.size(), node + ": exactly one certificate on cert.issued: " + certificates.keySet());
                assertTrue(answers.stream().anyMatch(x -> x.requestId().equals(requestId)),
                        node + ": the bus request was answered");
                for (int status : List.of(statusA.get(i), statusB.get(i))) {
                    assertTrue(status == 200 || status == 403, node + ": HTTPS answered " + status);
                }
            }
        }
    }

    /**
     * Every answer of this run on cert.issued, once each bus request has one and a further few
     * seconds have passed (a second certificate for a request would be published by then).
     */
    private static List<CertIssued> awaitAnswers(String run, Set<String> requestIds) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            List<CertIssued> answers = readIssued(run);
            if (answers.stream().map(CertIssued::requestId).collect(Collectors.toSet()).containsAll(requestIds)) {
                Thread.sleep(3000);
                return readIssued(run);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not every bus request was answered within 60 s: " + readIssued(run).size() + " answers");
    }

    /** Every record of cert.issued (not compacted yet: each answer is its own record) whose lineage is this run's. */
    private static List<CertIssued> readIssued(String run) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<CertIssued> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            var partitions = consumer.partitionsFor(Topics.CERT_ISSUED).stream()
                    .map(info -> new org.apache.kafka.common.TopicPartition(Topics.CERT_ISSUED, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && record.key().contains(run)) {
                        seen.add(EventCodec.decode(record.value(), CertIssued.class));
                    }
                }
            }
        }
        return seen;
    }

    private static int enrol(ServiceProcess instance, String node, String service, String token)
            throws IOException, InterruptedException {
        String body = EventCodec.mapper().writeValueAsString(Map.of("node", node, "service", service,
                "csr", TestKeys.csr(TestKeys.ecKeyPair(), node, List.of(node)), "token", token));
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create(instance.baseUrl() + "/enrolment"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return answer.statusCode();
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p);
    }

    private static ProducerRecord<String, byte[]> record(int partition, CertRequest request) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CERT_REQUESTED, partition, request.node(),
                EventCodec.encode(request));
        CloudEventHeaders.forEvent(Topics.CERT_REQUESTED, "//two-instances-it", Instant.now())
                .forEach((k, v) -> record.headers().add(k, v));
        return record;
    }
}
