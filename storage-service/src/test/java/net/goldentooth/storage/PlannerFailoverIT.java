package net.goldentooth.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import net.goldentooth.events.Topics;
import net.goldentooth.events.leadership.LeaderChange;
import net.goldentooth.kafka.LeaderElection;
import net.goldentooth.testkit.KafkaCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Two storage-service processes (their packaged fast-jars) on three real brokers, each with a snapshot
 * timer of 1 s: at most one plans and acts at a time. The leader is frozen (SIGSTOP, a GC pause
 * past its lease): the standby takes over, and the frozen one, woken, changes nothing. Then the new
 * leader is killed (-9) and the first takes over again.
 *
 * <p>What "acting" means is every ZFS command a run issues, so the processes run with the local
 * shell and a stand-in {@code zfs} first on their PATH that appends the calling instance and the
 * time to a ledger and answers a dataset's listing as ZFS does for one without snapshots. It stands
 * in for ZFS because what is under test is who acts, not what ZFS does (zfs-fuse runs in
 * ZfsFuseReplicationIT and StorageServiceIT); two services on one real pool would also race on it.
 */
class PlannerFailoverIT {

    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** A replicated bus, as in production: three KRaft brokers, every topic with three replicas. */
    @AutoClose
    private final KafkaCluster brokers = KafkaCluster.start(3);
    private final String bootstrap = brokers.bootstrapServers();

    record Act(int instance, long epochNanos, String command) {
        /** Anything but a listing changes a pool. */
        boolean changes() {
            return !command.startsWith("get ") && !command.startsWith("list ");
        }
    }

    private static void signal(String signal, ServiceProcess service) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(service.pid())).inheritIO().start();
        assertEquals(0, kill.waitFor(), "kill -" + signal);
    }

    @Test
    void oneInstanceActsAtATimeThroughAPauseAndAKill9() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "storage-planner-it-" + suffix;
        Instant from = Instant.now().minusSeconds(1);
        Path dir = Files.createDirectories(Path.of("target", "planner-failover-it", suffix));
        Path ledger = dir.resolve("zfs-ledger");
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Path zfs = bin.resolve("zfs");
        Files.writeString(zfs, """
                #!/bin/sh
                echo "$GT_STORAGE_INSTANCE $(date +%s%N) $*" >> "$GT_ZFS_LEDGER"
                if [ "$1" = get ] && [ "$2" = -Hp ]; then
                  eval "last=\\${$#}"
                  printf '%s\\tcreation\\t1764000000\\n%s\\tguid\\t4242\\n' "$last" "$last"
                fi
                exit 0
                """);
        Files.setPosixFilePermissions(zfs, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path sanoid = dir.resolve("sanoid.conf");
        Files.writeString(sanoid, "[tank/data]\n\tuse_template = production\n[template_production]\n\thourly = 2\n");

        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> props = Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "goldentooth.storage.planner-group", group,
                    "goldentooth.storage.sanoid-config", sanoid.toAbsolutePath().toString(),
                    "goldentooth.storage.inventory", dir.resolve("no-inventory.yaml").toAbsolutePath().toString(),
                    "goldentooth.storage.source", "gt-src",
                    "goldentooth.storage.shell", "local",
                    "goldentooth.storage.transport", "local",
                    "goldentooth.storage.snapshot-interval", "1s");
            Map<String, String> env = Map.of(
                    "PATH", bin.toAbsolutePath() + ":" + System.getenv("PATH"),
                    "GT_STORAGE_INSTANCE", Integer.toString(i),
                    "GT_ZFS_LEDGER", ledger.toAbsolutePath().toString());
            String name = "storage-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> ServiceProcess.start(name, "storage-service",
                    List.of("-Xmx256m"), props, dir, env)));
        }
        List<ServiceProcess> services = new ArrayList<>();
        try {
            for (CompletableFuture<ServiceProcess> s : starting) {
                services.add(s.join());
            }
            LeaderChange first = awaitLeader(group, from, change -> true);
            int leader = first.member().endsWith(":" + services.get(0).port()) ? 0 : 1;
            int standby = 1 - leader;
            assertTrue(first.member().endsWith(":" + services.get(leader).port()), "leader " + first.member());

            awaitActs(ledger, acts -> acts.stream().filter(a -> a.instance() == leader).count() >= 6,
                    Duration.ofSeconds(20), "the leader's runs");
            assertTrue(acts(ledger).stream().noneMatch(a -> a.instance() == standby),
                    "the standby ran ZFS commands while the leader lived: " + acts(ledger));
            HttpResponse<String> refused = post(services.get(standby), "/storage/snapshot/tank/data");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("standby"), refused.body());
            assertEquals(200, post(services.get(leader), "/storage/snapshot/tank/data").statusCode());

            // A leader frozen past its lease (a GC pause; here SIGSTOP) is replaced, and on waking it
            // changes nothing: its lease ran out before the standby could start.
            signal("STOP", services.get(leader));
            long pausedAt = epochNanos();
            List<Act> afterPause = awaitActs(ledger, acts -> acts.stream()
                            .anyMatch(a -> a.instance() == standby && a.changes()),
                    TAKEOVER_BOUND.plusSeconds(5), "the standby's first change while the leader is frozen");
            Act takeover = afterPause.stream().filter(a -> a.instance() == standby).findFirst().orElseThrow();
            Duration handover = Duration.ofNanos(takeover.epochNanos() - pausedAt);
            System.out.printf("planner failover: SIGSTOP of the leader to the standby's first zfs command: %d ms%n",
                    handover.toMillis());
            assertTrue(handover.compareTo(TAKEOVER_BOUND) < 0, "took over in " + handover);
            Thread.sleep(Math.max(0, Duration.ofSeconds(9).toMillis() - Duration.ofNanos(epochNanos() - pausedAt).toMillis()));
            signal("CONT", services.get(leader));
            long resumedAt = epochNanos();
            Thread.sleep(3000);
            List<Act> zombie = acts(ledger).stream()
                    .filter(a -> a.instance() == leader && a.changes() && a.epochNanos() > resumedAt).toList();
            assertEquals(List.of(), zombie, "the woken leader changed pools after its successor took over");
            assertTrue(acts(ledger).stream().anyMatch(a -> a.instance() == standby && a.epochNanos() > resumedAt),
                    "the new leader goes on acting");

            // Then a kill -9 of the new leader: the one that was frozen, now a standby, takes over.
            services.get(standby).kill();
            long killedAt = epochNanos();
            List<Act> afterKill = awaitActs(ledger, acts -> acts.stream()
                            .anyMatch(a -> a.instance() == leader && a.changes() && a.epochNanos() > killedAt),
                    TAKEOVER_BOUND.plusSeconds(5), "the first leader's changes after the new leader's kill -9");
            Act back = afterKill.stream().filter(a -> a.instance() == leader && a.epochNanos() > killedAt)
                    .findFirst().orElseThrow();
            System.out.printf("planner failover: kill -9 of the leader to the standby's first zfs command: %d ms%n",
                    Duration.ofNanos(back.epochNanos() - killedAt).toMillis());
            assertTrue(Duration.ofNanos(back.epochNanos() - killedAt).compareTo(TAKEOVER_BOUND) < 0);
            long lastOfKilled = afterKill.stream().filter(a -> a.instance() == standby).mapToLong(Act::epochNanos).max()
                    .orElseThrow();
            assertTrue(lastOfKilled < back.epochNanos(), "the two planners' commands interleave: " + afterKill);
            LeaderChange third = awaitLeader(group, from, change -> change.generation() > first.generation()
                    && change.member().endsWith(":" + services.get(leader).port()));
            assertTrue(third.generation() > first.generation() + 1, "two handovers, two newer generations");
            assertEquals(200, post(services.get(leader), "/storage/snapshot/tank/data").statusCode(),
                    "the leader again accepts runs");
        } finally {
            for (ServiceProcess service : services) {
                if (service.isAlive()) {
                    signal("CONT", service);
                }
            }
            services.forEach(ServiceProcess::close);
            starting.forEach(s -> s.thenAccept(ServiceProcess::close));
        }
    }

    private static long epochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private static HttpResponse<String> post(ServiceProcess service, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Act> acts(Path ledger) throws Exception {
        if (!Files.exists(ledger)) {
            return List.of();
        }
        List<Act> acts = new ArrayList<>();
        for (String line : Files.readAllLines(ledger)) {
            String[] parts = line.split(" ", 3);
            if (parts.length == 3) {
                acts.add(new Act(Integer.parseInt(parts[0]), Long.parseLong(parts[1]), parts[2]));
            }
        }
        return acts;
    }

    private static List<Act> awaitActs(Path ledger, Predicate<List<Act>> wanted, Duration timeout, String what)
            throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Act> acts = acts(ledger);
            if (wanted.test(acts)) {
                return acts;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not within " + timeout + ": " + what + "; ledger: " + acts(ledger));
    }

    private LeaderChange awaitLeader(String group, Instant from, Predicate<LeaderChange> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (LeaderChange change : LeaderElection.handovers(bootstrap, group, from, "planner-failover-it")) {
                if (wanted.test(change)) {
                    return change;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no LeaderChange of " + group + " as expected on " + Topics.LEADERSHIP);
    }
}
