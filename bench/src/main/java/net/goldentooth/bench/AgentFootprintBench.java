package net.goldentooth.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * {@code bench/agent-footprint}: one real node agent, started as the .deb starts it (its launcher,
 * with the class-data-sharing archive that a first start wrote when it stopped, and the JVM flags
 * the .deb ships: {@code JAVA_OPTS} of deploy/node-agent-deb's {@code /etc/default/goldentooth-agent}),
 * on a real broker, beside Debian's {@code prometheus-node-exporter} in the same run. {@code --jar}
 * starts {@code java -jar} instead (with {@code --appcds}, a dynamic archive of its own).
 *
 * <ol>
 *   <li>Start-up: from spawning the process to the first {@code node.facts} record on the broker
 *       (agent), or to the first HTTP 200 from {@code /metrics} (node_exporter).</li>
 *   <li>Load: {@code --jobs} signed tasks ({@code uptime}), one a second, each awaited to FINISHED;
 *       facts are published at the agent's defaults (gathered every 5 s, sent every 15 s).</li>
 *   <li>Idle: the rest of {@code --duration}; CPU is utime+stime from /proc/pid/stat over that
 *       window, extrapolated to an hour. node_exporter is scraped every 15 s meanwhile (what
 *       Prometheus would do; the agent's equivalent work is its facts round).</li>
 *   <li>RSS (VmRSS) at the end, and the peak (VmHWM).</li>
 * </ol>
 */
public final class AgentFootprintBench {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String NODE = "footprint";
    private static final Path JVM_OPTIONS = Path.of("deploy/node-agent-deb/src/deb/etc/default/goldentooth-agent");
    private static final Path LAUNCHER = Path.of("deploy/node-agent-deb/src/deb/bin/run");

    record Options(Duration duration, int jobs, int agentPort, int exporterPort, int brokerPort, List<String> jvm,
                   boolean appCds, Path agentJar, boolean plainJar, List<String> compareChecks, Duration interval) {
        static Options parse(String[] args, Path root) throws IOException {
            Duration duration = Duration.ofMinutes(10);
            int jobs = 100;
            int agentPort = 24110;
            int exporterPort = 24100;
            int brokerPort = 0;
            Path agentJar = root.resolve("node-agent/target/quarkus-app/quarkus-run.jar");
            List<String> jvm = null;
            boolean appCds = false;
            boolean plainJar = false;
            List<String> compareChecks = null;
            Duration interval = Duration.ofSeconds(15);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--duration" -> duration = parseDuration(value);
                    case "--jobs" -> jobs = Integer.parseInt(value);
                    case "--agent-port" -> agentPort = Integer.parseInt(value);
                    case "--exporter-port" -> exporterPort = Integer.parseInt(value);
                    case "--broker-port" -> brokerPort = Integer.parseInt(value);
                    case "--agent-jar" -> agentJar = Path.of(value).toAbsolutePath();
                    case "--jvm-options" -> jvm = Arrays.asList(value.trim().split("\\s+"));
                    case "--compare-checks" -> compareChecks = Arrays.asList(value.trim().split("\\s*,\\s*"));
                    case "--interval" -> interval = parseDuration(value);
                    case "--appcds" -> {
                        appCds = true;
                        i--;
                    }
                    case "--jar" -> {
                        plainJar = true;
                        i--;
                    }
                    default -> throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: "
                            + "--duration 10m --jobs 100 --agent-port 24110 --exporter-port 24100 --broker-port (free) --jvm-options '...' --jar --appcds "
                            + "--agent-jar node-agent/target/quarkus-app/quarkus-run.jar --compare-checks ports,haproxy,... --interval 15s");
                }
                i++;
            }
            if (!plainJar && !appCds && !agentJar.getFileName().toString().equals("quarkus-run.jar")) {
                throw new IllegalArgumentException("the launcher runs a fast-jar (quarkus-run.jar); for " + agentJar
                        + " add --jar");
            }
            if (compareChecks != null && (compareChecks.isEmpty() || compareChecks.get(0).isEmpty())) {
                throw new IllegalArgumentException("--compare-checks needs a list of checks, e.g. ports,haproxy,consul");
            }
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("--interval must be positive, was " + interval);
            }
            return new Options(duration, jobs, agentPort, exporterPort, brokerPort,
                    jvm != null ? jvm : shippedJvmOptions(root), appCds, agentJar, plainJar || appCds,
                    compareChecks, interval);
        }
    }

    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long n = Long.parseLong(t.replaceAll("[^0-9]", ""));
        if (t.endsWith("m")) {
            return Duration.ofMinutes(n);
        }
        if (t.endsWith("h")) {
            return Duration.ofHours(n);
        }
        return Duration.ofSeconds(n);
    }

    /** JAVA_OPTS="..." from the .deb's environment file: the flags the systemd unit starts the agent with. */
    static List<String> shippedJvmOptions(Path root) throws IOException {
        return Arrays.asList(shippedSetting(root, "JAVA_OPTS")
                .orElseThrow(() -> new IllegalStateException("no JAVA_OPTS= line in " + root.resolve(JVM_OPTIONS)))
                .split("\\s+"));
    }

    /** One {@code KEY=value} of the .deb's environment file (quotes removed), if it sets the key. */
    static Optional<String> shippedSetting(Path root, String key) throws IOException {
        for (String line : Files.readAllLines(root.resolve(JVM_OPTIONS))) {
            String trimmed = line.trim();
            if (trimmed.startsWith(key + "=")) {
                return Optional.of(trimmed.substring(key.length() + 1).replace("\"", "").trim());
            }
        }
        return Optional.empty();
    }

    public static void main(String[] args) throws Exception {
        Path root = KafkaBroker.projectRoot();
        Options options = Options.parse(args, root);
        if (options.compareChecks() != null) {
            ChecksSideBySide.run(options, root);
            return;
        }
        Path dir = Files.createTempDirectory("goldentooth-footprint");
        TaskSigner signer = new TaskSigner(SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub")));
        System.out.printf("agent JVM options (from %s): %s%n", JVM_OPTIONS, String.join(" ", options.jvm()));
        System.out.printf("duration %s, %d jobs; machine: %d cores%n", options.duration(), options.jobs(),
                Runtime.getRuntime().availableProcessors());
        Process agent = null;
        Process exporter = null;
        // --broker-port N: the broker on N and its controller on N+1 (to keep within a port range).
        try (KafkaBroker broker = options.brokerPort() > 0
                ? KafkaBroker.start(options.brokerPort(), options.brokerPort() + 1) : KafkaBroker.start();
             TopicProbe probe = new TopicProbe(broker.bootstrapServers());
             KafkaConsumer<String, byte[]> facts = tail(broker.bootstrapServers(), Topics.NODE_FACTS);
             KafkaConsumer<String, byte[]> progress = tail(broker.bootstrapServers(), Topics.JOB_PROGRESS)) {
            System.out.printf("load average at the start: %s%n", loadAverage());
            Instant began = Instant.now();
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(options.jvm());
            command.addAll(List.of(
                    "-Dquarkus.http.port=" + options.agentPort(), "-Dquarkus.http.host=127.0.0.1",
                    "-Dkafka.bootstrap.servers=" + broker.bootstrapServers(),
                    "-Dgoldentooth.agent.node-name=" + NODE,
                    "-Dgoldentooth.agent.trusted-key-files=" + dir.resolve("task-signing.pub"),
                    "-Dgoldentooth.agent.state-dir=" + dir.resolve("agent"),
                    // No pki-service runs here; the canary would only retry its enrolment.
                    "-Dgoldentooth.agent.canary.enabled=false",
                    "-jar", privateCopy(options.agentJar(), dir.resolve("agent-app")).toString()));
            if (options.appCds()) {
                command.addAll(1, appCdsArchive(command, dir, options.agentPort(), root));
            }
            if (!options.plainJar()) {
                // As the unit starts it: the launcher with the class-data-sharing archive that the
                // node's first start wrote when it stopped (a training run stands for that start).
                System.out.printf("launcher %s, first start (writes the archive) %.1f s%n", LAUNCHER,
                        launcherFirstStart(command, dir, options.agentPort(), root));
            }
            System.out.printf("agent command: %s%n", String.join(" ", command));
            long spawned = System.nanoTime();
            agent = agentProcess(command, root, dir, options.plainJar()).redirectOutput(dir.resolve("agent.log").toFile())
                    .start();
            double agentStartup = awaitFirstFacts(facts, spawned, agent, dir);
            double agentStartupCpu = ProcStats.cpuSeconds(agent.pid());

            long exporterSpawned = System.nanoTime();
            exporter = new ProcessBuilder("prometheus-node-exporter",
                    "--web.listen-address=127.0.0.1:" + options.exporterPort())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("node-exporter.log").toFile()).start();
            String scrapeUrl = "http://127.0.0.1:" + options.exporterPort() + "/metrics";
            double exporterStartup = awaitFirstScrape(scrapeUrl, exporterSpawned, exporter);
            double exporterStartupCpu = ProcStats.cpuSeconds(exporter.pid());

            runJobs(options.jobs(), signer, probe, progress, scrapeUrl);

            Duration left = options.duration().minus(Duration.between(began, Instant.now()));
            Duration idle = left.compareTo(Duration.ofSeconds(30)) < 0 ? Duration.ofSeconds(30) : left;
            System.out.printf("idle window: %d s%n", idle.toSeconds());
            double agentCpu0 = ProcStats.cpuSeconds(agent.pid());
            double exporterCpu0 = ProcStats.cpuSeconds(exporter.pid());
            long idleStart = System.nanoTime();
            long deadline = idleStart + idle.toNanos();
            while (System.nanoTime() < deadline) {
                scrape(scrapeUrl);
                Thread.sleep(Math.min(15_000, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
            double seconds = (System.nanoTime() - idleStart) / 1e9;
            double agentIdle = (ProcStats.cpuSeconds(agent.pid()) - agentCpu0) / seconds;
            double exporterIdle = (ProcStats.cpuSeconds(exporter.pid()) - exporterCpu0) / seconds;

            System.out.printf("load average at the end: %s%n%n", loadAverage());
            System.out.printf("%-34s %14s %16s %10s%n", "", "node-agent", "node_exporter", "target");
            System.out.printf("%-34s %14s %16s %10s%n", "RSS at the end (MiB)", ProcStats.mib(ProcStats.rssBytes(agent.pid())),
                    ProcStats.mib(ProcStats.rssBytes(exporter.pid())), "<= 64");
            System.out.printf("%-34s %14s %16s %10s%n", "peak RSS (MiB)", ProcStats.mib(ProcStats.peakRssBytes(agent.pid())),
                    ProcStats.mib(ProcStats.peakRssBytes(exporter.pid())), "");
            System.out.printf("%-34s %14.3f %16.3f %10s%n", "idle CPU (% of one core)", agentIdle * 100,
                    exporterIdle * 100, "<= 0.5");
            System.out.printf("%-34s %14.1f %16.1f %10s%n", "idle CPU seconds per hour", agentIdle * 3600,
                    exporterIdle * 3600, "<= 18");
            System.out.printf("%-34s %14.2f %16.2f %10s%n", "start-up to first facts/scrape (s)", agentStartup,
                    exporterStartup, "<= 2");
            System.out.printf("%-34s %14.2f %16.2f %10s%n", "CPU used until then (s)", agentStartupCpu,
                    exporterStartupCpu, "");
            System.out.printf("%-34s %14d %16d %10s%n", "threads", ProcStats.threads(agent.pid()),
                    ProcStats.threads(exporter.pid()), "");
        } finally {
            stop(agent);
            stop(exporter);
            // The logs stay for a look after a failure; the 50 MiB copy of the agent does not.
            deleteTree(dir.resolve("agent-app"));
            Files.deleteIfExists(dir.resolve("agent-cds.jsa"));
            deleteTree(dir.resolve("cds"));
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var paths = Files.walk(root)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /**
     * A dynamic AppCDS archive of the classes the agent loads, made by a training run as a node would
     * make it on install (the archive is valid only for the exact JVM build and jar that made it):
     * the agent starts, runs until ready plus a facts round, and is stopped with SIGTERM, at which
     * the JVM writes the archive ({@code -XX:ArchiveClassesAtExit}).
     */
    private static List<String> appCdsArchive(List<String> command, Path dir, int port, Path root) throws Exception {
        Path archive = dir.resolve("agent-cds.jsa");
        // Under another node name and state directory: the training run must not be in the measured
        // agent's consumer group (a late leave would delay its assignment past the first task).
        List<String> training = trainingCommand(command, dir);
        training.add(1, "-XX:ArchiveClassesAtExit=" + archive);
        long started = System.nanoTime();
        Process process = agentProcess(training, root, dir, true)
                .redirectOutput(dir.resolve("appcds-training.log").toFile()).start();
        stopWhenReady(process, port, dir.resolve("appcds-training.log"));
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the AppCDS training run made no archive:\n"
                    + Files.readString(dir.resolve("appcds-training.log")));
        }
        System.out.printf("AppCDS archive: %s MiB, training run %.1f s%n", ProcStats.mib(Files.size(archive)),
                (System.nanoTime() - started) / 1e9);
        return List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto");
    }

    /** The agent's command under another node name and state directory, for a training run. */
    static List<String> trainingCommand(List<String> command, Path dir) {
        return new ArrayList<>(command.stream()
                .map(arg -> arg.equals("-Dgoldentooth.agent.node-name=" + NODE)
                        ? "-Dgoldentooth.agent.node-name=" + NODE + "-training" : arg)
                .map(arg -> arg.startsWith("-Dgoldentooth.agent.state-dir=")
                        ? "-Dgoldentooth.agent.state-dir=" + dir.resolve("training") : arg)
                .toList());
    }

    /**
     * The node's first start through the launcher: it runs until ready plus a facts round and is
     * stopped with SIGTERM (as systemctl stop does), at which the JVM writes the archive the
     * measured start then maps. Returns its duration in seconds.
     */
    static double launcherFirstStart(List<String> command, Path dir, int port, Path root) throws Exception {
        long started = System.nanoTime();
        Process process = agentProcess(trainingCommand(command, dir), root, dir, false)
                .redirectOutput(dir.resolve("first-start.log").toFile()).start();
        stopWhenReady(process, port, dir.resolve("first-start.log"));
        Path archive = dir.resolve("cds/node-agent.jsa");
        if (!Files.exists(archive)) {
            throw new IllegalStateException("the launcher's first start wrote no " + archive + ":\n"
                    + Files.readString(dir.resolve("first-start.log")));
        }
        System.out.printf("class-data-sharing archive: %s MiB%n", ProcStats.mib(Files.size(archive)));
        return (System.nanoTime() - started) / 1e9;
    }

    /** Waits for readiness plus a facts round, then SIGTERM and the exit (when the JVM writes archives). */
    private static void stopWhenReady(Process process, int port, Path log) throws Exception {
        String ready = "http://127.0.0.1:" + port + "/q/health/ready";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!scrape(ready) && process.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Thread.sleep(6_000);
        process.destroy();
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("a training run did not stop:\n" + Files.readString(log));
        }
    }

    /**
     * The agent process with the .deb's {@code MALLOC_ARENA_MAX} (the unit's EnvironmentFile sets it),
     * so the bench measures the native memory the shipped environment gives. Unless {@code plainJar},
     * started as the unit starts it: the .deb's launcher, given the java command's flags as
     * {@code JAVA_OPTS}, the private copy of the fast-jar and a cache directory for the archive.
     */
    static ProcessBuilder agentProcess(List<String> command, Path root, Path dir, boolean plainJar)
            throws IOException {
        ProcessBuilder builder;
        if (plainJar) {
            builder = new ProcessBuilder(command);
        } else {
            int jar = command.indexOf("-jar");
            builder = new ProcessBuilder(root.resolve(LAUNCHER).toString());
            builder.environment().put("JAVA", command.get(0));
            builder.environment().put("JAVA_OPTS", String.join(" ", command.subList(1, jar)));
            builder.environment().put("GOLDENTOOTH_AGENT_HOME", Path.of(command.get(jar + 1)).getParent().toString());
            Files.createDirectories(dir.resolve("cds"));
            builder.environment().put("CACHE_DIRECTORY", dir.resolve("cds").toString());
        }
        builder.redirectErrorStream(true);
        shippedSetting(root, "MALLOC_ARENA_MAX").ifPresent(v -> builder.environment().put("MALLOC_ARENA_MAX", v));
        return builder;
    }

    /**
     * The agent's jar copied to the bench's own directory, so a build running in the same checkout
     * meanwhile cannot pull it from under the measured process: a fast-jar's {@code quarkus-run.jar}
     * with its whole directory, any other jar (an uber-jar) alone. Returns the copied jar.
     */
    static Path privateCopy(Path jar, Path target) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " does not exist; package node-agent first");
        }
        if (!jar.getFileName().toString().equals("quarkus-run.jar")) {
            Files.createDirectories(target);
            return Files.copy(jar, target.resolve(jar.getFileName()));
        }
        Path app = jar.getParent();
        try (var paths = Files.walk(app)) {
            for (Path source : paths.toList()) {
                Files.copy(source, target.resolve(app.relativize(source).toString()));
            }
        }
        return target.resolve("quarkus-run.jar");
    }

    /** The 1-, 5- and 15-minute load averages: start-up times mean little on a machine busy with other work. */
    static String loadAverage() throws IOException {
        String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return fields[0] + " " + fields[1] + " " + fields[2];
    }

    static KafkaConsumer<String, byte[]> tail(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p);
        List<TopicPartition> partitions = new ArrayList<>();
        for (int i = 0; i < Topics.partitionsOf(topic); i++) {
            partitions.add(new TopicPartition(topic, i));
        }
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        return consumer;
    }

    private static double awaitFirstFacts(KafkaConsumer<String, byte[]> facts, long spawned, Process agent, Path dir)
            throws IOException {
        long deadline = spawned + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : facts.poll(Duration.ofMillis(20))) {
                if (NODE.equals(record.key())) {
                    return (System.nanoTime() - spawned) / 1e9;
                }
            }
            if (!agent.isAlive()) {
                throw new IllegalStateException("the agent exited:\n" + Files.readString(dir.resolve("agent.log")));
            }
        }
        throw new IllegalStateException("no facts within 120 s:\n" + Files.readString(dir.resolve("agent.log")));
    }

    private static double awaitFirstScrape(String url, long spawned, Process exporter) throws InterruptedException {
        long deadline = spawned + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (scrape(url)) {
                return (System.nanoTime() - spawned) / 1e9;
            }
            if (!exporter.isAlive()) {
                throw new IllegalStateException("prometheus-node-exporter exited (is the port free?)");
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("prometheus-node-exporter answered no scrape within 60 s");
    }

    static boolean scrape(String url) throws InterruptedException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static void runJobs(int jobs, TaskSigner signer, TopicProbe probe, KafkaConsumer<String, byte[]> progress,
                                String scrapeUrl) throws InterruptedException {
        long started = System.nanoTime();
        for (int i = 0; i < jobs; i++) {
            long next = started + TimeUnit.SECONDS.toNanos(i);
            Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            Instant now = Instant.now();
            Task task = new Task("job-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), NODE,
                    new TaskSpec("uptime", null, false, 30_000, 1 << 16), now.minusSeconds(1), now.plusSeconds(300));
            probe.send(Topics.JOB_TASKS, NODE, signer.sign(task));
            awaitFinished(progress, task.taskId());
            if (i % 15 == 0) {
                scrape(scrapeUrl);
            }
        }
        System.out.printf("%d jobs finished in %.0f s%n", jobs, (System.nanoTime() - started) / 1e9);
    }

    static void awaitFinished(KafkaConsumer<String, byte[]> progress, String taskId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        Set<Long> seen = new HashSet<>();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> record : progress.poll(Duration.ofMillis(50))) {
                JobProgress p = EventCodec.decode(record.value(), JobProgress.class);
                if (taskId.equals(p.taskId())) {
                    seen.add(p.seq());
                    if (p.kind() == ProgressKind.FINISHED) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("task " + taskId + " did not finish within 60 s (saw seqs " + seen + ")");
    }

    static void stop(Process process) throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
