package net.goldentooth.monitor.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.Topics;
import net.goldentooth.events.leadership.LeaderChange;
import net.goldentooth.kafka.LeaderElection;
import net.goldentooth.monitor.FactsFeeder;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.testkit.KafkaCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * Two monitor-service processes (their packaged fast-jars) on three real brokers, one Alertmanager
 * stand-in: a small HTTP server in the test, since Alertmanager is a peer. It listens on one port
 * per monitor, so every POST is known by its sender.
 *
 * <p>Both monitors fold the same facts; only the elected one delivers. NodeDown of node A fires and
 * is delivered by the leader, the standby sending nothing. The leader is killed (-9), then node B
 * goes down while no one delivers. The standby must take over within the session timeout, deliver
 * B, and re-send A. "Delivered twice" is judged as Alertmanager judges it: an alert is its label set,
 * and a POST of a label set Alertmanager already holds as firing only refreshes it; so each node must
 * open exactly one firing episode, and the two monitors' POSTs must never interleave in time.
 */
class DeliveryFailoverIT {

    /** The election's session is 6 s; takeover adds a confirmation and an evaluation tick. */
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(15);

    /** A replicated bus, as in production: three KRaft brokers, every topic with three replicas. */
    @AutoClose
    private final KafkaCluster brokers = KafkaCluster.start(3);
    private final String bootstrap = brokers.bootstrapServers();
    private final List<Post> posts = new CopyOnWriteArrayList<>();

    record Post(int port, long atNanos, Instant at, JsonNode alerts) {
    }

    @Test
    void theStandbyTakesOverDeliveryWithinTheSessionAndNoAlertIsDeliveredTwice() throws Exception {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String group = "monitor-delivery-it-" + suffix;
        String nodeA = "failover-a-" + suffix;
        String nodeB = "failover-b-" + suffix;
        Instant from = Instant.now().minusSeconds(1);
        HttpServer[] receivers = {receiver(), receiver()};
        Path logs = Path.of("target", "delivery-failover-it");
        java.nio.file.Files.createDirectories(logs);
        FactsFeeder feederA = new FactsFeeder(bootstrap, nodeA, Duration.ofSeconds(1), at -> TestFacts.healthy(nodeA, at));
        FactsFeeder feederB = new FactsFeeder(bootstrap, nodeB, Duration.ofSeconds(1), at -> TestFacts.healthy(nodeB, at));
        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Map<String, String> props = Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "goldentooth.monitor.alertmanager-url", "http://127.0.0.1:" + receivers[i].getAddress().getPort(),
                    "goldentooth.monitor.delivery-group", group,
                    "goldentooth.monitor.facts-interval", "1s",
                    "goldentooth.monitor.hold-down", "1s",
                    "goldentooth.monitor.evaluation-interval", "200ms",
                    "goldentooth.monitor.agent-probe-port", "0");
            String name = "monitor-" + i;
            starting.add(CompletableFuture.supplyAsync(() -> ServiceProcess.start(name, "monitor-service", props, logs)));
        }
        List<ServiceProcess> monitors = new ArrayList<>();
        try {
            for (CompletableFuture<ServiceProcess> s : starting) {
                monitors.add(s.join());
            }
            LeaderChange first = awaitLeader(group, from, change -> true);
            int leaderIndex = first.member().endsWith(":" + monitors.get(0).port()) ? 0 : 1;
            assertTrue(first.member().endsWith(":" + monitors.get(leaderIndex).port()), "leader " + first.member());
            ServiceProcess leader = monitors.get(leaderIndex);
            int leaderReceiver = receivers[leaderIndex].getAddress().getPort();
            int standbyReceiver = receivers[1 - leaderIndex].getAddress().getPort();

            feederA.stop();
            Post firstOfA = awaitPost(p -> p.port() == leaderReceiver && firing(p, nodeA), Duration.ofSeconds(20),
                    "the leader delivers NodeDown of " + nodeA);
            assertTrue(posts.stream().noneMatch(p -> p.port() == standbyReceiver),
                    "the standby delivered while the leader lived: " + posts);

            leader.kill();
            long killedAt = System.nanoTime();
            feederB.stop();
            Post takeover = awaitPost(p -> p.port() == standbyReceiver, TAKEOVER_BOUND.plusSeconds(5),
                    "the standby delivers after the leader's kill -9");
            Duration handover = Duration.ofNanos(takeover.atNanos() - killedAt);
            System.out.printf("delivery failover: kill -9 of the leader to the standby's first POST: %d ms%n",
                    handover.toMillis());
            assertTrue(handover.compareTo(TAKEOVER_BOUND) < 0, "took over in " + handover);
            awaitPost(p -> p.port() == standbyReceiver && firing(p, nodeB), Duration.ofSeconds(15),
                    "NodeDown of " + nodeB + ", which fired during the handover, is delivered by the new leader");
            assertTrue(posts.stream().anyMatch(p -> p.port() == standbyReceiver && firing(p, nodeA)),
                    "the new leader re-sends what the old one delivered (Alertmanager merges it)");

            awaitLeader(group, from, change -> change.generation() > first.generation()
                    && change.member().endsWith(":" + monitors.get(1 - leaderIndex).port()));
            assertTrue(posts.stream().filter(p -> p.port() == leaderReceiver)
                            .allMatch(p -> p.atNanos() < takeover.atNanos()),
                    "the old leader's POSTs all precede the new leader's first");
            assertTrue(firstOfA.atNanos() < killedAt);
            Map<String, Integer> episodes = firingEpisodes();
            assertEquals(1, episodes.getOrDefault(nodeA, 0), "NodeDown " + nodeA + " as Alertmanager holds it: " + episodes);
            assertEquals(1, episodes.getOrDefault(nodeB, 0), "NodeDown " + nodeB + " as Alertmanager holds it: " + episodes);
        } finally {
            feederA.close();
            feederB.close();
            monitors.forEach(ServiceProcess::close);
            starting.forEach(s -> s.thenAccept(ServiceProcess::close));
            for (HttpServer r : receivers) {
                r.stop(0);
            }
        }
    }

    /** Alertmanager's view: per label set, how many times it went from not firing to firing. */
    private Map<String, Integer> firingEpisodes() {
        Map<String, Integer> episodes = new HashMap<>();
        Set<String> open = new HashSet<>();
        posts.stream().sorted((a, b) -> Long.compare(a.atNanos(), b.atNanos())).forEach(post -> {
            for (JsonNode alert : post.alerts()) {
                Map<String, String> labels = new TreeMap<>();
                alert.path("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                String identity = labels.toString();
                boolean firing = Instant.parse(alert.path("endsAt").asText()).isAfter(post.at());
                if (firing && open.add(identity)) {
                    episodes.merge(labels.getOrDefault("node", "?"), 1, Integer::sum);
                } else if (!firing) {
                    open.remove(identity);
                }
            }
        });
        return episodes;
    }

    private static boolean firing(Post post, String node) {
        for (JsonNode alert : post.alerts()) {
            if ("NodeDown".equals(alert.path("labels").path("alertname").asText())
                    && node.equals(alert.path("labels").path("node").asText())
                    && Instant.parse(alert.path("endsAt").asText()).isAfter(post.at())) {
                return true;
            }
        }
        return false;
    }

    private HttpServer receiver() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = server.getAddress().getPort();
        server.createContext("/api/v2/alerts", exchange -> {
            try {
                JsonNode body = EventCodec.mapper().readTree(exchange.getRequestBody().readAllBytes());
                posts.add(new Post(port, System.nanoTime(), Instant.now(), body));
                exchange.sendResponseHeaders(200, -1);
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
            } finally {
                exchange.close();
            }
        });
        server.start();
        return server;
    }

    private Post awaitPost(Predicate<Post> wanted, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Post post : posts) {
                if (wanted.test(post)) {
                    return post;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("not within " + timeout + ": " + what + "; POSTs: " + posts);
    }

    private LeaderChange awaitLeader(String group, Instant from, Predicate<LeaderChange> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            for (LeaderChange change : LeaderElection.handovers(bootstrap, group, from, "delivery-failover-it")) {
                if (wanted.test(change)) {
                    return change;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no LeaderChange of " + group + " as expected on " + Topics.LEADERSHIP);
    }
}
