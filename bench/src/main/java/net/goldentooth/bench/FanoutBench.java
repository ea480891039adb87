package net.goldentooth.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.Task;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bench/fanout}: the job path end to end, on this machine, with every part real.
 *
 * <ol>
 *   <li>13 agents with the seed's node names, each its own process; {@code command all uptime}
 *       submitted over REST and followed over SSE to its terminal status, as the CLI does; p50 and
 *       p99 over the runs. A few runs of the real {@code ./goldentooth} command add the CLI's JVM
 *       start-up on top.</li>
 *   <li>The same job over N simulated nodes hosted by one agent process: time until the last result
 *       is folded into the job, and the dispatch rate (signed tasks on {@code job.tasks} per second).</li>
 * </ol>
 */
public final class FanoutBench {

    static final List<String> SEED_NODES = List.of("allyrion", "bettley", "cargyll", "dalt", "erenford", "fenn",
            "gardener", "harlton", "inchfield", "jast", "karstark", "lipps", "velaryon");

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = EventCodec.newMapper();

    /**
     * @param sshRuns runs of the side-by-side comparison with GNU parallel + ssh and Ansible; 0 skips it
     * @param idleMillis a pause before each measured job of the 13-agent section: jobs after idle, as
     *                   the comparison's agent path sees them (0: back to back)
     */
    record Options(int runs, int warmup, int cliRuns, List<Integer> scales, int sshRuns, int idleMillis) {
        static Options parse(String[] args) {
            int runs = 200;
            int warmup = 20;
            int cliRuns = 10;
            List<Integer> scales = List.of(1_000, 10_000);
            int sshRuns = 20;
            int idleMillis = 0;
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--runs" -> runs = positive(args[i], value);
                    case "--warmup" -> warmup = positive(args[i], value);
                    case "--cli-runs" -> cliRuns = Integer.parseInt(value);
                    case "--ssh-runs" -> sshRuns = Integer.parseInt(value);
                    case "--idle-ms" -> idleMillis = positive(args[i], value);
                    case "--scale" -> scales = value.isBlank() ? List.of()
                            : Arrays.stream(value.split(",")).map(s -> positive("--scale", s.trim())).toList();
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --runs N --warmup N --cli-runs N --scale N,N,... --ssh-runs N --idle-ms N");
                }
                i++;
            }
            return new Options(runs, warmup, cliRuns, scales, sshRuns, idleMillis);
        }

        private static int positive(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException | NullPointerException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a positive number, got '" + value + "'");
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("fanout: " + e.getMessage());
            System.exit(2);
            return;
        }
        try (KafkaBroker broker = KafkaBroker.start()) {
            System.out.printf(Locale.ROOT, "machine: %d cores, java %s%n", Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.version"));
            latency(broker.bootstrapServers(), options);
            if (options.sshRuns() > 0) {
                SshComparison.run(broker.bootstrapServers(), options.sshRuns(), options.warmup());
            }
            for (int nodes : options.scales()) {
                scale(broker.bootstrapServers(), nodes);
            }
        }
    }

    private static void latency(String bootstrap, Options options) throws Exception {
        System.out.printf("%n== command all uptime, 13 agents (one process each, seed node names)%n");
        try (LocalCluster cluster = LocalCluster.builder(bootstrap, SEED_NODES)
                .agentJvm(agentJvm()).start();
             JobPathTrace trace = new JobPathTrace(bootstrap)) {
            for (int i = 0; i < options.warmup(); i++) {
                runAndFollow(cluster, "uptime");
            }
            long[] micros = new long[options.runs()];
            int failed = 0;
            CpuShares cpu = CpuShares.start();
            for (int i = 0; i < options.runs(); i++) {
                Thread.sleep(options.idleMillis());
                long submitted = System.currentTimeMillis();
                long start = System.nanoTime();
                JobStatus done = runAndFollow(cluster, "uptime");
                micros[i] = (System.nanoTime() - start) / 1_000;
                trace.client(done.jobId(), submitted, System.currentTimeMillis());
                if (done.state() != JobState.SUCCEEDED || done.targets().size() != SEED_NODES.size()) {
                    failed++;
                }
            }
            Arrays.sort(micros);
            System.out.printf(Locale.ROOT, "REST+SSE end to end over %d runs (%d not all-succeeded): "
                            + "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                    options.runs(), failed, pct(micros, 50), pct(micros, 90), pct(micros, 99),
                    micros[micros.length - 1] / 1000.0);
            System.out.printf("target: p50 <= 150 ms, p99 <= 500 ms%n");
            trace.print();
            cpu.print(options.runs(), SEED_NODES.size());
            cliRuns(cluster, options.cliRuns());
        }
    }

    /**
     * The 13 agents' JVM options: the ones the .deb ships ({@code JAVA_OPTS}, so the agents measured
     * are the agents installed), plus {@code FANOUT_AGENT_JVM_OPTIONS} (e.g.
     * {@code -XX:StartFlightRecording=filename=/tmp/jfr/} to profile every agent).
     */
    static List<String> agentJvm() throws IOException {
        List<String> options = new ArrayList<>(AgentFootprintBench.shippedJvmOptions(KafkaBroker.projectRoot()));
        String extra = System.getenv("FANOUT_AGENT_JVM_OPTIONS");
        if (extra != null && !extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    /** The real {@code goldentooth} command, JVM start-up included. */
    private static void cliRuns(LocalCluster cluster, int runs) throws Exception {
        Path script = KafkaBroker.projectRoot().resolve("goldentooth");
        if (runs <= 0 || !Files.exists(KafkaBroker.projectRoot().resolve("cli/target/goldentooth-cli.jar"))) {
            System.out.println("CLI process runs: skipped (cli/target/goldentooth-cli.jar not built)");
            return;
        }
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Process cli = new ProcessBuilder(script.toString(), "--provisioner", cluster.provisioner().baseUrl(),
                    "command", "all", "uptime").redirectErrorStream(true).start();
            byte[] output = cli.getInputStream().readAllBytes();
            int rc = cli.waitFor();
            micros[i] = (System.nanoTime() - start) / 1_000;
            if (rc != 0) {
                System.out.println("CLI run failed with exit " + rc + ":\n" + new String(output, StandardCharsets.UTF_8));
            }
        }
        Arrays.sort(micros);
        System.out.printf(Locale.ROOT, "./goldentooth command all uptime (new JVM each run) over %d runs: "
                + "p50 %.1f ms, max %.1f ms%n", runs, pct(micros, 50), micros[runs - 1] / 1000.0);
    }

    private static void scale(String bootstrap, int nodes) throws Exception {
        System.out.printf("%n== command all uptime, %,d simulated nodes in one agent process%n", nodes);
        List<String> names = IntStream.rangeClosed(1, nodes).mapToObj(i -> String.format("sim-%05d", i)).toList();
        try (LocalCluster cluster = LocalCluster.builder(bootstrap, names)
                .oneAgentForAll()
                .agentJvm(List.of("-Xmx1g"))
                .provisionerJvm(List.of("-Xmx1g"))
                .provisioner(Map.of("goldentooth.provisioner.accept-deadline", "120s"))
                .start();
             KafkaConsumer<String, byte[]> tasks = taskWatcher(bootstrap)) {
            JobRequest request = new JobRequest(null, JobKind.COMMAND, "all", "uptime", null, 300, null, false,
                    "bench");
            Instant submitted = Instant.now();
            long start = System.nanoTime();
            JobStatus job = cluster.submit(request);
            long[] dispatch = dispatchWindow(tasks, job.jobId(), nodes, submitted);
            JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - start) / 1e9;
            long succeeded = done.targets().values().stream().filter(t -> t.state() == TargetState.SUCCEEDED).count();
            double dispatchSeconds = Math.max(dispatch[1] - dispatch[0], 1) / 1000.0;
            System.out.printf(Locale.ROOT, "last result folded after %.2f s (%d of %d succeeded, job %s)%n", seconds,
                    succeeded, nodes, done.state().wire());
            System.out.printf(Locale.ROOT, "dispatch: %d signed tasks on job.tasks within %.3f s of the request: "
                    + "%.0f tasks/s%n", dispatch[2], (dispatch[1] - submitted.toEpochMilli()) / 1000.0,
                    dispatch[2] / ((dispatch[1] - submitted.toEpochMilli()) / 1000.0));
            System.out.printf(Locale.ROOT, "first to last task record: %.3f s%n", dispatchSeconds);
            System.out.printf("target: <= 2 s for 10,000 nodes%n");
        }
    }

    private static KafkaConsumer<String, byte[]> taskWatcher(String bootstrap) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = IntStream.range(0, Topics.NODE_ROUTED_PARTITIONS)
                .mapToObj(i -> new TopicPartition(Topics.JOB_TASKS, i)).toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    /** {first task timestamp, last task timestamp, count} of the job's records on job.tasks. */
    private static long[] dispatchWindow(KafkaConsumer<String, byte[]> consumer, String jobId, int expected,
                                         Instant submitted) {
        long first = Long.MAX_VALUE;
        long last = 0;
        long count = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (count < expected && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                Task task = EventCodec.taskOf(EventCodec.decode(record.value(), SignedTask.class));
                if (jobId.equals(task.jobId())) {
                    first = Math.min(first, record.timestamp());
                    last = Math.max(last, record.timestamp());
                    count++;
                }
            }
        }
        return new long[] {first == Long.MAX_VALUE ? submitted.toEpochMilli() : first, last, count};
    }

    /** POST /jobs, then GET /jobs/{id}/events until the server closes the stream after the terminal status. */
    static JobStatus runAndFollow(LocalCluster cluster, String command) throws IOException, InterruptedException {
        return runAndFollow(cluster, "all", command, false);
    }

    /** As {@link #runAndFollow(LocalCluster, String)} on {@code pattern}, optionally with the SSH fallback. */
    static JobStatus runAndFollow(LocalCluster cluster, String pattern, String command, boolean ssh)
            throws IOException, InterruptedException {
        JobRequest request = new JobRequest(null, JobKind.COMMAND, pattern, command, null, 30, null, ssh, "bench");
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(
                        URI.create(cluster.provisioner().baseUrl() + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(request))).build(),
                HttpResponse.BodyHandlers.ofString());
        if (created.statusCode() != 201) {
            throw new IllegalStateException("POST /jobs answered " + created.statusCode() + ": " + created.body());
        }
        String jobId = JSON.readValue(created.body(), JobStatus.class).jobId();
        HttpResponse<java.util.stream.Stream<String>> events = HTTP.send(HttpRequest.newBuilder(
                        URI.create(cluster.provisioner().baseUrl() + "/jobs/" + jobId + "/events"))
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofLines());
        JobStatus last = null;
        String event = "message";
        List<String> data = new ArrayList<>();
        Iterator<String> lines = events.body().iterator();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if ("status".equals(event) && !data.isEmpty()) {
                    last = JSON.readValue(String.join("\n", data), JobStatus.class);
                    if (last.state().terminal()) {
                        break;
                    }
                }
                event = "message";
                data.clear();
            } else if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.add(line.substring(5).startsWith(" ") ? line.substring(6) : line.substring(5));
            }
        }
        events.body().close();
        if (last == null || !last.state().terminal()) {
            throw new IllegalStateException("the event stream of " + jobId + " ended before a terminal status");
        }
        return last;
    }

    static double pct(long[] sortedMicros, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sortedMicros.length) - 1;
        return sortedMicros[Math.max(0, Math.min(index, sortedMicros.length - 1))] / 1000.0;
    }

    private FanoutBench() {
    }
}
