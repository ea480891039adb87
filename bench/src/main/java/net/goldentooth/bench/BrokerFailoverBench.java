package net.goldentooth.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.events.job.TargetStatus;
import net.goldentooth.testkit.KafkaCluster;
import net.goldentooth.testkit.LocalCluster;

/**
 * {@code bench/broker-failover}: three KRaft brokers (testkit's {@link KafkaCluster}), the real
 * provisioner and one agent. Each round a job streams a numbered line every 100 ms; once it is
 * under way the leader of its {@code job.progress} partition is killed with SIGKILL, and at the same
 * instant a one-line job is submitted. Measured: the time from the kill to the streaming job's next
 * progress (a line that cannot have been acknowledged before the kill: two past the last one seen),
 * and how the job submitted at the kill ended, and when. The killed broker is then restarted and
 * the round ends once the partition has three in-sync replicas again.
 */
public final class BrokerFailoverBench {

    private static final int MAX_ROUNDS = 10;
    private static final int LINES = 150;
    private static final Pattern LINE = Pattern.compile("line-(\\d+)\n");

    public static void main(String[] args) throws Exception {
        int rounds = 3;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--rounds") && i + 1 < args.length) {
                rounds = Integer.parseInt(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown option '" + args[i] + "'; options: --rounds N (1-"
                        + MAX_ROUNDS + ", default 3)");
            }
        }
        if (rounds < 1 || rounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("--rounds must be 1-" + MAX_ROUNDS + ", was " + rounds);
        }
        System.out.printf("broker failover: 3 brokers (combined KRaft quorum, Kafka's default broker.session.timeout.ms"
                + " 9 s), %d rounds%n", rounds);
        List<Long> failovers = new ArrayList<>();
        try (KafkaCluster brokers = KafkaCluster.start(3);
             LocalCluster cluster = LocalCluster.builder(brokers.bootstrapServers(), List.of("alpha"))
                     .provisioner(Map.of("goldentooth.auth.enabled", "false"))
                     .start()) {
            for (int round = 1; round <= rounds; round++) {
                JobStatus job = cluster.submit(new JobRequest(null, JobKind.COMMAND, "alpha",
                        "for i in $(seq 1 " + LINES + "); do echo line-$i; sleep 0.1; done", null, 120, null, false,
                        "bench"));
                int partition = KafkaCluster.partitionFor(job.jobId(), Topics.partitionsOf(Topics.JOB_PROGRESS));
                cluster.awaitJob(job.jobId(), s -> lastLine(s) >= 5, Duration.ofSeconds(60));
                int leader = brokers.leaderOf(Topics.JOB_PROGRESS, partition);
                int atKill = lastLine(cluster.job(job.jobId()));
                long killed = System.nanoTime();
                brokers.kill(leader);
                CompletableFuture<String> submittedAtKill = CompletableFuture.supplyAsync(() -> {
                    long start = System.nanoTime();
                    JobStatus k = cluster.submit(new JobRequest(null, JobKind.COMMAND, "alpha", "echo k", null, 60,
                            null, false, "bench"));
                    JobStatus end = cluster.awaitJob(k.jobId(), s -> s.state().terminal(), Duration.ofSeconds(120));
                    return String.format(Locale.ROOT, "%s after %d ms%s", end.state().name().toLowerCase(Locale.ROOT),
                            TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start),
                            end.state() == JobState.SUCCEEDED ? "" : " (" + end.targets().get("alpha").state() + ")");
                });
                cluster.awaitJob(job.jobId(), s -> lastLine(s) >= atKill + 2, Duration.ofSeconds(90));
                long failoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
                failovers.add(failoverMs);
                int newLeader = brokers.leaderOf(Topics.JOB_PROGRESS, partition);
                String other = submittedAtKill.get(150, TimeUnit.SECONDS);
                long restartAt = System.nanoTime();
                brokers.restart(leader);
                long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (brokers.inSyncReplicas(Topics.JOB_PROGRESS, partition).size() < 3) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("broker " + leader + " did not rejoin the ISR within 120 s");
                    }
                    Thread.sleep(200);
                }
                long rejoinMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartAt);
                JobStatus done = cluster.awaitJob(job.jobId(), s -> s.state().terminal(), Duration.ofSeconds(120));
                System.out.printf(Locale.ROOT, "round %d: killed broker %d (leader of job.progress-%d) at line %d;"
                                + " next progress after %d ms (leader now %d); job %s; a job submitted at the kill:"
                                + " %s; restart %d ms, back in sync %d ms after it began%n", round, leader, partition,
                        atKill, failoverMs, newLeader, done.state().name().toLowerCase(Locale.ROOT), other, restartMs,
                        rejoinMs);
            }
        }
        List<Long> sorted = failovers.stream().sorted().toList();
        System.out.printf("kill to next progress: median %d ms, min %d, max %d (%d rounds)%n",
                sorted.get(sorted.size() / 2), sorted.get(0), sorted.get(sorted.size() - 1), sorted.size());
    }

    private static int lastLine(JobStatus status) {
        TargetStatus target = status.targets().get("alpha");
        int highest = 0;
        if (target != null && target.stdout() != null) {
            Matcher m = LINE.matcher(target.stdout());
            while (m.find()) {
                highest = Math.max(highest, Integer.parseInt(m.group(1)));
            }
        }
        return highest;
    }

    private BrokerFailoverBench() {
    }
}
