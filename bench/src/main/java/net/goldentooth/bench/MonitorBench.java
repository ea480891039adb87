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
 *     for N simulated agents publishing every 15 s (the default), each silenced at a random
 *     point of its interval; the median beside the seed's bound (5 min {@code for} + 60 s scrape);</li>
 * <li>facts ingestion: 10,000 simulated nodes' facts, several rounds, put on {@code node.facts}
 *     in one burst while the monitor runs; the rate at which the monitor folds them while it
 *     evaluates the rules every second over all 10,000 nodes.</li>
 * </ol>
 */
public final class MonitorBench {

    private static final Duration SEED_BOUND = Duration.ofMinutes(5).plusSeconds(60);
    private static final Duration INTERVAL = Duration.ofSeconds(15);

    /**
     * Options: --runs N (0 skips the detection phase), --nodes N, --rounds N, --jfr FILE (records the
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
                detection(broker.bootstrapServers(), runs, logs);
            }
        }
        try (KafkaBroker broker = KafkaBroker.start()) {
            ingestion(broker.bootstrapServers(), nodes, rounds, jfr, fullJit, logs);
        }
    }

    private static void detection(String bootstrap, int runs, Path logs) throws Exception {
        System.out.printf(Locale.ROOT, "%n== NodeDown detection, %d simulated agents, facts every %d s%n", runs,
                INTERVAL.toSeconds());
        try (ServiceProcess monitor = ServiceProcess.start("monitor-detection", "monitor-service",
                Map.of("kafka.bootstrap.servers", bootstrap), logs);
             KafkaProducer<String, byte[]> producer = producer(bootstrap)) {
            ScheduledExecutorService agents = Executors.newScheduledThreadPool(4);
            Map<String, ScheduledFuture<?>> running = new ConcurrentHashMap<>();
            Random random = new Random(42);
            for (int i = 0; i < runs; i++) {
                String node = "bench-detect-" + i;
                running.put(node, agents.scheduleAtFixedRate(() -> send(producer, node, Instant.now()),
                        random.nextInt((int) INTERVAL.toMillis()), INTERVAL.toMillis(), TimeUnit.MILLISECONDS));
            }
            Thread.sleep(INTERVAL.multipliedBy(2).toMillis());
            Map<String, Instant> stoppedAt = new ConcurrentHashMap<>();
            for (String node : running.keySet()) {
                // Silence each agent at a random point of its interval, as a kill would.
                Thread.sleep(random.nextInt((int) INTERVAL.toMillis() / runs + 1));
                running.get(node).cancel(false);
                stoppedAt.put(node, Instant.now());
            }
            Map<String, Instant> firedAt = awaitNodeDown(bootstrap, stoppedAt.keySet(), Duration.ofMinutes(3));
            agents.shutdownNow();
            long[] millis = stoppedAt.keySet().stream().filter(firedAt::containsKey)
                    .mapToLong(n -> Duration.between(stoppedAt.get(n), firedAt.get(n)).toMillis()).sorted().toArray();
            if (millis.length < runs) {
                System.out.printf("  only %d of %d NodeDown alerts fired within 3 min%n", millis.length, runs);
            }
            if (millis.length == 0) {
                return;
            }
            long median = millis[millis.length / 2];
            System.out.printf(Locale.ROOT, "  detection: median %.1f s, min %.1f s, max %.1f s over %d runs%n",
                    median / 1000.0, millis[0] / 1000.0, millis[millis.length - 1] / 1000.0, millis.length);
            System.out.printf(Locale.ROOT, "  seed bound (InstanceDown for 5 min + 60 s scrape): %d s; ratio %.1fx faster%n",
                    SEED_BOUND.toSeconds(), SEED_BOUND.toMillis() / (double) median);
        }
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
