package net.goldentooth.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.TopicProbe;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * {@code bench/agent-footprint --compare-checks LIST}: the cost of the service checks, measured side
 * by side. Two agents run at once from the same copy of the fast-jar, with the same launcher,
 * class-data-sharing archive and JVM flags, on the same broker: one with no checks, one with
 * {@code goldentooth.agent.services.checks=LIST}. Both get the same jobs (alternately), then CPU
 * (utime+stime of the agent and of the commands it ran and waited for) and RSS are sampled for both
 * every {@code --interval}, the order of the two reads alternating per sample, so a burst of load
 * from elsewhere on the machine falls on both. The checks meet real peers where this machine has
 * them: with {@code haproxy} in the list and HAProxy installed, a real {@code haproxy -db} with a
 * stats socket and one backend whose server is down is started for the run; Consul, Vault, Nomad
 * and the kubelet are not running (connection refused), {@code slurmd} runs {@code scontrol} (which
 * fails without a slurm.conf, after the same process start it costs on a node).
 */
final class ChecksSideBySide {

    private ChecksSideBySide() {
    }

    private record Agent(String name, Process process, Path log) {
    }

    private record Sample(double offCpuMs, double onCpuMs, double offRssMib, double onRssMib) {
    }

    static void run(AgentFootprintBench.Options options, Path root) throws Exception {
        Path dir = Files.createTempDirectory("goldentooth-footprint-checks");
        TaskSigner signer = new TaskSigner(SigningKeys.loadOrCreate(dir.resolve("task-signing.key"),
                dir.resolve("task-signing.pub")));
        String checks = String.join(",", options.compareChecks());
        System.out.printf("side by side: agent 'off' (no checks) and agent 'on' (checks %s)%n", checks);
        System.out.printf("agent JVM options: %s%n", String.join(" ", options.jvm()));
        System.out.printf("duration %s, %d jobs each, a sample every %d s; machine: %d cores%n", options.duration(),
                options.jobs(), options.interval().toSeconds(), Runtime.getRuntime().availableProcessors());
        Process haproxy = null;
        Agent off = null;
        Agent on = null;
        try (KafkaBroker broker = options.brokerPort() > 0
                ? KafkaBroker.start(options.brokerPort(), options.brokerPort() + 1) : KafkaBroker.start();
             TopicProbe probe = new TopicProbe(broker.bootstrapServers());
             KafkaConsumer<String, byte[]> facts = AgentFootprintBench.tail(broker.bootstrapServers(), Topics.NODE_FACTS);
             KafkaConsumer<String, byte[]> progress = AgentFootprintBench.tail(broker.bootstrapServers(), Topics.JOB_PROGRESS)) {
            System.out.printf("load average at the start: %s%n", AgentFootprintBench.loadAverage());
            List<String> extra = new ArrayList<>();
            if (options.compareChecks().contains("haproxy")) {
                haproxy = startHaproxy(dir);
                if (haproxy != null) {
                    extra.add("-Dgoldentooth.agent.services.haproxy.stats-socket=" + dir.resolve("haproxy.sock"));
                }
            }
            Path app = AgentFootprintBench.privateCopy(options.agentJar(), dir.resolve("agent-app"));
            List<String> base = command(options, broker.bootstrapServers(), dir, app, "footprint", options.agentPort(), List.of());
            if (!options.plainJar()) {
                System.out.printf("launcher first start (writes the archive both agents map) %.1f s%n",
                        AgentFootprintBench.launcherFirstStart(base, dir, options.agentPort(), root));
            }
            List<String> checkProps = new ArrayList<>(extra);
            checkProps.add("-Dgoldentooth.agent.services.checks=" + checks);
            long spawned = System.nanoTime();
            off = start(options, root, dir, command(options, broker.bootstrapServers(), dir, app, "footprint-off",
                    options.agentPort(), List.of()), "footprint-off");
            on = start(options, root, dir, command(options, broker.bootstrapServers(), dir, app, "footprint-on",
                    options.agentPort() + 1, checkProps), "footprint-on");
            awaitBoth(facts, spawned, off, on);

            long started = System.nanoTime();
            for (int i = 0; i < options.jobs(); i++) {
                for (Agent agent : i % 2 == 0 ? List.of(off, on) : List.of(on, off)) {
                    job(signer, probe, progress, agent.name());
                }
                long next = started + TimeUnit.SECONDS.toNanos(i + 1);
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
            }
            System.out.printf("%d jobs each finished in %.0f s%n", options.jobs(), (System.nanoTime() - started) / 1e9);

            int samples = (int) Math.max(4, options.duration().toSeconds() / options.interval().toSeconds());
            System.out.printf("%d samples of %d s%n%n", samples, options.interval().toSeconds());
            System.out.printf("%-8s %14s %14s %12s %12s%n", "sample", "off CPU ms", "on CPU ms", "off RSS MiB", "on RSS MiB");
            double[] last = read(off, on, false);
            List<Sample> taken = new ArrayList<>();
            long next = System.nanoTime();
            for (int i = 0; i < samples; i++) {
                next += options.interval().toNanos();
                Thread.sleep(Math.max(0, TimeUnit.NANOSECONDS.toMillis(next - System.nanoTime())));
                double[] now = read(off, on, i % 2 == 1);
                Sample s = new Sample((now[0] - last[0]) * 1000, (now[1] - last[1]) * 1000,
                        ProcStats.rssBytes(off.process().pid()) / 1048576.0, ProcStats.rssBytes(on.process().pid()) / 1048576.0);
                last = now;
                taken.add(s);
                System.out.printf("%-8d %14.0f %14.0f %12.1f %12.1f%n", i + 1, s.offCpuMs(), s.onCpuMs(), s.offRssMib(), s.onRssMib());
            }
            System.out.printf("%nload average at the end: %s%n%n", AgentFootprintBench.loadAverage());
            report(taken, options.interval(), off, on);
        } finally {
            for (Agent agent : new Agent[] {off, on}) {
                if (agent != null) {
                    AgentFootprintBench.stop(agent.process());
                }
            }
            AgentFootprintBench.stop(haproxy);
            AgentFootprintBench.deleteTree(dir.resolve("agent-app"));
            AgentFootprintBench.deleteTree(dir.resolve("cds"));
        }
    }

    private static List<String> command(AgentFootprintBench.Options options, String bootstrap, Path dir, Path app,
                                        String node, int port, List<String> extra) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options.jvm());
        command.addAll(List.of(
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dkafka.bootstrap.servers=" + bootstrap,
                "-Dgoldentooth.agent.node-name=" + node,
                "-Dgoldentooth.agent.trusted-key-files=" + dir.resolve("task-signing.pub"),
                "-Dgoldentooth.agent.state-dir=" + dir.resolve("agent-" + node),
                "-Dgoldentooth.agent.canary.enabled=false"));
        command.addAll(extra);
        command.addAll(List.of("-jar", app.toString()));
        return command;
    }

    private static Agent start(AgentFootprintBench.Options options, Path root, Path dir, List<String> command, String node)
            throws IOException {
        Path log = dir.resolve(node + ".log");
        Process process = AgentFootprintBench.agentProcess(command, root, dir, options.plainJar())
                .redirectOutput(log.toFile()).start();
        return new Agent(node, process, log);
    }

    private static void awaitBoth(KafkaConsumer<String, byte[]> facts, long spawned, Agent off, Agent on) throws IOException {
        java.util.Map<String, Double> first = new java.util.HashMap<>();
        long deadline = spawned + TimeUnit.SECONDS.toNanos(180);
        while (first.size() < 2) {
            for (var record : facts.poll(Duration.ofMillis(20))) {
                if (off.name().equals(record.key()) || on.name().equals(record.key())) {
                    first.putIfAbsent(record.key(), (System.nanoTime() - spawned) / 1e9);
                }
            }
            for (Agent agent : List.of(off, on)) {
                if (!agent.process().isAlive()) {
                    throw new IllegalStateException("the agent " + agent.name() + " exited:\n" + Files.readString(agent.log()));
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no facts from both agents within 180 s (got " + first.keySet() + "); logs in "
                        + off.log().getParent());
            }
        }
        System.out.printf("first facts: off %.2f s, on %.2f s after both were spawned%n", first.get(off.name()),
                first.get(on.name()));
    }

    /** CPU seconds (with waited-for children) of both agents, read in the given order. */
    private static double[] read(Agent off, Agent on, boolean onFirst) {
        double a;
        double b;
        if (onFirst) {
            b = ProcStats.cpuSecondsWithChildren(on.process().pid());
            a = ProcStats.cpuSecondsWithChildren(off.process().pid());
        } else {
            a = ProcStats.cpuSecondsWithChildren(off.process().pid());
            b = ProcStats.cpuSecondsWithChildren(on.process().pid());
        }
        return new double[] {a, b};
    }

    private static void job(TaskSigner signer, TopicProbe probe, KafkaConsumer<String, byte[]> progress, String node) {
        Instant now = Instant.now();
        Task task = new Task("job-" + UUID.randomUUID(), "task-" + UUID.randomUUID(), node,
                new TaskSpec("uptime", null, false, 30_000, 1 << 16), now.minusSeconds(1), now.plusSeconds(300));
        probe.send(Topics.JOB_TASKS, node, signer.sign(task));
        AgentFootprintBench.awaitFinished(progress, task.taskId());
    }

    private static void report(List<Sample> samples, Duration interval, Agent off, Agent on) {
        double[] offCpu = samples.stream().mapToDouble(Sample::offCpuMs).sorted().toArray();
        double[] onCpu = samples.stream().mapToDouble(Sample::onCpuMs).sorted().toArray();
        double[] diff = samples.stream().mapToDouble(s -> s.onCpuMs() - s.offCpuMs()).sorted().toArray();
        double offMean = mean(offCpu);
        double onMean = mean(onCpu);
        Sample end = samples.get(samples.size() - 1);
        System.out.printf("%-40s %12s %12s %14s%n", "", "checks off", "checks on", "on - off");
        System.out.printf("%-40s %12.1f %12.1f %14.1f%n", "CPU per " + interval.toSeconds() + " s interval, mean (ms)",
                offMean, onMean, onMean - offMean);
        System.out.printf("%-40s %12.1f %12.1f %14.1f%n", "CPU per interval, median (ms)", median(offCpu), median(onCpu),
                median(diff));
        System.out.printf("%-40s %12.3f %12.3f %14.3f%n", "CPU (% of one core)", offMean / interval.toMillis() * 100,
                onMean / interval.toMillis() * 100, (onMean - offMean) / interval.toMillis() * 100);
        System.out.printf("%-40s %12.1f %12.1f %14.1f%n", "RSS at the end (MiB)", end.offRssMib(), end.onRssMib(),
                end.onRssMib() - end.offRssMib());
        double offRss = samples.stream().mapToDouble(Sample::offRssMib).average().orElse(0);
        double onRss = samples.stream().mapToDouble(Sample::onRssMib).average().orElse(0);
        System.out.printf("%-40s %12.1f %12.1f %14.1f%n", "RSS, mean of the samples (MiB)", offRss, onRss, onRss - offRss);
        System.out.printf("%-40s %12d %12d %14d%n", "threads at the end", ProcStats.threads(off.process().pid()),
                ProcStats.threads(on.process().pid()),
                ProcStats.threads(on.process().pid()) - ProcStats.threads(off.process().pid()));
        System.out.printf(Locale.ROOT, "CPU ratio on/off (means): %.2f; samples where 'on' used more: %d of %d%n",
                onMean / offMean, samples.stream().filter(s -> s.onCpuMs() > s.offCpuMs()).count(), samples.size());
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return values.length == 0 ? 0 : sum / values.length;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n == 0 ? 0 : n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * A real HAProxy with a stats socket and one backend whose only server never answers (a closed
     * port): the haproxy check has a backend to report. Null, with a line saying so, where HAProxy is
     * not installed.
     */
    private static Process startHaproxy(Path dir) throws IOException, InterruptedException {
        Path binary = Path.of("/usr/sbin/haproxy");
        if (!Files.isExecutable(binary)) {
            System.out.println("haproxy is not installed (apt-get install haproxy): the haproxy check reads no socket");
            return null;
        }
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        int front;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            front = s.getLocalPort();
        }
        Path config = dir.resolve("haproxy.cfg");
        Files.writeString(config, String.join("\n",
                "global",
                "    stats socket " + dir.resolve("haproxy.sock") + " mode 600 level user",
                "defaults",
                "    mode tcp",
                "    timeout connect 2s",
                "    timeout client 30s",
                "    timeout server 30s",
                "frontend api",
                "    bind 127.0.0.1:" + front,
                "    default_backend api_servers",
                "backend api_servers",
                "    server down1 127.0.0.1:" + closed + " check inter 2s",
                ""));
        Process process = new ProcessBuilder(binary.toString(), "-db", "-f", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("haproxy.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(dir.resolve("haproxy.sock"))) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("haproxy did not start:\n" + Files.readString(dir.resolve("haproxy.log")));
            }
            Thread.sleep(50);
        }
        System.out.printf("haproxy -db with its stats socket at %s (one backend, its server down)%n", dir.resolve("haproxy.sock"));
        return process;
    }
}
