package net.goldentooth.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
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
import java.util.function.DoubleSupplier;
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
 *
 * <p>Two ratios are printed for each phase:
 * <ul>
 *   <li><b>the issue's ratio</b>: certificates per wall-clock second divided by the raw JCA signing
 *       rate, {@code Signature.getInstance("SHA256withECDSA")} with the JVM's default providers
 *       (SunEC), one thread signing a 420-byte buffer in a loop for 3 s, measured right after the
 *       phases, in the same run (target: at least 50 %);</li>
 *   <li><b>the stricter view</b>: certificates per pki-service CPU-second (every thread of the
 *       service process) divided by BouncyCastle's signatures per CPU-second of the signing thread
 *       (the provider the CA signs with, about twice as fast as SunEC). It compares work with work,
 *       so neither the other processes of a shared machine nor the service's second core move it;
 *       an issuance verifies one to three signatures for each one it makes, so it stays well below
 *       100 %.</li>
 * </ul>
 * The requests (JSON, headers, proofs) are all prepared before a phase starts; a phase only sends
 * and reads. The bench's own CPU time and the broker's during each phase are printed too, to show
 * neither is what limits the rate.
 *
 * <p>{@code --baseline DIR} runs the same phases, in the same run and against the same broker,
 * first with an earlier build of the service ({@code DIR/target/quarkus-app}, e.g. a copy of
 * {@code pki-service} taken before a change), then with the current one, so the two are compared
 * under the same load.
 *
 * <p>{@code --edges} runs the same phases, in the same run and against the same broker, with the
 * current build twice: first with kafka-edge's consumer and producer on {@code cert.requested} and
 * {@code cert.issued}, then with the SmallRye Reactive Messaging channels
 * ({@code goldentooth.pki.smallrye=true}, issue 20). After the two bulk phases it adds a third,
 * {@code --sequential N} renewals sent one at a time, each after the previous answer: the latency
 * of one message through each edge (median and 95th percentile) and its CPU.
 */
public final class PkiIssuanceBench {

    static final String NODE = "bench";
    /** The first of the ports this bench's broker listens on (its own range; see --port). */
    private static final int DEFAULT_PORT = 27301;

    public static void main(String[] args) throws Exception {
        int count = 2_000;
        int storm = 0;
        int port = DEFAULT_PORT;
        String baseline = null;
        boolean edges = false;
        int sequential = 200;
        Duration stormLifetime = Duration.ofMinutes(15);
        for (int i = 0; i < args.length; i += 2) {
            if (args[i].equals("--edges")) {
                edges = true;
                i--;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--count" -> count = Integer.parseInt(args[i + 1]);
                case "--storm" -> storm = Integer.parseInt(args[i + 1]);
                case "--storm-lifetime" -> stormLifetime = Duration.parse("PT" + args[i + 1].toUpperCase(Locale.ROOT));
                case "--baseline" -> baseline = Path.of(args[i + 1]).toAbsolutePath().toString();
                case "--port" -> port = Integer.parseInt(args[i + 1]);
                case "--sequential" -> sequential = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]
                        + " (--count N [--baseline DIR | --edges [--sequential N]] | --storm N [--storm-lifetime 15m];"
                        + " --port P)");
            }
        }
        if (storm > 0) {
            if (baseline != null) {
                throw new IllegalArgumentException("--baseline goes with --count, not --storm");
            }
            count = storm;
        }
        if (edges && (baseline != null || storm > 0)) {
            throw new IllegalArgumentException("--edges compares the current build's two edges: not with --baseline or --storm");
        }
        if (edges && (sequential < 1 || sequential > count / 2)) {
            throw new IllegalArgumentException("--sequential must be between 1 and half of --count (" + count / 2 + ")");
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
        List<Variant> variants = new ArrayList<>();
        if (edges) {
            variants.add(new Variant("kafka-edge", "pki-service", Map.of("goldentooth.pki.smallrye", "false")));
            variants.add(new Variant("smallrye", "pki-service", Map.of("goldentooth.pki.smallrye", "true")));
        } else {
            if (baseline != null) {
                variants.add(new Variant("baseline", baseline, Map.of()));
            }
            variants.add(new Variant(baseline == null ? "pki-service" : "current", "pki-service", Map.of()));
        }
        List<Result> results = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(port, port + 1);
             Wire wire = new Wire(broker.bootstrapServers())) {
            for (Variant variant : variants) {
                List<CertRequest> enrolments = enrolments(provisioner, csrs, storm > 0 ? stormLifetime : null);
                try (ServiceProcess pki = start(variant, broker, dir)) {
                    wire.measure(cpuOf(variant.jar()), cpuOf("goldentooth-broker"));
                    if (storm > 0) {
                        RenewalStorm.run(wire, enrolments, keys, csrs, stormLifetime);
                        return;
                    }
                    results.add(measure(variant, wire, enrolments, keys, csrs, edges ? sequential : 0));
                }
            }
        }
        report(results, count / 2, !edges);
        if (edges) {
            reportEdges(results, sequential);
        }
    }

    /** The SmallRye channels against kafka-edge, same build, same broker, same run. */
    private static void reportEdges(List<Result> results, int sequential) {
        Result edge = results.get(0);
        Result smallrye = results.get(1);
        System.out.printf(Locale.ROOT, "%ncert.requested -> cert.issued, one at a time (%d renewals, each sent after "
                + "the previous answer):%n", sequential);
        for (Result r : results) {
            Sequential s = r.sequential();
            System.out.printf(Locale.ROOT, "  %-12s latency median %6.2f ms, p95 %6.2f ms; pki-service %5.2f CPU-ms, "
                            + "broker %5.2f CPU-ms per request%n", r.variant().label(), s.medianMillis(), s.p95Millis(),
                    s.serviceCpuMillisPerRequest(), s.brokerCpuMillisPerRequest());
        }
        System.out.printf(Locale.ROOT, "%nsmallrye / kafka-edge, same build, same run (below 1 is better for latency "
                + "and CPU, above 1 for throughput):%n");
        System.out.printf(Locale.ROOT, "  %-30s %5.2fx certificates/s, %5.2fx pki-service CPU per certificate%n",
                "enrolment, bulk", smallrye.enrol().rate() / edge.enrol().rate(),
                edge.enrol().perCpuSecond() / smallrye.enrol().perCpuSecond());
        System.out.printf(Locale.ROOT, "  %-30s %5.2fx certificates/s, %5.2fx pki-service CPU per certificate%n",
                "renewal, bulk", smallrye.renew().rate() / edge.renew().rate(),
                edge.renew().perCpuSecond() / smallrye.renew().perCpuSecond());
        System.out.printf(Locale.ROOT, "  %-30s %5.2fx median latency, %5.2fx p95, %5.2fx pki-service CPU per request%n",
                "renewal, one at a time", smallrye.sequential().medianMillis() / edge.sequential().medianMillis(),
                smallrye.sequential().p95Millis() / edge.sequential().p95Millis(),
                smallrye.sequential().serviceCpuMillisPerRequest() / edge.sequential().serviceCpuMillisPerRequest());
    }

    /** A build of pki-service: the module directory whose {@code target/quarkus-app} is run. */
    record Variant(String label, String module, Map<String, String> config) {
        String jar() {
            return KafkaBroker.projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar").toString();
        }
    }

    record Result(Variant variant, Phase enrol, Phase renew, Raw sunEc, Raw bouncyCastle, String load,
                  Sequential sequential) {
    }

    /** Requests sent one at a time: each one's latency (sorted), and the CPU the phase cost. */
    record Sequential(long[] sortedNanos, double serviceCpuSeconds, double brokerCpuSeconds) {
        double medianMillis() {
            return sortedNanos[sortedNanos.length / 2] / 1e6;
        }

        double p95Millis() {
            return sortedNanos[Math.min(sortedNanos.length - 1, (int) Math.ceil(sortedNanos.length * 0.95) - 1)] / 1e6;
        }

        double serviceCpuMillisPerRequest() {
            return 1000 * serviceCpuSeconds / sortedNanos.length;
        }

        double brokerCpuMillisPerRequest() {
            return 1000 * brokerCpuSeconds / sortedNanos.length;
        }
    }

    /** An enrolment request per CSR, of one lineage each, with fresh tokens and request ids. */
    private static List<CertRequest> enrolments(SigningKeys.KeyPair provisioner, List<String> csrs, Duration lifetime) {
        List<CertRequest> enrolments = new ArrayList<>();
        for (int i = 0; i < csrs.size(); i++) {
            Instant now = Instant.now();
            String token = new EnrolmentToken(UUID.randomUUID().toString(), NODE, now, now.plusSeconds(3600),
                    provisioner.keyId()).mint(provisioner.privateKey());
            enrolments.add(new CertRequest(UUID.randomUUID().toString(), NODE, NODE + "/svc-" + i, "svc-" + i,
                    CertKind.ENROLL, csrs.get(i), null, token, null, lifetime == null ? null : lifetime.toSeconds(),
                    List.of(), false, now));
        }
        return enrolments;
    }

    private static ServiceProcess start(Variant variant, KafkaBroker broker, Path dir) {
        Path state = dir.resolve("state-" + variant.label());
        Map<String, String> config = new HashMap<>(variant.config());
        config.putAll(Map.of(
                "kafka.bootstrap.servers", broker.bootstrapServers(),
                "goldentooth.pki.state-dir", state.toString(),
                "goldentooth.pki.password-file", state.resolve("ca-password").toString(),
                "goldentooth.pki.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.pki.token-signing-public-key", dir.resolve("task-signing.pub").toString(),
                // The bench talks only Kafka; REST authentication has nothing to guard here.
                "goldentooth.auth.enabled", "false",
                "quarkus.log.level", "WARN"));
        return ServiceProcess.start("pki-service-" + variant.label(), variant.module(), serviceJvmOptions(), config, dir);
    }

    /**
     * The first half warms the service's JIT (C2 compiling is most of a cold JVM's CPU): enrolled
     * and renewed, measured and discarded; the second half is measured. The raw signing rates
     * follow at once, so the ratios compare figures taken under the same load.
     */
    private static Result measure(Variant variant, Wire wire, List<CertRequest> enrolments, List<KeyPair> keys,
                                  List<String> csrs, int sequential) throws Exception {
        int count = enrolments.size();
        int half = count / 2;
        System.out.printf(Locale.ROOT, "%s: warming up with %d enrolments and renewals...%n", variant.label(), half);
        wire.run(enrolments.subList(0, half));
        wire.run(renewals(wire.answers, enrolments, keys, csrs, 0, half));
        System.out.printf(Locale.ROOT, "%s: measuring %d enrolments, then %d renewals...%n", variant.label(),
                count - half, count - half);
        Phase enrol = wire.run(enrolments.subList(half, count));
        List<CertRequest> renewed = renewals(wire.answers, enrolments, keys, csrs, half, count);
        Phase renew = wire.run(renewed);
        Sequential oneAtATime = null;
        if (sequential > 0) {
            System.out.printf(Locale.ROOT, "%s: %d renewals one at a time...%n", variant.label(), sequential);
            List<CertRequest> again = new ArrayList<>();
            for (int i = 0; i < sequential; i++) {
                again.add(renewalOf(wire.answers.get(renewed.get(i).requestId()), keys.get(half + i), csrs.get(half + i),
                        null));
            }
            oneAtATime = wire.oneAtATime(again);
        }
        Raw sunEc = rawSigning(Duration.ofSeconds(3), null);
        Raw bc = rawSigning(Duration.ofSeconds(3), new BouncyCastleProvider());
        return new Result(variant, enrol, renew, sunEc, bc, Files.readString(Path.of("/proc/loadavg")).trim(),
                oneAtATime);
    }

    private static void report(List<Result> results, int perPhase, boolean againstBaseline) {
        System.out.printf(Locale.ROOT, "%nECDSA P-256 issuance, %d requests per phase, CSR on cert.requested -> cert.issued%n",
                perPhase);
        System.out.printf(Locale.ROOT, "(ratio = certificates/s over raw JCA SHA256withECDSA signatures/s, default "
                + "provider SunEC, one thread;%n stricter = certificates per pki-service CPU-second over BouncyCastle "
                + "signatures per CPU-second)%n");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%n[%s] %s%n", r.variant().label(), r.variant().jar());
            phase("enrolment (token + fsync)", r.enrol(), r);
            phase("renewal (proof of possession)", r.renew(), r);
            System.out.printf(Locale.ROOT, "  %-30s %7.0f signatures/s, %.0f per CPU-second (the issue's baseline)%n",
                    "raw JCA signing, SunEC", r.sunEc().perSecond(), r.sunEc().perCpuSecond());
            System.out.printf(Locale.ROOT, "  %-30s %7.0f signatures/s, %.0f per CPU-second%n",
                    "raw JCA signing, BouncyCastle", r.bouncyCastle().perSecond(), r.bouncyCastle().perCpuSecond());
            System.out.printf(Locale.ROOT, "  load average after the phases: %s%n", r.load());
        }
        if (againstBaseline && results.size() == 2) {
            Result before = results.get(0);
            Result after = results.get(1);
            System.out.printf(Locale.ROOT, "%ncurrent / baseline, same run:%n");
            System.out.printf(Locale.ROOT, "  %-30s %5.2fx certificates/s, %5.2fx per pki-service CPU-second%n",
                    "enrolment", after.enrol().rate() / before.enrol().rate(),
                    after.enrol().perCpuSecond() / before.enrol().perCpuSecond());
            System.out.printf(Locale.ROOT, "  %-30s %5.2fx certificates/s, %5.2fx per pki-service CPU-second%n",
                    "renewal", after.renew().rate() / before.renew().rate(),
                    after.renew().perCpuSecond() / before.renew().perCpuSecond());
        }
        System.out.printf(Locale.ROOT, "  cores available: %d%n", Runtime.getRuntime().availableProcessors());
    }

    private static void phase(String name, Phase phase, Result r) {
        System.out.printf(Locale.ROOT, "  %-30s %7.0f certificates/s  = %3.0f %% of raw JCA signing (SunEC)   "
                        + "(%d issued, %d refused, %.2f s)%n", name, phase.rate(), 100 * phase.rate() / r.sunEc().perSecond(),
                phase.issued(), phase.refused(), phase.seconds());
        System.out.printf(Locale.ROOT, "  %-30s %7.0f per pki-service CPU-second = %3.0f %% of BouncyCastle per "
                        + "CPU-second (stricter)%n", "", phase.perCpuSecond(),
                100 * phase.perCpuSecond() / r.bouncyCastle().perCpuSecond());
        System.out.printf(Locale.ROOT, "  %-30s CPU-seconds: pki-service %.2f, broker %.2f, this bench %.2f "
                        + "(%.0f %% of one core)%n", "", phase.cpuSeconds(), phase.brokerCpuSeconds(),
                phase.clientCpuSeconds(), 100 * phase.clientCpuSeconds() / phase.seconds());
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

    record Phase(int issued, int refused, double seconds, double maxLatencySeconds, double cpuSeconds,
                 double brokerCpuSeconds, double clientCpuSeconds) {
        double rate() {
            return (issued + refused) / seconds;
        }

        double perCpuSecond() {
            return (issued + refused) / cpuSeconds;
        }
    }

    record Raw(double perSecond, double perCpuSecond) {
    }

    /**
     * CPU time (user + system, every thread) of the one process below this bench whose command line
     * contains {@code marker} (the service's jar, the broker's), in seconds.
     */
    static DoubleSupplier cpuOf(String marker) {
        long pid = ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
                .findFirst().orElseThrow(() -> new IllegalStateException("no process running " + marker)).pid();
        return () -> cpuSeconds(pid);
    }

    /** CPU time (user + system, every thread) of process {@code pid}, in seconds. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("process " + pid + " is gone", e);
        }
    }

    /** USER_HZ: the unit of /proc/<pid>/stat's times (100 on every Linux this runs on). */
    private static final int CLOCK_TICKS = 100;

    /**
     * Signs a leaf-sized to-be-signed buffer in a loop; the baseline the CA is compared with.
     * {@code provider} null means {@code Signature.getInstance("SHA256withECDSA")} with the JVM's
     * provider order (SunEC).
     */
    private static Raw rawSigning(Duration duration, Provider provider) throws Exception {
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
        private DoubleSupplier serviceCpu;
        private DoubleSupplier brokerCpu;

        Wire(String bootstrap) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            // One batch per partition per request, five in flight: small batches would pace the requests.
            // Half of cert.requested's 1 MiB record-batch limit.
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(512 << 10));
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
            Properties c = new Properties();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
            c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
            c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
            consumer = new KafkaConsumer<>(c);
            TopicPartition partition = new TopicPartition(Topics.CERT_ISSUED,
                    NodeRouting.partitionFor(NODE, Topics.NODE_ROUTED_PARTITIONS));
            consumer.assign(List.of(partition));
            consumer.seekToEnd(List.of(partition));
            consumer.position(partition);
        }

        /** Whose CPU time the phases report: the service's and the broker's processes. */
        void measure(DoubleSupplier service, DoubleSupplier broker) {
            this.serviceCpu = service;
            this.brokerCpu = broker;
        }

        /**
         * CPU-seconds per second of the service, the broker and this bench while nothing is sent for
         * {@code duration}: the floor under a slow trickle of requests (idle consumers polling).
         */
        double[] idle(Duration duration) throws InterruptedException {
            double service = serviceCpu.getAsDouble();
            double broker = brokerCpu.getAsDouble();
            double client = cpuSeconds(ProcessHandle.current().pid());
            Thread.sleep(duration.toMillis());
            double seconds = duration.toMillis() / 1000.0;
            return new double[] {(serviceCpu.getAsDouble() - service) / seconds,
                (brokerCpu.getAsDouble() - broker) / seconds,
                (cpuSeconds(ProcessHandle.current().pid()) - client) / seconds};
        }

        /** Sends each request once the previous one is answered (a refusal fails the phase). */
        Sequential oneAtATime(List<CertRequest> requests) {
            long[] latencies = new long[requests.size()];
            double cpuStart = serviceCpu.getAsDouble();
            double brokerStart = brokerCpu.getAsDouble();
            for (int i = 0; i < requests.size(); i++) {
                Phase one = run(List.of(requests.get(i)));
                if (one.refused() > 0) {
                    throw new IllegalStateException("request " + i + " of the one-at-a-time phase was refused");
                }
                latencies[i] = Math.round(one.maxLatencySeconds() * 1e9);
            }
            double cpu = serviceCpu.getAsDouble() - cpuStart;
            double broker = brokerCpu.getAsDouble() - brokerStart;
            java.util.Arrays.sort(latencies);
            return new Sequential(latencies, cpu, broker);
        }

        /** Sends every request at once and waits for all answers. */
        Phase run(List<CertRequest> requests) {
            return run(requests, new long[requests.size()]);
        }

        /**
         * Sends request i at {@code offsetsNanos[i]} after the start (ascending), reading answers
         * in between, and waits for all of them; the phase lasts from the start to the last answer.
         * The records are encoded before the start, so the phase only sends and reads.
         */
        Phase run(List<CertRequest> requests, long[] offsetsNanos) {
            answers.clear();
            List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
            for (CertRequest request : requests) {
                ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.CERT_REQUESTED, request.node(),
                        EventCodec.encode(request));
                CloudEventHeaders.forEvent(Topics.CERT_REQUESTED, "//bench", Instant.now())
                        .forEach((k, v) -> record.headers().add(k, v));
                records.add(record);
            }
            Map<String, Long> waiting = new HashMap<>();
            double cpuStart = serviceCpu.getAsDouble();
            double brokerStart = brokerCpu.getAsDouble();
            double clientStart = cpuSeconds(ProcessHandle.current().pid());
            long start = System.nanoTime();
            int next = 0;
            int issued = 0;
            int refused = 0;
            long maxLatency = 0;
            long deadline = start + offsetsNanos[offsetsNanos.length - 1] + Duration.ofMinutes(10).toNanos();
            while ((next < requests.size() || !waiting.isEmpty()) && System.nanoTime() < deadline) {
                long now = System.nanoTime();
                while (next < requests.size() && start + offsetsNanos[next] <= now) {
                    waiting.put(requests.get(next).requestId(), System.nanoTime());
                    producer.send(records.get(next++));
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
            double seconds = (System.nanoTime() - start) / 1e9;
            if (!waiting.isEmpty()) {
                throw new IllegalStateException(waiting.size() + " requests unanswered after 10 minutes");
            }
            if (refused > 0) {
                System.out.printf(Locale.ROOT, "  warning: %d of %d refused%n", refused, requests.size());
            }
            return new Phase(issued, refused, seconds, maxLatency / 1e9, serviceCpu.getAsDouble() - cpuStart,
                    brokerCpu.getAsDouble() - brokerStart, cpuSeconds(ProcessHandle.current().pid()) - clientStart);
        }

        @Override
        public void close() {
            producer.close();
            consumer.close();
        }
    }
}
