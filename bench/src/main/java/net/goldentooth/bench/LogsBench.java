package net.goldentooth.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.CloudEventHeaders;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.ServiceProcess;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Logs on the bus, measured side by side in one run on a private broker:
 * <ol>
 *   <li>the node agent (its fast-jar with the .deb's JVM options) following a real systemd-journald
 *       (in a mount and PID namespace, rate limit off) while {@code --lines} lines are written to
 *       it, and then a file of {@code --lines} lines dropped into its glob: lines per second to the
 *       bus, CPU per 1,000 lines (the agent plus its journalctl), RSS before and under load;</li>
 *   <li>for reference, journalctl itself reading the same journal as JSON (the agent's reader, so
 *       the ceiling of the journal path) and as short text;</li>
 *   <li>{@code goldentooth logs all --since 1h --grep X} as monitor-service answers it (GET /logs,
 *       the CLI's call) over 13 nodes × 2 h of lines on node.logs.</li>
 * </ol>
 * Needs root (unshare), systemd-journald and logger(1).
 */
public final class LogsBench {

    private static final String JOURNAL_REMOTE = "/lib/systemd/systemd-journal-remote";

    private static final String NODE = "bench-logs";

    public static void main(String[] args) throws Exception {
        int lines = 100_000;
        int perNodeHour = 36_000;
        int queryRuns = 5;
        String jfr = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--lines" -> lines = Integer.parseInt(args[++i]);
                case "--per-node-hour" -> perNodeHour = Integer.parseInt(args[++i]);
                case "--query-runs" -> queryRuns = Integer.parseInt(args[++i]);
                case "--jfr" -> jfr = args[++i];
                default -> {
                    System.err.println("logs: unknown option " + args[i]
                            + " (--lines N --per-node-hour N --query-runs N --jfr FILE)");
                    System.exit(2);
                }
            }
        }
        // Checked before anything starts, so a missing program is a line here, not a stack trace minutes in.
        if (queryRuns > 0 && !Files.isExecutable(Path.of(JOURNAL_REMOTE))) {
            System.err.println("logs: the query's journalctl comparison needs " + JOURNAL_REMOTE
                    + ": apt-get install systemd-journal-remote (or --query-runs 0)");
            System.exit(2);
        }
        Path root = KafkaBroker.projectRoot();
        Path dir = Files.createTempDirectory("goldentooth-logs-bench");
        System.out.printf(Locale.ROOT, "machine: %d cores, load average %s%n", Runtime.getRuntime().availableProcessors(),
                Files.readString(Path.of("/proc/loadavg")).strip());
        Process journald = null;
        Process agent = null;
        try (KafkaBroker broker = KafkaBroker.start()) {
            journald = journald(dir);
            agent = agent(root, dir, broker.bootstrapServers(), jfr);
            shipping(dir, broker.bootstrapServers(), agent, lines);
            agent.destroy();
            agent.waitFor(20, TimeUnit.SECONDS);
            journalctlReference(dir, lines);
        } finally {
            if (agent != null) {
                agent.descendants().forEach(ProcessHandle::destroyForcibly);
                agent.destroyForcibly();
            }
            if (journald != null) {
                journald.descendants().forEach(ProcessHandle::destroyForcibly);
                journald.destroyForcibly();
            }
        }
        if (queryRuns > 0) {
            // A broker of its own: the shipping part's records (stamped now) must not sit before the
            // query's two hours of older lines, which no real partition would hold in that order.
            try (KafkaBroker broker = KafkaBroker.start()) {
                query(broker.bootstrapServers(), dir, perNodeHour, queryRuns);
            }
        }
    }

    /** systemd-journald in a namespace of its own, its journal under {@code dir/journal}, without its rate limit. */
    private static Process journald(Path dir) throws Exception {
        Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(dir.resolve("journal"));
        Files.writeString(dir.resolve("journald.conf"), "[Journal]\nStorage=volatile\nRateLimitIntervalSec=0\n"
                + "RuntimeMaxUse=2G\nRuntimeMaxFileSize=256M\n");
        String script = "mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal /run/log/journal"
                + " && mount --bind " + dir.resolve("run") + " /run/systemd/journal"
                + " && mount --bind " + dir.resolve("journal") + " /run/log/journal"
                + " && mount --bind " + dir.resolve("journald.conf") + " /etc/systemd/journald.conf"
                + " && mount --bind /dev/null /dev/kmsg"
                + " && exec /lib/systemd/systemd-journald";
        Process p = new ProcessBuilder("unshare", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
                "sh", "-c", script).redirectErrorStream(true).redirectOutput(dir.resolve("journald.out").toFile()).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!Files.exists(dir.resolve("run/dev-log"))) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("systemd-journald did not start: " + Files.readString(dir.resolve("journald.out")));
            }
            Thread.sleep(50);
        }
        return p;
    }

    /** The agent with the .deb's JVM options; with {@code jfr}, a flight recording of the run written there at its end. */
    private static Process agent(Path root, Path dir, String bootstrap, String jfr) throws Exception {
        Files.createDirectories(dir.resolve("files"));
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(AgentFootprintBench.shippedJvmOptions(root));
        if (jfr != null) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(jfr).toAbsolutePath()
                    + ",dumponexit=true");
        }
        command.addAll(List.of("-Dquarkus.http.port=0", "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dgoldentooth.agent.node-name=" + NODE,
                "-Dgoldentooth.agent.trusted-key-files=" + dir.resolve("none.pub"),
                "-Dgoldentooth.agent.state-dir=" + dir.resolve("agent"),
                "-Dgoldentooth.agent.canary.enabled=false",
                "-Dgoldentooth.agent.logs.journal-args=--directory=" + dir.resolve("journal"),
                "-Dgoldentooth.agent.logs.journal-initial-lines=0",
                "-Dgoldentooth.agent.logs.files=" + dir.resolve("files") + "/*.log",
                "-Dgoldentooth.agent.logs.rate-limit=1000000",
                "-Dgoldentooth.agent.logs.rate-burst=1000000",
                "-jar", root.resolve("node-agent/target/quarkus-app/quarkus-run.jar").toString()));
        // The agent refuses to start without a trusted key file; any Ed25519 key will do here.
        net.goldentooth.events.signing.SigningKeys.loadOrCreate(dir.resolve("none.key"), dir.resolve("none.pub"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("agent.log").toFile());
        // As the .deb's environment file sets it for the unit.
        builder.environment().put("MALLOC_ARENA_MAX", AgentFootprintBench.shippedSetting(root, "MALLOC_ARENA_MAX").orElse("2"));
        return builder.start();
    }

    private static void shipping(Path dir, String bootstrap, Process agent, int lines) throws Exception {
        try (KafkaConsumer<String, byte[]> logs = new KafkaConsumer<>(consumer(bootstrap))) {
            List<TopicPartition> partitions = logs.partitionsFor(Topics.NODE_LOGS).stream()
                    .map(p -> new TopicPartition(Topics.NODE_LOGS, p.partition())).toList();
            logs.assign(partitions);
            logs.seekToEnd(partitions);
            partitions.forEach(logs::position);
            // Start-up, then a quiet spell: the idle agent's footprint.
            Thread.sleep(20_000);
            long journalctl = journalctlPid(agent);
            long idleRss = ProcStats.rssBytes(agent.pid());
            System.out.printf(Locale.ROOT, "%n== agent idle after start-up: RSS %s MiB (journalctl %s MiB)%n",
                    ProcStats.mib(idleRss), journalctl > 0 ? ProcStats.mib(ProcStats.rssBytes(journalctl)) : "-");

            // The journal: one logger process writes the lines through journald's syslog socket.
            double cpu0 = ProcStats.cpuSeconds(agent.pid()) + (journalctl > 0 ? ProcStats.cpuSeconds(journalctl) : 0);
            long written0 = System.nanoTime();
            Process writer = new ProcessBuilder("logger", "--socket", dir.resolve("run/dev-log").toString(), "-t", "bench",
                    "-p", "user.info").redirectErrorStream(true).start();
            Thread feeder = new Thread(() -> {
                try (OutputStream in = writer.getOutputStream();
                     BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(in, StandardCharsets.UTF_8), 1 << 16)) {
                    for (int i = 0; i < lines; i++) {
                        w.write("kubelet[812]: I1207 03:00:00.000000 812 kubelet.go:2412] \"SyncLoop (PLEG): event for pod\" line " + i + "\n");
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            feeder.start();
            Measured journal = await(logs, lines, "journal", agent.pid(), journalctl, written0);
            feeder.join();
            writer.waitFor(30, TimeUnit.SECONDS);
            double cpu = ProcStats.cpuSeconds(agent.pid()) + (journalctl > 0 ? ProcStats.cpuSeconds(journalctl) : 0) - cpu0;
            report("journal -> bus", lines, journal, cpu, idleRss);

            // A file of the same number of lines dropped into the agent's glob: the file path, no journald.
            Path staged = dir.resolve("bench.log.tmp");
            try (BufferedWriter w = Files.newBufferedWriter(staged)) {
                for (int i = 0; i < lines; i++) {
                    w.write("2026-12-07 03:00:00,000 INFO  [net.goldentooth.bench] (main) a line of the file, number " + i + "\n");
                }
            }
            double fileCpu0 = ProcStats.cpuSeconds(agent.pid());
            long dropped = System.nanoTime();
            Files.move(staged, dir.resolve("files/bench.log"), StandardCopyOption.ATOMIC_MOVE);
            Measured file = await(logs, lines, "file", agent.pid(), -1, dropped);
            report("file -> bus", lines, file, ProcStats.cpuSeconds(agent.pid()) - fileCpu0, idleRss);
        }
    }

    private record Measured(double seconds, double fromFirstSeconds, long peakRss) {
    }

    /** Counts this node's records on node.logs until {@code lines} arrived; samples the agent's RSS meanwhile. */
    private static Measured await(KafkaConsumer<String, byte[]> logs, int lines, String what, long pid, long journalctl,
                                  long started) {
        long seen = 0;
        long first = 0;
        long peak = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (seen < lines && System.nanoTime() < deadline) {
            for (ConsumerRecord<String, byte[]> r : logs.poll(Duration.ofMillis(100))) {
                if (NODE.equals(r.key())) {
                    if (seen++ == 0) {
                        first = System.nanoTime();
                    }
                }
            }
            peak = Math.max(peak, ProcStats.rssBytes(pid));
        }
        if (seen < lines) {
            System.out.printf("%s: only %d of %d lines arrived within 5 min%n", what, seen, lines);
        }
        long end = System.nanoTime();
        return new Measured((end - started) / 1e9, (end - first) / 1e9, peak);
    }

    private static void report(String what, int lines, Measured m, double cpuSeconds, long idleRss) {
        System.out.printf(Locale.ROOT, "%n== %s: %,d lines%n", what, lines);
        System.out.printf(Locale.ROOT, "  %-44s %10.0f%n", "lines/s (first line to last on the bus)", lines / m.fromFirstSeconds());
        System.out.printf(Locale.ROOT, "  %-44s %10.1f%n", "seconds from the start to the last line", m.seconds());
        System.out.printf(Locale.ROOT, "  %-44s %10.2f%n", "CPU ms per 1,000 lines (agent + journalctl)", cpuSeconds * 1000 / (lines / 1000.0));
        System.out.printf(Locale.ROOT, "  %-44s %10s%n", "peak RSS under load (MiB)", ProcStats.mib(m.peakRss()));
        System.out.printf(Locale.ROOT, "  %-44s %10s%n", "increase over the idle agent (MiB)", ProcStats.mib(m.peakRss() - idleRss));
    }

    private static long journalctlPid(Process agent) {
        return agent.descendants().filter(p -> p.info().command().map(c -> c.endsWith("journalctl")).orElse(false))
                .mapToLong(ProcessHandle::pid).findFirst().orElse(-1);
    }

    /** journalctl reading the same journal, as the agent reads it and as text, timed and with its CPU. */
    private static void journalctlReference(Path dir, int lines) throws Exception {
        System.out.printf(Locale.ROOT, "%n== reference: journalctl reading the same journal (%,d+ lines)%n", lines);
        // The agent's own reading first: json with only the fields it keeps (as JournalSource asks for them).
        List<List<String>> outputs = List.of(
                List.of("--output=json", "--output-fields=MESSAGE,PRIORITY,_SYSTEMD_UNIT,_SYSTEMD_USER_UNIT,SYSLOG_IDENTIFIER,_PID"),
                List.of("--output=json"), List.of("--output=short"));
        for (List<String> output : outputs) {
            List<String> command = new ArrayList<>(List.of("journalctl", "--directory=" + dir.resolve("journal"), "--all",
                    "--no-pager"));
            command.addAll(output);
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            p.waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String label = String.join(" ", output).replaceAll("--output-fields=\\S+", "--output-fields=<the agent's>");
            System.out.printf(Locale.ROOT, "  journalctl %-44s %10.0f lines/s (%.2f s)%n", label, lines / seconds, seconds);
        }
    }

    /**
     * 13 nodes × 2 h on node.logs (record time = line time, as an agent that keeps up stamps them), and
     * the same lines in 13 journal files (systemd-journal-remote, one per node, entries at the same
     * times); then, in turns, GET /logs?pattern=all&since=-1h&grep=needle through the real monitor and
     * {@code journalctl --directory --since --grep} over the journal files.
     */
    private static void query(String bootstrap, Path dir, int perNodeHour, int runs) throws Exception {
        int nodes = 13;
        long total = 2L * nodes * perNodeHour;
        System.out.printf(Locale.ROOT, "%n== goldentooth logs all --since 1h --grep X: %d nodes x 2 h x %,d lines/h = %,d records%n",
                nodes, perNodeHour, total);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, org.apache.kafka.common.serialization.ByteArraySerializer.class.getName());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
        Instant now = Instant.now();
        long span = Duration.ofHours(2).toMillis();
        long expected = 0;
        Path journals = Files.createDirectories(dir.resolve("fleet-journals"));
        List<Process> remotes = new ArrayList<>();
        List<BufferedWriter> exports = new ArrayList<>();
        for (int n = 0; n < nodes; n++) {
            Process remote = new ProcessBuilder(JOURNAL_REMOTE, "--split-mode=none",
                    "--output=" + journals.resolve(String.format("remote-node%02d.journal", n)), "-")
                    .redirectErrorStream(true).redirectOutput(dir.resolve("journal-remote-" + n + ".out").toFile()).start();
            remotes.add(remote);
            exports.add(new BufferedWriter(new java.io.OutputStreamWriter(remote.getOutputStream(), StandardCharsets.UTF_8),
                    1 << 16));
        }
        String bootId = UUID.randomUUID().toString().replace("-", "");
        long t0 = System.nanoTime();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < total; i++) {
                int n = (int) (i % nodes);
                String node = String.format("node%02d", n);
                long at = now.toEpochMilli() - span + i * span / total;
                boolean needle = i % 1000 == 7;
                if (needle && at >= now.toEpochMilli() - Duration.ofHours(1).toMillis()) {
                    expected++;
                }
                String message = needle ? "E1207 failed to pull image: needle-" + i : "I1207 SyncLoop (PLEG): event for pod " + i;
                LogEntry line = new LogEntry(node, "journal", "kubelet", "kubelet", 6, message,
                        Instant.ofEpochMilli(at), null, null, 812, "c" + i, null, null);
                RecordHeaders headers = new RecordHeaders();
                CloudEventHeaders.forEvent(Topics.NODE_LOGS, "//bench", Instant.ofEpochMilli(at)).forEach(headers::add);
                producer.send(new ProducerRecord<>(Topics.NODE_LOGS, null, at, node, EventCodec.encode(line), headers));
                // The same entry in journal export format: the node's journal file gets it at the same time.
                exports.get(n).write("__REALTIME_TIMESTAMP=" + at * 1000 + "\n__MONOTONIC_TIMESTAMP=" + (i + 1)
                        + "\n_BOOT_ID=" + bootId + "\n_HOSTNAME=" + node + "\n_SYSTEMD_UNIT=kubelet.service"
                        + "\nSYSLOG_IDENTIFIER=kubelet\nPRIORITY=6\n_PID=812\nMESSAGE=" + message + "\n\n");
            }
        }
        for (BufferedWriter export : exports) {
            export.close();
        }
        for (Process remote : remotes) {
            if (!remote.waitFor(120, TimeUnit.SECONDS) || remote.exitValue() != 0) {
                remote.destroyForcibly();
                throw new IllegalStateException("systemd-journal-remote failed; see " + dir + "/journal-remote-*.out");
            }
        }
        System.out.printf(Locale.ROOT, "  written to node.logs and 13 journal files in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        try (ServiceProcess monitor = ServiceProcess.start("monitor-logs", "monitor-service",
                Map.of("kafka.bootstrap.servers", bootstrap), dir)) {
            HttpClient http = HttpClient.newHttpClient();
            double[] bus = new double[runs];
            double[] journal = new double[runs];
            long found = 0;
            long scanned = 0;
            long journalFound = 0;
            for (int r = 0; r < runs; r++) {
                Instant since = Instant.now().minus(Duration.ofHours(1));
                URI uri = URI.create(monitor.baseUrl() + "/logs?pattern=all&since="
                        + URLEncoder.encode(since.toString(), StandardCharsets.UTF_8) + "&grep=needle");
                long q0 = System.nanoTime();
                HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
                bus[r] = (System.nanoTime() - q0) / 1e9;
                if (response.statusCode() != 200) {
                    throw new IllegalStateException("GET /logs answered " + response.statusCode() + ": "
                            + new String(response.body(), StandardCharsets.UTF_8));
                }
                var page = EventCodec.decode(response.body(), net.goldentooth.events.api.LogPage.class);
                found = page.lines().size();
                scanned = page.scanned();

                long j0 = System.nanoTime();
                Process journalctl = new ProcessBuilder("journalctl", "--directory=" + journals, "--since=@" + since.getEpochSecond(),
                        "--grep=needle", "--no-pager", "--quiet").redirectErrorStream(true).start();
                long lines;
                try (var out = new java.io.BufferedReader(new java.io.InputStreamReader(journalctl.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    lines = out.lines().filter(l -> l.contains("needle")).count();
                }
                journalctl.waitFor(120, TimeUnit.SECONDS);
                journal[r] = (System.nanoTime() - j0) / 1e9;
                journalFound = lines;
            }
            Arrays.sort(bus);
            Arrays.sort(journal);
            System.out.printf(Locale.ROOT, "  GET /logs: found %d lines (expected about %d), scanned %,d of %,d records%n", found,
                    expected, scanned, total);
            System.out.printf(Locale.ROOT, "  GET /logs latency over %d runs:   min %.2f s, median %.2f s, max %.2f s%n", runs,
                    bus[0], bus[runs / 2], bus[runs - 1]);
            System.out.printf(Locale.ROOT, "  journalctl --since --grep (13 files): %d lines; min %.2f s, median %.2f s, max %.2f s%n",
                    journalFound, journal[0], journal[runs / 2], journal[runs - 1]);
            System.out.printf(Locale.ROOT, "  ratio of medians (bus / journalctl): %.2f%n", bus[runs / 2] / journal[runs / 2]);
        }
    }

    private static Properties consumer(String bootstrap) {
        Properties p = new Properties();
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.CLIENT_ID_CONFIG, "bench-logs-" + UUID.randomUUID());
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.StringDeserializer.class.getName());
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
        return p;
    }

    private LogsBench() {
    }
}
