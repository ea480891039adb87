package net.goldentooth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.NodeRouting;
import net.goldentooth.events.Topics;
import net.goldentooth.events.cert.CertIssued;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertRequest;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * {@code bench/pki-issuance}: ECDSA P-256 issuance through the real pki-service process and a real
 * broker, CSR on {@code cert.requested} to answer on {@code cert.issued}, beside the raw JCA
 * SHA256withECDSA signing rate of the same machine in the same run.
 *
 * <ol>
 *   <li>Enrolment: N requests, each with its own one-time token (verified, then recorded with an
 *       fsync) and a CSR (its signature verified).</li>
 *   <li>Renewal: N requests with proof of possession (the current certificate is checked against the
 *       intermediate and the proof signature verified, plus the CSR) — the steady state of a
 *       fleet.</li>
 * </ol>
 * Each issuance signs once and verifies two to three signatures, so the ratio to the raw signing
 * rate says how much of the CA's time goes to signing rather than to Kafka, JSON and checks.
 */
public final class PkiIssuanceBench {

    static final String NODE = "bench";

    public static void main(String[] args) throws Exception {
        int count = 2_000;
        int storm = 0;
        Duration stormLifetime = Duration.ofMinutes(15);
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--storm" -> storm = Integer.parseInt(args[i + 1]);
                case "--storm-lifetime" -> stormLifetime = Duration.parse("PT" + args[i + 1].toUpperCase(Locale.ROOT));
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--count N | --storm N [--storm-lifetime 15m])");
            }
        }
        if (storm > 0) {
            count = storm;
        }
        Path dir = Files.createTempDirectory("pki-bench");
        SigningKeys.KeyPair provisioner = SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub"));
        Files.writeString(dir.resolve("inventory.yaml"),
                "all:\n  hosts:\n    " + NODE + ": {ansible_host: 127.0.0.1}\n");
        System.out.printf(Locale.ROOT, "preparing %d key pairs and CSRs...%n", count);
        List<KeyPair> keys = new ArrayList<>();
        List<String> csrs = new ArrayList<>();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        for (int i = 0; i < count; i++) {
            KeyPair pair = generator.generateKeyPair();
            keys.add(pair);
            csrs.add(csr(pair));
        }
        try (KafkaBroker broker = KafkaBroker.start();
             ServiceProcess pki = ServiceProcess.start("pki-service", "pki-service", serviceJvmOptions(), Map.of(
                     "kafka.bootstrap.servers", broker.bootstrapServers(),
                     "goldentooth.pki.state-dir", dir.resolve("state").toString(),
                     "goldentooth.pki.password-file", dir.resolve("state/ca-password").toString(),
                     "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                     "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString(),
                     // The bench talks only Kafka; REST authentication has nothing to guard here.
                     "goldentooth.auth.enabled", "false",
                     "quarkus.log.level", "WARN"), dir);
             Wire wire = new Wire(broker.bootstrapServers())) {
            List<CertRequest> enrolments = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Instant now = Instant.now();
                String token = new EnrolmentToken(UUID.randomUUID().toString(), NODE, now, now.plusSeconds(3600),
                        provisioner.keyId()).mint(provisioner.privateKey());
                enrolments.add(new CertRequest(UUID.randomUUID().toString(), NODE, NODE + "/svc-" + i, "svc-" + i,
                        CertKind.ENROLL, csrs.get(i), null, token, null,
                        storm > 0 ? stormLifetime.toSeconds() : null, List.of(), false, now));
            }
            if (storm > 0) {
                RenewalStorm.run(wire, enrolments, keys, csrs, stormLifetime);
                return;
            }
            // The first half warms the service's JIT (C2 compiling is most of a cold JVM's CPU): enrolled
            // and renewed, measured and discarded; the second half is measured.
            int half = count / 2;
            wire.run(enrolments.subList(0, half));
            wire.run(renewals(wire.answers, enrolments, keys, csrs, 0, half));
            Phase enrol = wire.run(enrolments.subList(half, count));
            List<CertRequest> renewals = renewals(wire.answers, enrolments, keys, csrs, half, count);
            Phase renew = wire.run(renewals);
            Raw jdk = rawSigning(Duration.ofSeconds(3), null);
            Raw bc = rawSigning(Duration.ofSeconds(3), new BouncyCastleProvider());
            // The CA signs with BouncyCastle (pki-service's EcCrypto): compare with the faster signer,
            // judged per CPU-second (a wall-clock rate on a shared machine says more about the neighbours).
            Raw raw = bc.perCpuSecond() > jdk.perCpuSecond() ? bc : jdk;
            System.out.printf(Locale.ROOT, "%nECDSA P-256 issuance, %d requests each, CSR on cert.requested -> cert.issued:%n",
                    renewals.size());
            print("enrolment (token + fsync)", enrol, raw);
            print("renewal (proof of possession)", renew, raw);
            System.out.printf(Locale.ROOT, "  %-32s %8.0f signatures/s, %.0f per CPU-second (SHA256withECDSA, one thread)%n",
                    "raw JCA signing, SunEC", jdk.perSecond(), jdk.perCpuSecond());
            System.out.printf(Locale.ROOT, "  %-32s %8.0f signatures/s, %.0f per CPU-second (SHA256withECDSA, one thread)%n",
                    "raw JCA signing, BouncyCastle", bc.perSecond(), bc.perCpuSecond());
            System.out.printf(Locale.ROOT, "  cores available: %d, load average %s%n", Runtime.getRuntime().availableProcessors(),
                    Files.readString(Path.of("/proc/loadavg")).trim());
        }
    }

    /**
     * The service's JVM as production runs it (with C2: testkit's default of
     * C1 only suits short tests, not a CA signing for minutes), plus {@code PKI_BENCH_JVM_OPTIONS}
     * (e.g. {@code -XX:StartFlightRecording=filename=/tmp/pki.jfr} to profile).
     */
    private static List<String> serviceJvmOptions() {
        List<String> options = new ArrayList<>(List.of("-Xmx512m", "-XX:TieredStopAtLevel=4"));
        String extra = System.getenv("PKI_BENCH_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** Renewals of the lineages {@code from..to} whose enrolments were answered in {@code answers}. */
    private static List<CertRequest> renewals(Map<String, CertIssued> answers, List<CertRequest> enrolments,
                                              List<KeyPair> keys, List<String> csrs, int from, int to) throws Exception {
        List<CertRequest> renewals = new ArrayList<>();
        for (int i = from; i < to; i++) {
            renewals.add(renewalOf(answers.get(enrolments.get(i).requestId()), keys.get(i), csrs.get(i), null));
        }
        return renewals;
    }

    /** A renewal by proof of possession of {@code current}, as the agent makes it. */
    static CertRequest renewalOf(CertIssued current, KeyPair key, String csr, Long lifetimeSeconds) throws Exception {
        String requestId = UUID.randomUUID().toString();
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key.getPrivate());
        signature.update(CertRequest.proofMaterial(requestId, csr));
        return new CertRequest(requestId, NODE, current.lineage(), current.service(), CertKind.RENEW, csr, null, null,
                new CertRequest.Proof(current.certificatePem(), Base64.getEncoder().encodeToString(signature.sign())),
                lifetimeSeconds, List.of(), false, Instant.now());
    }

    /**
     * Wall-clock rate against the raw one-thread signing rate, and, because the build machine is
     * shared, the same per CPU-second: the service's CPU time (all its threads) per certificate
     * against the signing thread's CPU time per signature, which other processes do not skew.
     */
    private static void print(String name, Phase phase, Raw raw) {
        double perCpuSecond = (phase.issued + phase.refused) / phase.cpuSeconds;
        System.out.printf(Locale.ROOT, "  %-32s %8.0f certificates/s  (%d issued, %d refused, %.2f s; %.0f %% of raw signing)%n",
                name, phase.rate(), phase.issued, phase.refused, phase.seconds, 100 * phase.rate() / raw.perSecond());
        System.out.printf(Locale.ROOT, "  %-32s %8.0f certificates per pki-service CPU-second (%.0f %% of raw signing per CPU-second)%n",
                "", perCpuSecond, 100 * perCpuSecond / raw.perCpuSecond());
    }

    record Phase(int issued, int refused, double seconds, double maxLatencySeconds, double cpuSeconds) {
        double rate() {
            return (issued + refused) / seconds;
        }
    }

    record Raw(double perSecond, double perCpuSecond) {
    }

    /** CPU time (user + system, every thread) of the pki-service process this bench started, in seconds. */
    static double serviceCpuSeconds() {
        ProcessHandle service = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains("pki-service")).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("the pki-service process is gone"));
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(service.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** USER_HZ: the unit of /proc/<pid>/stat's times (100 on every Linux this runs on). */
    private static final int CLOCK_TICKS = 100;

    /** Signs a leaf-sized to-be-signed buffer in a loop; the baseline the CA is compared with. */
    private static Raw rawSigning(Duration duration, java.security.Provider provider) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = generator.generateKeyPair();
        byte[] tbs = new byte[420];
        new java.security.SecureRandom().nextBytes(tbs);
        Signature signature = provider == null ? Signature.getInstance("SHA256withECDSA")
                : Signature.getInstance("SHA256withECDSA", provider);
        for (int i = 0; i < 2_000; i++) { // warm-up
            signature.initSign(pair.getPrivate());
            signature.update(tbs);
            signature.sign();
        }
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        int signatures = 0;
        while (System.nanoTime() < end) {
            signature.initSign(pair.getPrivate());
            signature.update(tbs);
            signature.sign();
            signatures++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Raw(signatures / seconds, signatures / ((threads.getCurrentThreadCpuTime() - cpuStart) / 1e9));
    }

    private static String csr(KeyPair pair) throws Exception {
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=" + NODE), pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
        java.io.StringWriter out = new java.io.StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(request);
        }
        return out.toString();
    }

    /** Sends requests and reads answers from the node's partition of {@code cert.issued}. */
    static final class Wire implements AutoCloseable {
        private final KafkaProducer<String, byte[]> producer;
        private final KafkaConsumer<String, byte[]> consumer;
        final Map<String, CertIssued> answers = new HashMap<>();

        Wire(String bootstrap) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            consumer = new KafkaConsumer<>(c);
            TopicPartition partition = new TopicPartition(Topics.CERT_ISSUED,
                    NodeRouting.partitionFor(NODE, Topics.NODE_ROUTED_PARTITIONS));
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
        }

        /** Sends every request at once and waits for all answers. */
        Phase run(List<CertRequest> requests) {
            return run(requests, new long[requests.size()]);
        }

        /**
         * Sends request i at {@code offsetsNanos[i]} after the start (ascending), reading answers
         * in between, and waits for all of them; the phase lasts from the start to the last answer.
         */
        Phase run(List<CertRequest> requests, long[] offsetsNanos) {
            answers.clear();
            Map<String, Long> waiting = new HashMap<>();
            double cpuStart = serviceCpuSeconds();
            long start = System.nanoTime();
            int next = 0;
            int issued = 0;
            int refused = 0;
            long maxLatency = 0;
            long deadline = start + offsetsNanos[offsetsNanos.length - 1] + Duration.ofMinutes(10).toNanos();
            while ((next < requests.size() || !waiting.isEmpty()) && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                while (next < requests.size() && start + offsetsNanos[next] <= now) {
                    CertRequest request = requests.get(next++);
                    ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CERT_REQUESTED, request.node(),
                            EventCodec.encode(request));
                    CloudEventHeaders.forEvent(Topics.CERT_REQUESTED, "//bench", Instant.now())
                            .forEach((k, v) -> record.headers().add(k, v));
                    waiting.put(request.requestId(), System.nanoTime());
                    producer.send(record);
                }
                long untilNext = next < requests.size() ? start + offsetsNanos[next] - System.nanoTime() : Long.MAX_VALUE;
                Duration poll = Duration.ofNanos(Math.max(0, Math.min(untilNext, Duration.ofMillis(200).toNanos())));
                for (ConsumerRecord<String, byte[]> record : consumer.poll(poll)) {
                    CertIssued answer = EventCodec.decode(record.value(), CertIssued.class);
                    Long sentAt = waiting.remove(answer.requestId());
                    if (sentAt != null) {
                        maxLatency = Math.max(maxLatency, System.nanoTime() - sentAt);
                        answers.put(answer.requestId(), answer);
                        if (answer.issued()) {
                            issued++;
                        } else {
                            refused++;
                        }
                    }
                }
            }
            if (!waiting.isEmpty()) {
                throw new IllegalStateException(waiting.size() + " requests unanswered after 10 minutes");
            }
            if (refused > 0) {
                System.out.printf(Locale.ROOT, "  warning: %d of %d refused%n", refused, requests.size());
            }
            return new Phase(issued, refused, (System.nanoTime() - start) / 1e9, maxLatency / 1e9,
                    serviceCpuSeconds() - cpuStart);
        }

        @Override
        public void close() {
            producer.close();
            consumer.close();
        }
    }
}
