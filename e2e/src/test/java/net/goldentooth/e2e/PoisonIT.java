package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertExpiring;
import net.goldentooth.events.cert.CertRenewalFailed;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.cert.LifetimeKind;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Hostile input on every topic a service consumes, with every part real: a private KRaft broker,
 * the provisioner, a node agent, pki-service, monitor-service and storage-service as their own
 * processes. {@link PoisonGenerator} writes 10,000 mutated records (plus 300 tasks with bad
 * signatures) in four shuffled batches, and between the batches — and after the last — good
 * records whose effect each service must show.
 *
 * <p>Invariants: (1) no consumer stops: every service stays ready and processes the good records
 * sent between and after the poison; (2) every record the contract's codec refuses is in
 * {@code <topic>.dlq} with a {@code dlq_error}, once for each consumer of the topic; every
 * {@code job.requested} record is (an invalid request is dead-lettered with the validation
 * message); (3) a task with a bad signature is reported REJECTED {@code bad-signature} exactly
 * once and never run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoisonIT {

    private static final String NODE = "p1";
    private static final int ROUNDS = 4;
    private static final int BAD_SIGNATURES = 300;

    /** Poison per topic (10,000 in all), and how many consumers of the topic must dead-letter each. */
    private static final Map<String, Integer> COUNTS = new LinkedHashMap<>();
    private static final Map<String, Integer> CONSUMERS = new LinkedHashMap<>();

    static {
        plan(Topics.NODE_FACTS, 1_500, 4);          // provisioner, pki, monitor, storage
        plan(Topics.JOB_REQUESTED, 1_000, 1);       // provisioner
        plan(Topics.JOB_PROGRESS, 1_200, 1);        // provisioner
        plan(Topics.JOB_TASKS, 900, 1);             // the agent (its node's key and partition)
        plan(Topics.JOB_STATUS, 700, 3);            // monitor, storage, the provisioner's status tail
        plan(Topics.CERT_REQUESTED, 1_000, 1);      // pki
        plan(Topics.CERT_ISSUED, 800, 2);           // the agent (its node's prefix and partition), monitor
        plan(Topics.CERT_RENEWED, 700, 2);          // pki, monitor
        plan(Topics.CERT_RENEWAL_FAILED, 700, 2);   // pki, monitor
        plan(Topics.CERT_EXPIRING, 800, 1);         // monitor
        plan(Topics.PKI_TRUST, 700, 1);             // the agent
    }

    private static void plan(String topic, int count, int consumers) {
        COUNTS.put(topic, count);
        CONSUMERS.put(topic, consumers);
    }

    private KafkaBroker broker;
    private LocalCluster cluster;
    private ServiceProcess pki;
    private ServiceProcess monitor;
    private ServiceProcess storage;
    private Path dir;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("e2e-poison");
        Files.writeString(dir.resolve("enrolment-token"), "");
        broker = KafkaBroker.start(Http.freePortInRange(), Http.freePortInRange());
        cluster = LocalCluster.builder(broker.bootstrapServers(), List.of(NODE))
                .provisioner(Map.of(ServiceFaultsIT.AUTH_OFF, "false"))
                .agents(Map.of(
                        "goldentooth.agent.enrolment-token-file", dir.resolve("enrolment-token").toString(),
                        "goldentooth.agent.canary.lifetime", "60s",
                        "goldentooth.agent.trust.ca-bundle-path", dir.resolve("trust/ca.crt").toString(),
                        "goldentooth.agent.renewal.tick", "200ms",
                        "goldentooth.agent.renewal.backoff-initial", "1s",
                        "goldentooth.agent.renewal.backoff-max", "4s"))
                .start();
        // The provisioner made its signing key at start; mint the canary's token with it, as it would.
        SigningKeys.KeyPair signing = SigningKeys.loadOrCreate(cluster.dir().resolve("task-signing.key"),
                cluster.dir().resolve("task-signing.pub"));
        Instant now = Instant.now();
        Files.writeString(dir.resolve("enrolment-token"), new EnrolmentToken(UUID.randomUUID().toString(), NODE, now,
                now.plus(Duration.ofHours(1)), signing.keyId()).mint(signing.privateKey()) + "\n");
        Files.writeString(dir.resolve("ca-password"), "e2e-" + UUID.randomUUID());
        Files.setPosixFilePermissions(dir.resolve("ca-password"), PosixFilePermissions.fromString("rw-------"));
        String inventory = cluster.dir().resolve("inventory.yaml").toString();
        List<ServiceProcess> started = Http.startAll(
                () -> ServiceProcess.start("pki", "pki-service", Map.of(
                        "kafka.bootstrap.servers", broker.bootstrapServers(),
                        "goldentooth.pki.state-dir", dir.resolve("pki").toString(),
                        "goldentooth.pki.password-file", dir.resolve("ca-password").toString(),
                        "goldentooth.pki.inventory", inventory,
                        "goldentooth.pki.token-signing-public-key", cluster.dir().resolve("task-signing.pub").toString(),
                        ServiceFaultsIT.AUTH_OFF, "false"), dir),
                () -> ServiceProcess.start("monitor", "monitor-service", Map.of(
                        "kafka.bootstrap.servers", broker.bootstrapServers(), ServiceFaultsIT.AUTH_OFF, "false"), dir),
                () -> ServiceProcess.start("storage", "storage-service", Map.of(
                        "kafka.bootstrap.servers", broker.bootstrapServers(),
                        "goldentooth.storage.inventory", inventory,
                        "goldentooth.storage.sanoid-config", dir.resolve("no-sanoid.conf").toString(),
                        "goldentooth.storage.scheduler-enabled", "false", ServiceFaultsIT.AUTH_OFF, "false"), dir));
        pki = started.get(0);
        monitor = started.get(1);
        storage = started.get(2);
    }

    @AfterAll
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {storage, monitor, pki, cluster, broker}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the others
            }
        }
    }

    @Test
    void noConsumerStopsEveryPoisonIsDeadLetteredAndTheGoodRecordsBetweenAreProcessed() throws Exception {
        long began = System.nanoTime();
        String canarySerial = awaitCanary(null);
        phase("canary enrolled", began);

        List<PoisonGenerator.Poison> poison = generate();
        Collections.shuffle(poison, new Random(7));
        int perRound = (poison.size() + ROUNDS - 1) / ROUNDS;
        List<String> refused = Collections.synchronizedList(new ArrayList<>());
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (int round = 0; round < ROUNDS; round++) {
                for (PoisonGenerator.Poison p : poison.subList(round * perRound,
                        Math.min(poison.size(), (round + 1) * perRound))) {
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(p.topic(), p.partition(), p.key(),
                            p.value());
                    p.headers().forEach((k, v) -> record.headers().add(k, v));
                    producer.send(record, (metadata, error) -> {
                        if (error != null) {
                            refused.add(p.topic() + " " + p.id() + " " + p.mutation() + ": " + error);
                        }
                    });
                }
                producer.flush();
                sendGood(producer, round);
            }
            producer.flush();
        }
        assertEquals(List.of(), refused, "the broker took every poison record");
        // A revocation makes pki publish a new trust bundle: a good pki.trust record after the poison.
        HttpRequest revoke = HttpRequest.newBuilder(URI.create(pki.baseUrl() + "/lineages/" + NODE + "/e2e-revoked/revoke"))
                .POST(HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build();
        assertEquals(200, Http.send(revoke).statusCode());

        phase("poison and good records sent", began);
        assertGoodRecordsProcessed(canarySerial);
        phase("good records processed", began);
        assertDeadLettered(poison);
        phase("dead letters checked", began);
        assertBadSignaturesRejectedOnce();
        for (ServiceProcess service : List.of(cluster.provisioner(), cluster.agent(NODE), pki, monitor, storage)) {
            assertTrue(service.isAlive(), service.baseUrl() + " died:\n" + service.tail());
            assertEquals(200, Http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(10)).build()).statusCode(), "ready after the poison:\n" + service.tail());
        }
    }

    private List<PoisonGenerator.Poison> generate() throws Exception {
        PoisonGenerator generator = new PoisonGenerator(20261125L, EventCodec.TOPIC_TYPES);
        Path root = KafkaBroker.projectRoot();
        COUNTS.keySet().forEach(topic -> generator.goldenTemplate(root, topic));
        // A request for no host and a harmless command: a mutation that still decodes must be refused
        // by validation (dead-lettered), and could at worst run `true`.
        generator.template(Topics.JOB_REQUESTED, EventCodec.encode(new JobRequest("e2e-poison", JobKind.COMMAND,
                "e2e-no-such-host", "true", null, 10, null, false, "e2e-poison")));
        int tasksPartition = NodeRouting.partitionFor(NODE, Topics.partitionsOf(Topics.JOB_TASKS));
        int issuedPartition = NodeRouting.partitionFor(NODE, Topics.partitionsOf(Topics.CERT_ISSUED));
        List<PoisonGenerator.Poison> all = new ArrayList<>();
        for (Map.Entry<String, Integer> e : COUNTS.entrySet()) {
            String topic = e.getKey();
            List<PoisonGenerator.Poison> batch = switch (topic) {
                case Topics.JOB_TASKS -> generator.generate(topic, e.getValue(), NODE, tasksPartition, false);
                case Topics.CERT_ISSUED -> generator.generate(topic, e.getValue(),
                        NodeRouting.lineageKey(NODE, NODE + "/poison"), issuedPartition, false);
                // A compacted topic refuses records without a key at the broker: no consumer could see them.
                default -> generator.generate(topic, e.getValue(), "poison", null, !compacted(topic));
            };
            all.addAll(batch);
        }
        all.addAll(badSignatures(tasksPartition));
        return all;
    }

    private static boolean compacted(String topic) {
        return Topics.CATALOGUE.stream().anyMatch(t -> t.name().equals(topic) && t.compacted());
    }

    /** Tasks for this node, signed by another key but claiming the provisioner's key id. */
    private List<PoisonGenerator.Poison> badSignatures(int partition) throws Exception {
        String trustedKeyId = SigningKeys.loadOrCreate(cluster.dir().resolve("task-signing.key"),
                cluster.dir().resolve("task-signing.pub")).keyId();
        TaskSigner forger = new TaskSigner(SigningKeys.generate());
        List<PoisonGenerator.Poison> out = new ArrayList<>();
        Path marker = dir.resolve("forged-task-ran");
        Instant now = Instant.now();
        for (int i = 0; i < BAD_SIGNATURES; i++) {
            Task task = new Task("e2e-badsig-" + i, UUID.randomUUID().toString(), NODE,
                    new TaskSpec("touch " + marker, null, false, 10_000, 1024), now, now.plus(Duration.ofHours(1)));
            SignedTask forged = forger.sign(task);
            SignedTask claimed = new SignedTask(forged.payload(), trustedKeyId, forged.signature());
            Map<String, byte[]> headers = new LinkedHashMap<>(CloudEventHeaders.forEvent(Topics.JOB_TASKS,
                    "//e2e-poison", now));
            headers.put(PoisonGenerator.ID_HEADER, ("badsig-" + i).getBytes(StandardCharsets.UTF_8));
            out.add(new PoisonGenerator.Poison("badsig-" + i, Topics.JOB_TASKS, partition, NODE,
                    EventCodec.encode(claimed), headers, null, false));
        }
        return out;
    }

    /** Round {@code round}'s good records: a job, a node's facts, a failed renewal, an expiring certificate. */
    private void sendGood(KafkaProducer<String, byte[]> producer, int round) {
        Instant now = Instant.now();
        send(producer, Topics.JOB_REQUESTED, "good-" + round, new JobRequest("e2e-good-" + round, JobKind.COMMAND,
                NODE, "echo good-" + round, null, 30, null, false, "e2e-good"));
        String node = "e2e-good-node-" + round;
        send(producer, Topics.NODE_FACTS, node, new NodeFacts(node, now, 1, "e2e", null, null, null,
                NodeFacts.Section.fresh(new NodeFacts.Load(0.1, 0.1, 0.1, 4), now), null, null, null, null, null, null));
        send(producer, Topics.CERT_RENEWAL_FAILED, "good-" + round + "/web", new CertRenewalFailed(
                "good-" + round, "good-" + round + "/web", "reload-failed: e2e", 1, now));
        send(producer, Topics.CERT_EXPIRING, "good-" + round + "/db", new CertExpiring("good-" + round,
                "good-" + round + "/db", "db", now.plus(Duration.ofDays(3)), ExpiryTier.CRITICAL, LifetimeKind.LONG,
                now));
        producer.flush();
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, Object event) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, EventCodec.encode(event));
        CloudEventHeaders.forEvent(topic, "//e2e-good", Instant.now()).forEach((k, v) -> record.headers().add(k, v));
        producer.send(record);
    }

    private void assertGoodRecordsProcessed(String canarySerial) {
        // job.requested → job.tasks → job.progress → job.status: each good job ran once and succeeded.
        await("every good job succeeded once", Duration.ofSeconds(120), () -> {
            JsonNode page = Http.getJson(cluster.provisioner().baseUrl() + "/jobs?pattern=" + NODE + "&limit=500");
            Map<String, List<String>> states = new TreeMap<>();
            for (JsonNode job : page.get("jobs")) {
                if ("e2e-good".equals(job.path("requestedBy").asText())) {
                    states.computeIfAbsent(job.get("command").asText(), c -> new ArrayList<>())
                            .add(job.get("state").asText());
                }
            }
            for (int round = 0; round < ROUNDS; round++) {
                if (!List.of("succeeded").equals(states.get("echo good-" + round))) {
                    return false;
                }
            }
            return true;
        });
        await("good facts visible in the provisioner's and the monitor's /nodes", Duration.ofSeconds(60), () -> {
            String provisioner = body(cluster.provisioner().baseUrl() + "/nodes");
            String monitorNodes = body(monitor.baseUrl() + "/nodes");
            for (int round = 0; round < ROUNDS; round++) {
                String name = "\"e2e-good-node-" + round + "\"";
                if (!provisioner.contains(name) || !monitorNodes.contains(name)) {
                    return false;
                }
            }
            return true;
        });
        await("good renewal failures and expiring certificates raised alerts", Duration.ofSeconds(60), () -> {
            List<String> lineages = new ArrayList<>();
            for (JsonNode alert : Http.getJson(monitor.baseUrl() + "/alerts")) {
                lineages.add(alert.path("alertName").asText() + " " + alert.path("labels").path("lineage").asText());
            }
            for (int round = 0; round < ROUNDS; round++) {
                String expiring = " good-" + round + "/db";
                if (!lineages.contains("CertificateRenewalFailed good-" + round + "/web")
                        || lineages.stream().noneMatch(l -> l.startsWith("CertificateExpiring") && l.endsWith(expiring))) {
                    return false;
                }
            }
            return true;
        });
        // cert.requested → cert.issued (agent) → cert.renewed (pki): the canary renewed after the poison.
        awaitCanary(canarySerial);
        await("the agent installed pki's trust bundle", Duration.ofSeconds(60), () -> {
            Path bundle = dir.resolve("trust/ca.crt");
            try {
                return Files.exists(bundle) && Files.readString(bundle)
                        .contains(Files.readString(dir.resolve("pki/root.pem")).trim());
            } catch (java.io.IOException e) {
                return false;
            }
        });
        assertTrue(!Files.exists(dir.resolve("forged-task-ran")), "a task with a bad signature ran");
    }

    /** Waits for the canary lineage to hold a certificate other than {@code previous}; returns its serial. */
    private String awaitCanary(String previous) {
        String[] serial = new String[1];
        await("the canary " + (previous == null ? "enrolled" : "renewed after the poison"), Duration.ofSeconds(120),
                () -> {
                    for (JsonNode row : Http.getJson(pki.baseUrl() + "/certs")) {
                        if ((NODE + "/canary").equals(row.path("lineage").asText()) && row.hasNonNull("serial")
                                && !row.get("serial").asText().equals(previous)
                                && (previous == null || row.path("lastRenewal").asText().startsWith("renewed"))) {
                            serial[0] = row.get("serial").asText();
                            return true;
                        }
                    }
                    return false;
                });
        return serial[0];
    }

    private void assertDeadLettered(List<PoisonGenerator.Poison> poison) {
        Map<String, Map<String, Integer>> copies = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do {
            missing.clear();
            COUNTS.keySet().forEach(topic -> copies.put(topic, deadLetterCopies(topic)));
            for (PoisonGenerator.Poison p : poison) {
                int need = deadLettersNeeded(p);
                int have = copies.get(p.topic()).getOrDefault(p.id(), 0);
                if (have < need) {
                    missing.add(p.topic() + " " + p.id() + " " + p.mutation() + " (" + have + " of " + need + ")");
                }
            }
            if (missing.isEmpty()) {
                break;
            }
            ServiceProcess.sleep(2_000);
        } while (System.nanoTime() < deadline);
        StringBuilder summary = new StringBuilder("poison per topic (sent / undecodable / dead letters):");
        for (String topic : COUNTS.keySet()) {
            long undecodable = poison.stream().filter(p -> p.topic().equals(topic) && p.undecodable()).count();
            long sent = poison.stream().filter(p -> p.topic().equals(topic)).count();
            int letters = copies.get(topic).values().stream().mapToInt(Integer::intValue).sum();
            summary.append(String.format("%n  %-20s %5d / %5d / %6d", topic, sent, undecodable, letters));
        }
        System.out.println(summary);
        assertTrue(missing.isEmpty(), missing.size() + " poison records not dead-lettered by every consumer, e.g. "
                + missing.subList(0, Math.min(20, missing.size())));
    }

    /**
     * How many dead letters a record must produce: one per consumer of its topic when the codec
     * refuses it; one for any {@code job.requested} (validation refuses what decodes); none for the
     * rest, which decode into nonsense the services must survive. A wrong-typed field needs only one:
     * whether it decodes depends on the event's fields, and while one is being added a service built
     * from the previous {@code events} ignores it.
     */
    private static int deadLettersNeeded(PoisonGenerator.Poison p) {
        if (p.topic().equals(Topics.JOB_REQUESTED)) {
            return 1;
        }
        if (!p.undecodable()) {
            return 0;
        }
        return p.mutation() == PoisonGenerator.Mutation.WRONG_TYPE ? 1 : CONSUMERS.get(p.topic());
    }

    /** Dead letters of {@code topic} per poison id; fails on a dead letter without its reason. */
    private Map<String, Integer> deadLetterCopies(String topic) {
        Map<String, Integer> byId = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(broker.bootstrapServers(),
                Topics.deadLetterOf(topic))) {
            Header id = record.headers().lastHeader(PoisonGenerator.ID_HEADER);
            if (id == null) {
                continue;
            }
            Header error = record.headers().lastHeader(CloudEventHeaders.DLQ_ERROR);
            assertTrue(error != null && error.value().length > 0, "a dead letter without a reason on " + topic);
            byId.merge(new String(id.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return byId;
    }

    private void assertBadSignaturesRejectedOnce() {
        Map<String, Integer> rejected = new TreeMap<>();
        await("every forged task reported rejected", Duration.ofSeconds(60), () -> {
            rejected.clear();
            for (ConsumerRecord<String, byte[]> record : TopicDump.readAll(broker.bootstrapServers(),
                    Topics.JOB_PROGRESS)) {
                if (record.key() != null && record.key().startsWith("e2e-badsig-")) {
                    JobProgress progress = EventCodec.decode(record.value(), JobProgress.class);
                    assertEquals(ProgressKind.REJECTED, progress.kind(), "a forged task was not rejected: " + progress);
                    assertTrue(progress.reason().startsWith("bad-signature"), progress.reason());
                    rejected.merge(record.key(), 1, Integer::sum);
                }
            }
            return rejected.size() == BAD_SIGNATURES;
        });
        assertTrue(rejected.values().stream().allMatch(n -> n == 1), "each forged task reported once: " + rejected);
    }

    private static void phase(String what, long since) {
        System.out.printf("PoisonIT: %s after %.1f s%n", what, (System.nanoTime() - since) / 1e9);
    }

    private static String body(String url) {
        return Http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build()).body();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            ServiceProcess.sleep(500);
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(8 << 20));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }
}
