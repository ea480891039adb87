package net.goldentooth.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.events.facts.NodeFacts.Section;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
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

/**
 * monitor-service's figures, against the real service process and a real broker:
 * <ol>
 * <li>detection latency from an agent going silent to NodeDown firing on {@code alert.state},
 *     side by side: N simulated agents beating every second, N publishing only facts every 15 s
 *     (the old window), each silenced at a random point of its interval, and the seed's rule
 *     (5 min {@code for} + 60 s scrape) simulated; median and p99 of each; then what a heartbeat
 *     costs in bytes and CPU (agent, broker, monitor), for 13 and 10,000 nodes;</li>
 * <li>facts ingestion: 10,000 simulated nodes' facts, several rounds, put on {@code node.facts}
 *     in one burst while the monitor runs; the rate at which the monitor folds them while it
 *     evaluates the rules every second over all 10,000 nodes.</li>
 * </ol>
 */
public final class MonitorBench {

    private static final Duration SEED_BOUND = Duration.ofMinutes(5).plusSeconds(60);
    private static final Duration INTERVAL = Duration.ofSeconds(15);

    /**
     * Options: --runs N (0 skips the detection phase), --nodes N, --rounds N (0 skips the ingestion phase), --jfr FILE (records the
     * monitor process of the ingestion phase with Java Flight Recorder, for profiling), --full-jit (the
     * ingestion phase's monitor runs with the JVM's default tiered compilation instead of the C1-only
     * start-up setting that tests and {@code ./goldentooth up} use).
     */
    public static void main(String[] args) throws Exception {
        int runs = 20;
        int nodes = 10_000;
        int rounds = 10;
        String jfr = null;
        boolean fullJit = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--jfr" -> jfr = args[++i];
                case "--full-jit" -> fullJit = true;
                default -> {
                    System.err.println("monitor: unknown option " + args[i] + " (--runs N --nodes N --rounds N --jfr FILE --full-jit)");
                    System.exit(2);
                }
            }
        }
        Path logs = Files.createTempDirectory("monitor-bench");
        System.out.printf(Locale.ROOT, "machine: %d cores, java %s; logs in %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), logs);
        // A fresh broker per phase, so the ingestion count holds only the ingestion phase's facts.
        if (runs > 0) {
            try (KafkaBroker broker = KafkaBroker.start()) {
                detection(broker, runs, logs);
            }
        }
        if (rounds > 0) {
            try (KafkaBroker broker = KafkaBroker.start()) {
                ingestion(broker.bootstrapServers(), nodes, rounds, jfr, fullJit, logs);
            }
        }
    }

    /**
     * Side by side in one run, against one monitor process: {@code runs} simulated agents beating
     * every second on node.heartbeat (issue 16's liveness) and {@code runs} publishing only facts
     * every 15 s (the old 3 x 15 s window, which the monitor still applies to a node that does not
     * beat), each silenced at a random point of its interval, interleaved. The seed's rule is
     * simulated beside them (see {@link #seedRule}).
     */
    private static void detection(KafkaBroker broker, int runs, Path logs) throws Exception {
        String bootstrap = broker.bootstrapServers();
        System.out.printf(Locale.ROOT, "%n== NodeDown detection, %d silences each: heartbeats every %d s, facts every %d s%n",
                runs, BEAT.toSeconds(), INTERVAL.toSeconds());
        try (ServiceProcess monitor = ServiceProcess.start("monitor-detection", "monitor-service",
                Map.of("kafka.bootstrap.servers", bootstrap), logs);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            ScheduledExecutorService agents = Executors.newScheduledThreadPool(4);
            Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
            Random random = new Random(42);
            java.util.concurrent.atomic.AtomicLong seq = new java.util.concurrent.atomic.AtomicLong();
            List<String> beating = new java.util.ArrayList<>();
            List<String> factsOnly = new java.util.ArrayList<>();
            for (int i = 0; i < runs; i++) {
                String beat = "bench-beat-" + i;
                String facts = "bench-facts-" + i;
                beating.add(beat);
                factsOnly.add(facts);
                running.put(beat, agents.scheduleAtFixedRate(() -> producer.send(beatRecord(beat, seq.incrementAndGet())),
                        random.nextInt((int) BEAT.toMillis()), BEAT.toMillis(), TimeUnit.MILLISECONDS));
                running.put(facts, agents.scheduleAtFixedRate(() -> send(producer, facts, Instant.now()),
                        random.nextInt((int) INTERVAL.toMillis()), INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
            }
            Thread.sleep(INTERVAL.multipliedBy(2).toMillis());
            Map<String, Instant> stoppedAt = new ConcurrentHashMap<>();
            for (int i = 0; i < runs; i++) {
                // Silence each agent at a random point of its interval, as a kill would.
                Thread.sleep(random.nextInt((int) BEAT.toMillis()));
                running.get(beating.get(i)).cancel(false);
                stoppedAt.put(beating.get(i), Instant.now());
                Thread.sleep(random.nextInt((int) BEAT.toMillis()));
                running.get(factsOnly.get(i)).cancel(false);
                stoppedAt.put(factsOnly.get(i), Instant.now());
            }
            Map<String, Instant> firedAt = awaitNodeDown(bootstrap, stoppedAt.keySet(), Duration.ofMinutes(3));
            agents.shutdownNow();
            long[] beats = latencies(beating, stoppedAt, firedAt);
            long[] facts = latencies(factsOnly, stoppedAt, firedAt);
            long[] seed = seedRule(new Random(42), 10_000);
            report("heartbeat, 6 missed 1 s beats (bus time)", beats, runs);
            report("facts only, 3 missed 15 s intervals (old)", facts, runs);
            report("seed: up==0 for 5m, 60 s scrape + 60 s rule evaluation (simulated, 10,000 draws)", seed, seed.length);
            if (beats.length > 0 && facts.length > 0) {
                System.out.printf(Locale.ROOT, "  median ratios: facts/heartbeat %.1fx, seed/heartbeat %.1fx; "
                        + "target heartbeat median <= 10 s, p99 <= 15 s%n", median(facts) / (double) median(beats),
                        median(seed) / (double) median(beats));
            }
            heartbeatCost(broker, monitor);
        }
    }

    private static final Duration BEAT = Duration.ofSeconds(1);

    /**
     * The seed's rule, simulated: Prometheus scrapes every 60 s (the node dies at a uniformly random
     * point of the scrape cycle, so the first failed scrape comes 0-60 s later), {@code up == 0}
     * must then hold for 5 min, and the rule is evaluated every 60 s (Prometheus's default
     * evaluation_interval; its phase is independent of the scrape's), so firing waits for the first
     * evaluation at or after the 5 min. Milliseconds, sorted.
     */
    static long[] seedRule(Random random, int draws) {
        long[] out = new long[draws];
        for (int i = 0; i < draws; i++) {
            long firstFailedScrape = (long) (random.nextDouble() * 60_000);
            long pendingLongEnough = firstFailedScrape + 300_000;
            long evaluationPhase = (long) (random.nextDouble() * 60_000);
            long firstEvaluation = evaluationPhase + 60_000 * (long) Math.ceil((pendingLongEnough - evaluationPhase) / 60_000.0);
            out[i] = firstEvaluation;
        }
        java.util.Arrays.sort(out);
        return out;
    }

    private static long[] latencies(List<String> nodes, Map<String, Instant> stoppedAt, Map<String, Instant> firedAt) {
        return nodes.stream().filter(firedAt::containsKey)
                .mapToLong(n -> Duration.between(stoppedAt.get(n), firedAt.get(n)).toMillis()).sorted().toArray();
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    /** Nearest rank: with 20 samples the 99th percentile is the largest. */
    private static long p99(long[] sorted) {
        return sorted[(int) Math.ceil(0.99 * sorted.length) - 1];
    }

    private static void report(String what, long[] millis, int expected) {
        if (millis.length < expected) {
            System.out.printf("  %s: only %d of %d NodeDown alerts fired within 3 min%n", what, millis.length, expected);
        }
        if (millis.length == 0) {
            return;
        }
        System.out.printf(Locale.ROOT, "  %-80s median %6.1f s  p99 %6.1f s  min %6.1f s  max %6.1f s  (n=%d)%n", what,
                median(millis) / 1000.0, p99(millis) / 1000.0, millis[0] / 1000.0, millis[millis.length - 1] / 1000.0,
                millis.length);
    }

    /**
     * What a heartbeat costs. Bytes: the node.heartbeat log's size on the broker over its record
     * count (the monitor's own beats included; same size). CPU: {@code count} beats sent one at a
     * time, each waiting for its acknowledgement, as an agent does: this JVM's CPU (the agent side:
     * encoding, the producer's I/O), the broker's (from /proc) and the monitor's (its
     * process_cpu_time), each less what the same span costs idle. Then per node per day, and for
     * 13 and 10,000 nodes.
     */
    private static void heartbeatCost(KafkaBroker broker, ServiceProcess monitor) throws Exception {
        int count = 3_000;
        System.out.printf(Locale.ROOT, "%n== heartbeat cost: %d beats, one at a time (acks=all), against idle%n", count);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        HttpClient http = HttpClient.newHttpClient();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        try (KafkaProducer<String, byte[]> agent = new KafkaProducer<>(p)) {
            agent.send(beatRecord("bench-cost", 0)).get();
            // Idle: nothing sent; what the three processes cost over a span like the measured one.
            double[] idle = cpu(broker, monitor, http, os);
            long idleStart = System.nanoTime();
            Thread.sleep(5_000);
            double[] idleEnd = cpu(broker, monitor, http, os);
            double idleSeconds = (System.nanoTime() - idleStart) / 1e9;
            double[] before = cpu(broker, monitor, http, os);
            long start = System.nanoTime();
            for (int i = 1; i <= count; i++) {
                agent.send(beatRecord("bench-cost", i)).get();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            double[] after = cpu(broker, monitor, http, os);
            String[] names = {"agent (sender JVM)", "broker", "monitor"};
            double[] perBeatMicros = new double[3];
            for (int k = 0; k < 3; k++) {
                double idleRate = (idleEnd[k] - idle[k]) / idleSeconds;
                perBeatMicros[k] = Math.max(0, (after[k] - before[k]) - idleRate * seconds) / count * 1e6;
            }
            System.out.printf(Locale.ROOT, "  %d beats in %.1f s (%.1f ms per round trip)%n", count, seconds,
                    seconds * 1000 / count);
            long bytes = logBytes(broker.bootstrapServers());
            long records = records(broker.bootstrapServers());
            double perBeat = records == 0 ? 0 : bytes / (double) records;
            System.out.printf(Locale.ROOT, "  on the broker: %,d bytes for %,d records: %.0f bytes per beat "
                    + "(one replica; x3 with replication factor 3)%n", bytes, records, perBeat);
            for (int k = 0; k < 3; k++) {
                System.out.printf(Locale.ROOT, "  CPU per beat, %-20s %6.0f µs%n", names[k], perBeatMicros[k]);
            }
            for (int nodes : new int[] {13, 10_000}) {
                System.out.printf(Locale.ROOT, "  %,6d nodes at 1 beat/s: %,.1f MiB/day written (one replica), %,.1f MiB held "
                        + "for the 1 h retention; CPU per node: agent %.3f %% of a core; fleet: broker %.2f %%, monitor %.2f %% "
                        + "of a core%n", nodes, perBeat * 86_400 * nodes / (1 << 20), perBeat * 3_600 * nodes / (1 << 20),
                        perBeatMicros[0] / 1e4, perBeatMicros[1] * nodes / 1e4, perBeatMicros[2] * nodes / 1e4);
            }
        }
    }

    /** CPU seconds so far of this JVM, the broker process and the monitor process. */
    private static double[] cpu(KafkaBroker broker, ServiceProcess monitor, HttpClient http,
                                com.sun.management.OperatingSystemMXBean os) throws Exception {
        return new double[] {os.getProcessCpuTime() / 1e9, procCpuSeconds(broker.pid()),
                value(scrape(http, monitor.baseUrl()), "process_cpu_time_ns_total") / 1e9};
    }

    /** utime + stime of a process from /proc/<pid>/stat, in seconds (USER_HZ 100). */
    private static double procCpuSeconds(long pid) throws java.io.IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    }

    private static long logBytes(String bootstrap) throws Exception {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            var brokers = admin.describeCluster().nodes().get().stream().map(org.apache.kafka.common.Node::id).toList();
            long total = 0;
            for (var perBroker : admin.describeLogDirs(brokers).allDescriptions().get().values()) {
                for (var dir : perBroker.values()) {
                    for (var e : dir.replicaInfos().entrySet()) {
                        if (e.getKey().topic().equals(Topics.NODE_HEARTBEAT)) {
                            total += e.getValue().size();
                        }
                    }
                }
            }
            return total;
        }
    }

    private static long records(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            var partitions = consumer.partitionsFor(Topics.NODE_HEARTBEAT).stream()
                    .map(i -> new org.apache.kafka.common.TopicPartition(Topics.NODE_HEARTBEAT, i.partition())).toList();
            Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
            return partitions.stream().mapToLong(tp -> end.get(tp) - begin.get(tp)).sum();
        }
    }

    private static ProducerRecord<String, byte[]> beatRecord(String node, long seq) {
        Instant now = Instant.now();
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.NODE_HEARTBEAT, null, 0L, node,
                EventCodec.encode(new net.goldentooth.events.heartbeat.NodeHeartbeat(node,
                        net.goldentooth.events.heartbeat.NodeHeartbeat.AGENT, seq, now, BEAT.toMillis(), 12L, 2L)));
        CloudEventHeaders.forEvent(Topics.NODE_HEARTBEAT, "//node-agent/" + node, now).forEach((k, v) -> record.headers().add(k, v));
        return record;
    }

    private static Map<String, Instant> awaitNodeDown(String bootstrap, java.util.Set<String> nodes, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + System.nanoTime());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        Map<String, Instant> fired = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.subscribe(List.of(Topics.ALERT_STATE));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (fired.size() < nodes.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    AlertState s = EventCodec.decode(r.value(), AlertState.class);
                    String node = s.labels().get("node");
                    if (s.alertName().equals("NodeDown") && s.phase() == AlertPhase.FIRING && nodes.contains(node)) {
                        fired.putIfAbsent(node, s.firedAt());
                    }
                }
            }
        }
        return fired;
    }

    /**
     * The monitor starts on an empty node.facts and is ready; then every fact is put on the topic at
     * once (encoded beforehand, so the burst is not limited by the benchmark's own JSON encoding) and
     * the monitor's facts counter is followed until all are folded, while it evaluates the rules every
     * second. The monitor reads only live records, so a start-up catch-up (or any re-read) cannot
     * make the count include records the burst did not put there.
     */
    private static void ingestion(String bootstrap, int nodes, int rounds, String jfr, boolean fullJit, Path logs)
            throws Exception {
        long total = (long) nodes * rounds;
        System.out.printf(Locale.ROOT, "%n== facts ingestion, %,d simulated nodes x %d rounds = %,d facts%n", nodes, rounds,
                total);
        Instant base = Instant.now().minusSeconds(rounds);
        List<ProducerRecord<String, byte[]>> burst = new java.util.ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            for (int n = 0; n < nodes; n++) {
                burst.add(record("bench-node-" + n, base.plusSeconds(round)));
            }
        }
        List<String> jvm = new java.util.ArrayList<>(List.of("-Xmx1g"));
        if (jfr != null) {
            jvm.add("-XX:StartFlightRecording=filename=" + Path.of(jfr).toAbsolutePath() + ",settings=profile");
        }
        if (fullJit) {
            // Comes after ServiceProcess's -XX:TieredStopAtLevel=1, so it wins.
            jvm.add("-XX:TieredStopAtLevel=4");
        }
        System.out.printf(Locale.ROOT, "  monitor JVM: %s%n",
                fullJit ? "full tiered JIT (C1+C2)" : "C1 only, as tests and ./goldentooth up run it");
        try (ServiceProcess monitor = ServiceProcess.start("monitor-ingestion", "monitor-service", jvm,
                Map.of("kafka.bootstrap.servers", bootstrap), logs);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            HttpClient http = HttpClient.newHttpClient();
            String atStart = scrape(http, monitor.baseUrl());
            double before = value(atStart, "goldentooth_monitor_facts_ingested_total");
            double cpuBefore = value(atStart, "process_cpu_time_ns_total");
            long sendStart = System.nanoTime();
            Thread writer = new Thread(() -> {
                burst.forEach(producer::send);
                producer.flush();
                System.out.printf(Locale.ROOT, "  written to node.facts in %.1f s (%,.0f facts/s offered)%n",
                        (System.nanoTime() - sendStart) / 1e9, total / ((System.nanoTime() - sendStart) / 1e9));
            }, "bench-writer");
            writer.start();
            double ingested = 0;
            String metrics = atStart;
            int scrapes = 0;
            long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
            while (ingested < total && System.nanoTime() < deadline) {
                // A scrape renders every series (over 100,000 with 10,000 nodes) and costs the monitor
                // about as much CPU as tens of thousands of facts: scrape rarely (as Prometheus would),
                // and often only when the end is near, from the rate so far.
                double elapsed = (System.nanoTime() - sendStart) / 1e9;
                double rate = ingested / Math.max(elapsed, 0.001);
                double remaining = rate > 0 ? (total - ingested) / rate : 5;
                Thread.sleep((long) (1000 * Math.max(0.25, Math.min(5, remaining / 2))));
                metrics = scrape(http, monitor.baseUrl());
                scrapes++;
                ingested = value(metrics, "goldentooth_monitor_facts_ingested_total") - before;
            }
            long end = System.nanoTime();
            writer.join();
            double seconds = (end - sendStart) / 1e9;
            System.out.printf(Locale.ROOT, "  folded %,.0f facts in %.1f s from the start of the burst: %,.0f facts/s "
                    + "(target 20,000); ratio to target %.2f (%d scrapes)%n", ingested, seconds, ingested / seconds,
                    ingested / seconds / 20_000, scrapes);
            // CPU time the monitor process spent over the same span: what a fact costs, whatever else
            // the machine was doing (the rate above is what this machine's load left the monitor).
            double cpuSeconds = (value(metrics, "process_cpu_time_ns_total") - cpuBefore) / 1e9;
            if (cpuSeconds > 0) {
                System.out.printf(Locale.ROOT, "  monitor CPU over that span: %.1f s (%.0f%% of one core), %.0f µs per "
                        + "fact, %,.0f facts per CPU-second%n", cpuSeconds, 100 * cpuSeconds / seconds,
                        cpuSeconds * 1e6 / ingested, ingested / cpuSeconds);
            }
            if (ingested < total) {
                System.out.printf(Locale.ROOT, "  only %,.0f of %,d facts folded within 10 min%n", ingested, total);
            }
        }
    }

    private static String scrape(HttpClient http, String base) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** A counter's value in a Prometheus scrape; 0 when the scrape does not carry it. */
    private static double value(String metrics, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+]+)$").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(256 * 1024));
        // Plain at-least-once is enough for synthetic facts; an idempotent producer that outruns a
        // two-core broker resets its sequence numbers and stalls instead of retrying.
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
        p.put(ProducerConfig.ACKS_CONFIG, "1");
        return new KafkaProducer<>(p);
    }

    private static void send(KafkaProducer<String, byte[]> producer, String node, Instant at) {
        producer.send(record(node, at));
    }

    private static ProducerRecord<String, byte[]> record(String node, Instant at) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(Topics.NODE_FACTS, node, EventCodec.encode(facts(node, at)));
        CloudEventHeaders.forEvent(Topics.NODE_FACTS, "//bench/" + node, at).forEach((k, v) -> record.headers().add(k, v));
        return record;
    }

    private static NodeFacts facts(String node, Instant at) {
        return new NodeFacts(node, at, 1, "bench", null,
                Section.fresh(new NodeFacts.Network(List.of(), "eth0", "10.4.0.1"), at),
                Section.fresh(new NodeFacts.Thermal(48.0, 1_800_000L, "0x0", List.of()), at),
                Section.fresh(new NodeFacts.Load(0.3, 0.2, 0.1, 4), at),
                Section.fresh(new NodeFacts.Memory(8_000_000_000L, 6_000_000_000L, 0, 0), at),
                Section.fresh(List.of(new NodeFacts.Filesystem("/", "/dev/mmcblk0p2", "ext4", 64_000_000_000L,
                        32_000_000_000L)), at),
                Section.fresh(new NodeFacts.TimeSync(true, 0.001, "timedatectl"), at), null, null, null);
    }

    private MonitorBench() {
    }
}
