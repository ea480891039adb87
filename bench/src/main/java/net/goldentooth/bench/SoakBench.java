package net.goldentooth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;

/**
 * {@code bench/soak}: the seed's 13 nodes as 13 real agent processes (with the .deb's JVM flags),
 * the real provisioner and a real broker; {@code command all uptime} every second and facts every
 * 5 s, for at most 10 minutes. Every {@code --sample} each agent's RSS, heap after a full GC, open
 * files and threads are read, and the least-squares slope of each (after {@code --warmup}) is
 * printed per hour: flat means no leak at this load.
 */
public final class SoakBench {

    private static final Duration MAX_DURATION = Duration.ofMinutes(10);

    record Options(Duration duration, Duration sample, Duration warmup, Duration jobEvery) {
        static Options parse(String[] args) {
            Duration duration = MAX_DURATION;
            Duration sample = Duration.ofSeconds(20);
            Duration warmup = Duration.ofSeconds(60);
            Duration jobEvery = Duration.ofSeconds(1);
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : "";
                switch (args[i]) {
                    case "--duration" -> duration = AgentFootprintBench.parseDuration(value);
                    case "--sample" -> sample = AgentFootprintBench.parseDuration(value);
                    case "--warmup" -> warmup = AgentFootprintBench.parseDuration(value);
                    case "--job-every" -> jobEvery = AgentFootprintBench.parseDuration(value);
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --duration 10m (at most) --sample 20s --warmup 60s --job-every 1s");
                }
                i++;
            }
            if (duration.compareTo(MAX_DURATION) > 0) {
                throw new IllegalArgumentException("--duration is bounded at " + MAX_DURATION.toMinutes()
                        + " minutes (a soak, not an endurance run)");
            }
            return new Options(duration, sample, warmup, jobEvery);
        }
    }

    /** One reading of one agent. */
    record Sample(double seconds, long rss, Optional<Long> heapAfterGc, long openFiles, long threads) {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path root = KafkaBroker.projectRoot();
        List<String> jvm = AgentFootprintBench.shippedJvmOptions(root);
        List<String> nodes = FanoutBench.SEED_NODES;
        System.out.printf("soak: %d agents (JVM options %s), a job every %s, facts every 5 s, for %s%n",
                nodes.size(), String.join(" ", jvm), options.jobEvery(), options.duration());
        try (KafkaBroker broker = KafkaBroker.start();
             LocalCluster cluster = LocalCluster.builder(broker.bootstrapServers(), nodes)
                     .agents(Map.of("goldentooth.agent.facts-interval", "5s",
                             "goldentooth.agent.canary.enabled", "false"))
                     .agentJvm(jvm)
                     .provisionerJvm(List.of("-Xmx512m"))
                     .start()) {
            Map<String, Long> pids = new LinkedHashMap<>();
            for (String node : nodes) {
                pids.put(node, pidOf(node, cluster.dir()));
            }
            ConcurrentLinkedQueue<String> jobIds = new ConcurrentLinkedQueue<>();
            AtomicLong refused = new AtomicLong();
            ScheduledExecutorService jobs = Executors.newSingleThreadScheduledExecutor();
            jobs.scheduleAtFixedRate(() -> {
                try {
                    jobIds.add(cluster.submit(new JobRequest(null, JobKind.COMMAND, "all", "uptime", null, 30, null,
                            false, "soak")).jobId());
                } catch (RuntimeException | AssertionError e) {
                    refused.incrementAndGet();
                }
            }, 0, options.jobEvery().toMillis(), TimeUnit.MILLISECONDS);

            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            nodes.forEach(node -> samples.put(node, new ArrayList<>()));
            long start = System.nanoTime();
            long end = start + options.duration().toNanos();
            while (System.nanoTime() < end) {
                double t = (System.nanoTime() - start) / 1e9;
                for (String node : nodes) {
                    long pid = pids.get(node);
                    samples.get(node).add(new Sample(t, ProcStats.rssBytes(pid), ProcStats.heapAfterGcBytes(pid),
                            ProcStats.openFiles(pid), ProcStats.threads(pid)));
                }
                System.out.printf(Locale.ROOT, "t=%4.0fs  jobs %d  mean RSS %s MiB%n", t, jobIds.size(),
                        ProcStats.mib((long) samples.values().stream().mapToLong(s -> s.get(s.size() - 1).rss())
                                .average().orElse(0)));
                Thread.sleep(Math.max(0, Math.min(options.sample().toMillis(),
                        TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
            }
            jobs.shutdownNow();
            jobs.awaitTermination(10, TimeUnit.SECONDS);

            long succeeded = 0;
            long other = 0;
            for (String id : jobIds) {
                JobStatus status = cluster.awaitJob(id, s -> s.state().terminal(), Duration.ofSeconds(60));
                if (status.state() == JobState.SUCCEEDED) {
                    succeeded++;
                } else {
                    other++;
                }
            }
            System.out.printf("%njobs: %d submitted (%d refused), %d succeeded on all 13, %d not%n", jobIds.size(),
                    refused.get(), succeeded, other);
            double warmup = options.warmup().toSeconds();
            System.out.printf("slopes by least squares over the samples after %.0f s, per agent, per hour:%n", warmup);
            System.out.printf("%-22s %12s %12s %14s %14s%n", "metric", "first (mean)", "last (mean)",
                    "slope mean/h", "slope max/h");
            report("RSS (MiB)", samples, warmup, s -> s.rss() / 1048576.0);
            report("heap after GC (MiB)", samples, warmup, s -> s.heapAfterGc().orElse(-1L) / 1048576.0);
            report("open files", samples, warmup, s -> (double) s.openFiles());
            report("threads", samples, warmup, s -> (double) s.threads());
        }
    }

    private static void report(String name, Map<String, List<Sample>> samples, double warmup,
                               ToDoubleFunction<Sample> metric) {
        List<Double> slopes = new ArrayList<>();
        double first = 0;
        double last = 0;
        for (List<Sample> series : samples.values()) {
            List<Sample> steady = series.stream().filter(s -> s.seconds() >= warmup).toList();
            if (steady.size() < 2) {
                steady = series;
            }
            slopes.add(slope(steady, metric) * 3600);
            first += metric.applyAsDouble(steady.get(0));
            last += metric.applyAsDouble(steady.get(steady.size() - 1));
        }
        int n = samples.size();
        System.out.printf(Locale.ROOT, "%-22s %12.2f %12.2f %14.3f %14.3f%n", name, first / n, last / n,
                slopes.stream().mapToDouble(Double::doubleValue).average().orElse(0),
                slopes.stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }

    /** Least-squares slope of metric over time, in units per second (0 for fewer than two points). */
    static double slope(List<Sample> series, ToDoubleFunction<Sample> metric) {
        int n = series.size();
        if (n < 2) {
            return 0;
        }
        double meanT = series.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double meanY = series.stream().mapToDouble(metric).average().orElse(0);
        double num = 0;
        double den = 0;
        for (Sample s : series) {
            double dt = s.seconds() - meanT;
            num += dt * (metric.applyAsDouble(s) - meanY);
            den += dt * dt;
        }
        return den == 0 ? 0 : num / den;
    }

    /** The agent process of {@code node} in this cluster: its command line names both. */
    private static long pidOf(String node, Path clusterDir) throws IOException {
        String nodeFlag = "-Dgoldentooth.agent.node-name=" + node;
        String stateFlag = "-Dgoldentooth.agent.state-dir=" + clusterDir.resolve("agent-" + node);
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                try {
                    List<String> argv = List.of(new String(Files.readAllBytes(proc.resolve("cmdline")),
                            StandardCharsets.UTF_8).split("\0"));
                    if (argv.contains(nodeFlag) && argv.contains(stateFlag)) {
                        return Long.parseLong(proc.getFileName().toString());
                    }
                } catch (IOException gone) {
                    // the process ended while we looked
                }
            }
        }
        throw new IllegalStateException("no agent process for " + node);
    }
}
