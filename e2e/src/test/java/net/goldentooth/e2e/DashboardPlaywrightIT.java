package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.testkit.AuthTokens;
import net.goldentooth.testkit.KafkaBroker;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.ServiceProcess;
import org.junit.jupiter.api.Test;

/**
 * The dashboard in Debian's headless chromium, driven by playwright-core (npm; no browser
 * download), against real services with authentication on: the broker, the provisioner, one agent
 * serving two nodes and the monitor, each its own JVM. The browser script
 * ({@code src/test/playwright/dashboard-tour.mjs}) clicks through every page, runs a command on a
 * pattern after seeing its hosts and sees its output live, re-runs failed targets, is refused
 * {@code command_root} as operator and creates a silence; then the CLI's {@code alerts} must list
 * that silence with its author, and the provisioner must hold the dashboard's job like the CLI's.
 * On the way it opens the logs page for one unit of a node (a log file the agent ships) with the
 * tab's token, and in follow mode sees a line appended to that file without a reload.
 * Last, the agent is killed and the node's tile must turn down over the stream without a reload.
 * Screenshots go to {@code target/screenshots/}.
 */
class DashboardPlaywrightIT {

    private static final Path PLAYWRIGHT_SOURCES = Path.of("src/test/playwright");
    private static final Path PLAYWRIGHT = Path.of("target/playwright");
    private static final List<String> NODES = List.of("alpha", "beta");

    @Test
    void anOperatorActsFromTheDashboard() throws Exception {
        Path chromium = Path.of("/usr/bin/chromium");
        assertTrue(Files.isExecutable(chromium), "chromium is missing: apt-get install chromium (.ci/packages/e2e.txt)");
        installPlaywright();
        Map<String, String> auth = AuthTokens.enabled();
        Path screenshots = Files.createDirectories(Path.of("target/screenshots"));
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        Map<String, String> provisioner = new HashMap<>(auth);
        // The monitor's port is chosen after the provisioner starts; any loopback origin is allowed here
        // (ProvisionerAuthIT checks that another origin is refused).
        provisioner.put("quarkus.http.cors.origins", "/http://127\\.0\\.0\\.1:[0-9]+/");
        // The agent ships the log files here (the logs page's part of the tour): tour.log is the unit "tour".
        Path logs = Files.createTempDirectory("goldentooth-tour-logs");
        try (LocalCluster cluster = LocalCluster.builder(bootstrap, NODES).oneAgentForAll()
                .provisioner(provisioner)
                // Two service checks for the node page's services panel: the agent's own ports (ok here) and
                // Vault, which does not run on this machine (unknown, with the reason).
                .agents(Map.of("goldentooth.agent.facts-interval", "2s", "goldentooth.agent.facts-check-interval", "1s",
                        "goldentooth.agent.services.checks", "ports,vault",
                        "goldentooth.agent.logs.files", logs + "/*.log"))
                .start()) {
            Files.writeString(logs.resolve("tour.log"), "2026-12-07 06:00:00,000 INFO  [tour] tour line one\n");
            Files.writeString(logs.resolve("other.log"), "2026-12-07 06:00:00,000 INFO  [tour] other line\n");
            Map<String, String> monitorProperties = new HashMap<>(auth);
            monitorProperties.putAll(Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "goldentooth.monitor.inventory", cluster.dir().resolve("inventory.yaml").toString(),
                    "goldentooth.monitor.provisioner-url", cluster.provisioner().baseUrl(),
                    "goldentooth.monitor.facts-interval", "2s",
                    // The machine has no sshd: the liveness probe knocks on the broker's port instead.
                    "goldentooth.monitor.liveness-probe-port", bootstrap.substring(bootstrap.lastIndexOf(':') + 1)));
            try (ServiceProcess monitor = ServiceProcess.start("monitor", "monitor-service", monitorProperties,
                    cluster.dir())) {
                JsonNode created = tour(monitor.baseUrl() + "/", screenshots, cluster.dir(), Map.of(
                        "KILL-AGENT-NOW", () -> cluster.agent(NODES.get(0)).kill(),
                        "WRITE-LOG-LINE-NOW", () -> append(logs.resolve("tour.log"),
                                "2026-12-07 06:00:01,000 ERROR [tour] tour line two\n")));
                assertTrue(created.path("downAfterMs").asLong() < 20_000, "the tile turned down after "
                        + created.path("downAfterMs") + " ms (liveness window 3 x 2 s)");
                assertTrue(java.util.Set.of("down", "agent-down", "node-down", "recovering")
                        .contains(created.path("downLiveness").asText()), created.toString());

                // The silence, through the CLI, with the authenticated author and the comment.
                String alerts = cli(monitor.baseUrl(), AuthTokens.VIEWER, "alerts");
                String silenceId = created.path("silenceId").asText();
                assertTrue(alerts.lines().anyMatch(l -> l.startsWith(silenceId.substring(0, 8)) && l.contains("active")
                        && l.contains("alertname=DashboardTourAlert,node=alpha") && l.contains("olga")
                        && l.contains("planned work from the dashboard")), alerts);
                assertTrue(created.path("silenceMessage").asText().contains("silenced by olga"), created.toString());

                // The dashboard's job went through the provisioner's POST /jobs: the same record as the CLI's.
                JsonNode job = Http.JSON.readTree(Http.send(HttpRequest.newBuilder(URI.create(
                        cluster.provisioner().baseUrl() + "/jobs/" + created.path("jobId").asText()))
                        .header("Authorization", "Bearer " + AuthTokens.VIEWER).build()).body());
                assertEquals("succeeded", job.path("state").asText(), job.toString());
                assertEquals("dashboard", job.path("request").path("requestedBy").asText());
                assertEquals("local", job.path("request").path("pattern").asText());
                JsonNode rerun = Http.JSON.readTree(Http.send(HttpRequest.newBuilder(URI.create(
                        cluster.provisioner().baseUrl() + "/jobs/" + created.path("rerunJobId").asText()))
                        .header("Authorization", "Bearer " + AuthTokens.VIEWER).build()).body());
                assertEquals("alpha,beta", rerun.path("request").path("pattern").asText(), rerun.toString());
            }
        }
    }

    /** npm ci of the pinned playwright-core into target/, once per build directory. */
    private static void installPlaywright() throws IOException, InterruptedException {
        if (Files.isDirectory(PLAYWRIGHT.resolve("node_modules/playwright-core"))) {
            return;
        }
        Files.createDirectories(PLAYWRIGHT);
        for (String file : List.of("package.json", "package-lock.json", "dashboard-tour.mjs")) {
            Files.copy(PLAYWRIGHT_SOURCES.resolve(file), PLAYWRIGHT.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts")
                .directory(PLAYWRIGHT.toFile()).redirectErrorStream(true)
                .redirectOutput(PLAYWRIGHT.resolve("npm-ci.log").toFile()).start();
        assertTrue(npm.waitFor(180, TimeUnit.SECONDS), "npm ci did not finish in 180 s");
        assertEquals(0, npm.exitValue(), "npm ci failed: " + Files.readString(PLAYWRIGHT.resolve("npm-ci.log")));
    }

    private static void append(Path file, String text) {
        try {
            Files.writeString(file, text, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Runs the browser script; each action runs once, when the script prints its line (e.g. KILL-AGENT-NOW). */
    private static JsonNode tour(String dashboard, Path screenshots, Path logDir, Map<String, Runnable> actions)
            throws Exception {
        // The script always comes from the sources, so an edit is never shadowed by an older copy.
        Files.copy(PLAYWRIGHT_SOURCES.resolve("dashboard-tour.mjs"), PLAYWRIGHT.resolve("dashboard-tour.mjs"),
                StandardCopyOption.REPLACE_EXISTING);
        ProcessBuilder builder = new ProcessBuilder("node", "dashboard-tour.mjs").directory(PLAYWRIGHT.toFile());
        builder.environment().putAll(Map.of("DASHBOARD_URL", dashboard, "OPERATOR_TOKEN", AuthTokens.OPERATOR,
                "SCREENSHOTS", screenshots.toAbsolutePath().toString(), "NODE", NODES.get(0), "PATTERN", "local",
                "HOSTS", String.join(",", NODES)));
        Path out = logDir.resolve("dashboard-tour.out");
        Path err = logDir.resolve("dashboard-tour.err");
        Process node = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(150);
        java.util.Set<String> done = new java.util.HashSet<>();
        while (node.isAlive() && System.nanoTime() < deadline) {
            String printed = Files.readString(out);
            for (Map.Entry<String, Runnable> action : actions.entrySet()) {
                if (!done.contains(action.getKey()) && printed.contains(action.getKey())) {
                    action.getValue().run();
                    done.add(action.getKey());
                }
            }
            Thread.sleep(100);
        }
        if (!node.waitFor(1, TimeUnit.SECONDS)) {
            node.destroyForcibly();
            throw new AssertionError("the browser tour took over 150 s: " + Files.readString(err));
        }
        assertEquals(0, node.exitValue(), "the browser tour failed (screenshots in " + screenshots + "): "
                + Files.readString(err) + Files.readString(out));
        List<String> lines = new ArrayList<>(Files.readAllLines(out));
        assertTrue(!lines.isEmpty(), "the tour printed nothing");
        return Http.JSON.readTree(lines.get(lines.size() - 1));
    }

    /** The CLI as a user runs it ({@code ./goldentooth}, the packaged jar), with the given token. */
    private static String cli(String monitor, String token, String... args) throws IOException, InterruptedException {
        Path root = KafkaBroker.projectRoot();
        List<String> command = new ArrayList<>(List.of(root.resolve("goldentooth").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(Map.of("GOLDENTOOTH_MONITOR", monitor, "GOLDENTOOTH_TOKEN", token));
        Process cli = builder.start();
        byte[] printed = cli.getInputStream().readAllBytes();
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "goldentooth " + String.join(" ", args) + " did not end");
        String text = new String(printed, StandardCharsets.UTF_8);
        assertEquals(0, cli.exitValue(), "goldentooth " + String.join(" ", args) + ": " + text);
        return text;
    }
}
