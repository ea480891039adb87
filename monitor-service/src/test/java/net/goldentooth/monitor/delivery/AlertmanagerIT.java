package net.goldentooth.monitor.delivery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.goldentooth.events.alert.AlertPhase;
import net.goldentooth.events.alert.AlertState;
import org.junit.jupiter.api.Test;

/**
 * A real Alertmanager (Debian's prometheus-alertmanager) on loopback receives our alert and lists
 * it through its own API. The sender starts before Alertmanager is up, so the first POSTs fail and
 * the alert arrives only through the retries.
 */
class AlertmanagerIT {

    private static final Path BINARY = Path.of("/usr/bin/prometheus-alertmanager");

    @Test
    void alertmanagerReceivesAndListsOurAlertAfterRetries() throws Exception {
        assertTrue(Files.isExecutable(BINARY),
                "prometheus-alertmanager is missing: apt-get install prometheus-alertmanager (see .ci/packages/monitor-service.txt)");
        Path dir = Files.createTempDirectory("alertmanager-it");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(dir.resolve("alertmanager.yml"), "route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n");
        String base = "http://127.0.0.1:" + port;
        Instant now = Instant.now();
        AlertState firing = new AlertState("0123456789abcdef", "NodeDown", AlertPhase.FIRING, "critical",
                Map.of("alertname", "NodeDown", "node", "it-alertmanager", "severity", "critical"),
                Map.of("summary", "Node it-alertmanager is down"), now, now, null, now, false, 45.0);
        Process alertmanager = null;
        try (AlertmanagerSender sender = new AlertmanagerSender(base, Duration.ofSeconds(30), "http://127.0.0.1:8084/",
                Clock.systemUTC())) {
            sender.offer(List.of(firing));
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (sender.failures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(sender.failures() > 0, "the first delivery should fail while Alertmanager is down");
            alertmanager = new ProcessBuilder(BINARY.toString(), "--config.file=" + dir.resolve("alertmanager.yml"),
                    "--storage.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + port,
                    "--cluster.listen-address=").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("alertmanager.log").toFile()).start();
            HttpClient http = HttpClient.newHttpClient();
            deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            String listed = "";
            while (System.nanoTime() < deadline) {
                try {
                    listed = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v2/alerts")).GET().build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    if (listed.contains("it-alertmanager")) {
                        break;
                    }
                } catch (java.io.IOException notYetUp) {
                    // Alertmanager is still starting.
                }
                Thread.sleep(200);
            }
            assertTrue(listed.contains("\"node\":\"it-alertmanager\"") && listed.contains("\"alertname\":\"NodeDown\""),
                    "Alertmanager lists: " + listed + "\nlog: " + Files.readString(dir.resolve("alertmanager.log")));
            assertTrue(sender.sent() >= 1);
        } finally {
            if (alertmanager != null) {
                alertmanager.destroy();
                if (!alertmanager.waitFor(10, TimeUnit.SECONDS)) {
                    alertmanager.destroyForcibly();
                }
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
