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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;

/**
 * {@code bench/fanout}: the job path end to end, on this machine, with every part real.
 *
 * <ol>
 *   <li>13 agents with the seed's node names, each its own process; {@code command all uptime}
 *       submitted over REST and followed over SSE to its terminal status, as the CLI does; p50 and
 *       p99 over the runs. A few runs of the real {@code ./goldentooth} command add the CLI's JVM
 *       start-up on top.</li>
 *   <li>The same job over N simulated nodes hosted by one agent process, followed on SSE: time until
 *       the last result is folded and read, with its stages and CPU per process. The simulated
 *       nodes answer in-process (no fork: the control plane's own cost) and, beside it, by forking
 *       {@code uptime} per target.</li>
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
    record Options(int runs, int warmup, int cliRuns, List<Integer> scales, int sshRuns, int idleMillis,
                   List<Executor> executors, int scaleRuns, int scaleWarmup, Path jfrDir, Path baseline,
                   List<Integer> instances) {
        static Options parse(String[] args) {
            int runs = 200;
            int warmup = 20;
            int cliRuns = 10;
            List<Integer> scales = List.of(1_000, 10_000);
            int sshRuns = 20;
            int idleMillis = 0;
            List<Executor> executors = List.of(Executor.IN_PROCESS, Executor.FORK);
            int scaleRuns = 5;
            int scaleWarmup = 2;
            Path jfrDir = null;
            Path baseline = null;
            List<Integer> instances = List.of(1);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--runs" -> runs = nonNegative(args[i], value);
                    case "--warmup" -> warmup = positive(args[i], value);
                    case "--cli-runs" -> cliRuns = Integer.parseInt(value);
                    case "--ssh-runs" -> sshRuns = Integer.parseInt(value);
                    case "--idle-ms" -> idleMillis = positive(args[i], value);
                    case "--scale" -> scales = value.isBlank() ? List.of()
                            : Arrays.stream(value.split(",")).map(s -> positive("--scale", s.trim())).toList();
                    case "--executors" -> executors = value == null || value.isBlank()
                            ? List.of() : Arrays.stream(value.split(",")).map(Executor::parse).distinct().toList();
                    case "--instances" -> instances = value == null || value.isBlank() ? List.of()
                            : Arrays.stream(value.split(",")).map(s -> positive("--instances", s.trim())).distinct()
                            .toList();
                    case "--scale-runs" -> scaleRuns = positive(args[i], value);
                    case "--scale-warmup" -> scaleWarmup = nonNegative(args[i], value);
                    case "--jfr" -> {
                        if (value == null || value.isBlank() || !Files.isDirectory(Path.of(value))) {
                            throw new IllegalArgumentException("--jfr needs an existing directory, got '" + value + "'");
                        }
                        jfrDir = Path.of(value);
                    }
                    case "--baseline" -> {
                        if (value == null || !Files.isRegularFile(Path.of(value, "target/quarkus-app/quarkus-run.jar"))) {
                            throw new IllegalArgumentException("--baseline needs a directory holding an earlier "
                                    + "provisioner build in target/quarkus-app, got '" + value + "'");
                        }
                        baseline = Path.of(value).toAbsolutePath();
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --runs N --warmup N --cli-runs N --scale N,N,... --executors in-process,fork "
                            + "--instances N,N --scale-runs N --scale-warmup N --jfr DIR --baseline DIR --ssh-runs N "
                            + "--idle-ms N");
                }
                i++;
            }
            if (executors.isEmpty()) {
                throw new IllegalArgumentException("--executors needs in-process, fork or both");
            }
            if (instances.isEmpty()) {
                throw new IllegalArgumentException("--instances needs provisioner instance counts, e.g. 1,2,3");
            }
            if (jfrDir != null && instances.stream().anyMatch(n -> n > 1)) {
                throw new IllegalArgumentException("--jfr records one provisioner per scale: use it with --instances 1");
            }
            return new Options(runs, warmup, cliRuns, scales, sshRuns, idleMillis, executors, scaleRuns, scaleWarmup,
                    jfrDir, baseline, instances);
        }

        private static int nonNegative(String option, String value) {
            try {
                int n = Integer.parseInt(value);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException | NullPointerException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs a number >= 0, got '" + value + "'");
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
            if (options.runs() > 0) {
                latency(broker.bootstrapServers(), options);
            }
            if (options.sshRuns() > 0) {
                SshComparison.run(broker.bootstrapServers(), options.sshRuns(), options.warmup());
            }
            List<ScaleResult> results = new ArrayList<>();
            for (int nodes : options.scales()) {
                for (Executor executor : options.executors()) {
                    if (options.baseline() != null && executor == Executor.IN_PROCESS) {
                        results.add(scaleOnItsOwnBroker(nodes, executor, 1, options, options.baseline()));
                    }
                    // Forking 10,000 processes measures the machine, not the provisioner: once, with the first count.
                    List<Integer> counts = executor == Executor.FORK ? options.instances().subList(0, 1)
                            : options.instances();
                    for (int instances : counts) {
                        results.add(scaleOnItsOwnBroker(nodes, executor, instances, options, null));
                    }
                }
            }
            scaleTable(results);
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

    /** How the simulated nodes answer: without a process (the control plane's own cost), or forking each command. */
    enum Executor {
        IN_PROCESS("in-process", "executor: in-process (no fork) — control-plane cost: signing, dispatch, broker, "
                + "admission, signature check, ledger, progress, fold, status, SSE"),
        FORK("fork", "executor: fork per task — every target forks `uptime` on this machine's 2 cores");

        final String wire;
        final String label;

        Executor(String wire, String label) {
            this.wire = wire;
            this.label = label;
        }

        static Executor parse(String value) {
            for (Executor e : values()) {
                if (e.wire.equals(value.trim())) {
                    return e;
                }
            }
            throw new IllegalArgumentException("--executors takes in-process and/or fork, got '" + value + "'");
        }
    }

    /** Task slots of the agent hosting the simulated nodes when they answer in-process (the agent's default: 8). */
    static final int IN_PROCESS_SLOTS = 64;

    /** The figures of one scale and executor. */
    record ScaleResult(int nodes, Executor executor, int instances, String build, long[] sortedMillis,
                       long succeeded) {
    }

    /**
     * {@code command all uptime} over N simulated nodes hosted by one agent process, followed on SSE
     * as the CLI does: submit → every target's result folded → terminal status read on SSE, with
     * the stages of the median job and the CPU per job of each process.
     */
    private static ScaleResult scale(String bootstrap, int nodes, Executor executor, int instances, Options options,
                                     Path build) throws Exception {
        String buildName = build == null ? "current" : "baseline";
        int warmup = executor == Executor.FORK ? 0 : options.scaleWarmup();
        int runs = executor == Executor.FORK ? 1 : options.scaleRuns();
        System.out.printf(Locale.ROOT, "%n== command all uptime, %,d simulated nodes in one agent process%n", nodes);
        System.out.println(executor.label);
        if (executor == Executor.IN_PROCESS) {
            System.out.printf("the agent hosting them has %d task slots (max-concurrent-tasks; default 8)%n",
                    IN_PROCESS_SLOTS);
        }
        System.out.println("provisioner build: " + (build == null ? "current (this checkout)" : "baseline " + build));
        System.out.printf(Locale.ROOT, "%d warm-up job(s), then %d measured, back to back; provisioner instances: %d "
                + "(group provisioner; jobs are submitted to the first, which owns what it creates)%n", warmup, runs,
                instances);
        List<String> names = IntStream.rangeClosed(1, nodes).mapToObj(i -> String.format("sim-%05d", i)).toList();
        LocalCluster.Builder builder = LocalCluster.builder(bootstrap, names)
                .oneAgentForAll()
                .agentJvm(jvm(options, "-Xmx1g", "agent-" + nodes + "-" + executor.wire + "-" + buildName))
                .provisionerJvm(jvm(options, "-Xmx1g", "provisioner-" + nodes + "-" + executor.wire + "-" + buildName))
                .provisioner(Map.of("goldentooth.provisioner.accept-deadline", "120s"))
                .provisioners(instances)
                .agents(executor == Executor.IN_PROCESS
                        // One process stands in for N agents of 8 task slots each: with 8 slots in all,
                        // its ledger would force one started-mark fsync per 8 of the N targets.
                        ? Map.of("goldentooth.agent.simulated-executor", executor.wire,
                                "goldentooth.agent.max-concurrent-tasks", Integer.toString(IN_PROCESS_SLOTS))
                        : Map.of("goldentooth.agent.simulated-executor", executor.wire));
        if (build != null) {
            builder.provisionerBuild(build);
        }
        try (LocalCluster cluster = builder.start();
             JobPathTrace trace = new JobPathTrace(bootstrap)) {
            for (int i = 0; i < warmup; i++) {
                JobStatus done = runAndFollow(cluster, "all", "uptime", false);
                System.out.printf(Locale.ROOT, "  warm-up %d: %s%n", i + 1, done.state().wire());
            }
            long[] millis = new long[runs];
            long succeeded = Long.MAX_VALUE;
            CpuShares cpu = CpuShares.start();
            for (int i = 0; i < runs; i++) {
                long submitted = System.currentTimeMillis();
                long start = System.nanoTime();
                JobStatus done = runAndFollow(cluster, "all", "uptime", false);
                millis[i] = (System.nanoTime() - start) / 1_000_000;
                trace.client(done.jobId(), submitted, System.currentTimeMillis());
                long ok = done.targets().values().stream().filter(t -> t.state() == TargetState.SUCCEEDED).count();
                succeeded = Math.min(succeeded, ok);
                System.out.printf(Locale.ROOT, "  job %d: %,d ms to the terminal status on SSE, %,d of %,d succeeded%n",
                        i + 1, millis[i], ok, nodes);
            }
            Arrays.sort(millis);
            System.out.printf(Locale.ROOT, "submit -> last result folded -> read on SSE: median %,d ms, min %,d ms, "
                    + "max %,d ms over %d job(s)%n", millis[runs / 2], millis[0], millis[runs - 1], runs);
            System.out.printf("target (in-process): <= 500 ms at 1,000 nodes, <= 2 s at 10,000%n");
            trace.print();
            cpu.print(runs, nodes);
            return new ScaleResult(nodes, executor, instances, buildName, millis, succeeded);
        }
    }

    /**
     * Each scale on a fresh broker: a provisioner replays {@code job.status} when it starts, and the
     * statuses of an earlier 10,000-target run (about 1.5 MB each) would make it replay gigabytes.
     */
    private static ScaleResult scaleOnItsOwnBroker(int nodes, Executor executor, int instances, Options options,
                                                   Path build) throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            return scale(broker.bootstrapServers(), nodes, executor, instances, options, build);
        }
    }

    /** The scale section's table: each scale's executors side by side. */
    private static void scaleTable(List<ScaleResult> results) {
        if (results.isEmpty()) {
            return;
        }
        System.out.printf("%n== simulated nodes, side by side (submit -> terminal status read on SSE)%n");
        for (ScaleResult r : results) {
            System.out.printf(Locale.ROOT, "  %,7d nodes  %-10s %-8s %d provisioner(s)  median %,8d ms  "
                            + "(%d job(s), fewest succeeded %,d)%n",
                    r.nodes(), r.executor().wire, r.build(), r.instances(), r.sortedMillis()[r.sortedMillis().length / 2],
                    r.sortedMillis().length, r.succeeded());
        }
    }

    /** {@code base} plus a flight recording into {@code --jfr DIR}/{@code name}.jfr when asked for. */
    private static List<String> jvm(Options options, String base, String name) {
        List<String> jvm = new ArrayList<>(List.of(base));
        if (options.jfrDir() != null) {
            jvm.add("-XX:StartFlightRecording=settings=profile,filename="
                    + options.jfrDir().resolve(name + ".jfr").toAbsolutePath());
        }
        return jvm;
    }

    /** POST /jobs, then GET /jobs/{id}/events until the server closes the stream after the terminal status. */
    static JobStatus runAndFollow(LocalCluster cluster, String command) throws IOException, InterruptedException {
        return runAndFollow(cluster, "all", command, false);
    }

    /** As {@link #runAndFollow(LocalCluster, String)} on {@code pattern}, optionally with the SSH fallback. */
    static JobStatus runAndFollow(LocalCluster cluster, String pattern, String command, boolean ssh)
            throws IOException, InterruptedException {
        JobRequest request = new JobRequest(null, JobKind.COMMAND, pattern, command, null, 30, null, ssh, "bench");
        HttpResponse<String> created;
        // 503: with several instances, the first owns no partition while the group rebalances.
        for (int attempt = 1; ; attempt++) {
            created = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.provisioner().baseUrl() + "/jobs"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(request))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (created.statusCode() != 503 || attempt == 100) {
                break;
            }
            Thread.sleep(200);
        }
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
