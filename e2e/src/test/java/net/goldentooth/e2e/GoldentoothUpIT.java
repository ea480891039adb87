package net.goldentooth.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What a new user does, word for word: {@code ./goldentooth up}, then
 * {@code ./goldentooth command all uptime}, then {@code ./goldentooth down}; and the seed's cluster
 * simulated: {@code ./goldentooth up --simulate}, a command of the README's tour, {@code ./goldentooth
 * simulate down bettley}, and NodeDown for it. The state directory and a port offset keep it apart
 * from a copy the developer may be running.
 */
class GoldentoothUpIT {

    private final Path root = KafkaBroker.projectRoot();
    private Path state;
    private int offset;

    @Test
    void upThenCommandAllUptimePrintsThisHostsUptimeTaggedWithItsNodeName() throws Exception {
        state = Files.createTempDirectory("goldentooth-up");
        offset = freeOffset();

        Result up = run(List.of("./goldentooth", "up"), 300);
        assertEquals(0, up.exitCode(), "./goldentooth up failed:\n" + up.output() + logs());

        // REST authentication is on: the CLI below gets through with the admin token up made.
        assertFalse(up.output().contains("no enrolment token was minted"), up.output());
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + (8081 + offset) + "/jobs")).timeout(java.time.Duration.ofSeconds(30))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode(), anonymous.body());

        String node = run(List.of("hostname", "-s"), 10).output().trim();
        Result uptime = run(List.of("./goldentooth", "command", "all", "uptime"), 60);
        assertEquals(0, uptime.exitCode(), uptime.output() + logs());
        assertTrue(uptime.output().contains(node + " | SUCCESS | rc=0 >>"), uptime.output());
        assertTrue(uptime.output().contains("load average"), "uptime's own output: " + uptime.output());

        Result unknown = run(List.of("./goldentooth", "command", "no_such_group", "uptime"), 60);
        assertEquals(2, unknown.exitCode(), "an unknown group is a usage error: " + unknown.output());
        assertTrue(unknown.output().contains("no_such_group"), unknown.output());
    }

    @Test
    void upSimulateServesTheSeedsThirteenNodesAndAPoweredOffNodeGoesDown() throws Exception {
        state = Files.createTempDirectory("goldentooth-simulate");
        offset = freeOffset();

        Result up = run(List.of("./goldentooth", "up", "--simulate"), 300);
        assertEquals(0, up.exitCode(), "./goldentooth up --simulate failed:\n" + up.output() + logs());
        assertTrue(up.output().contains("simulated: 13 nodes"), up.output());

        // The README's tour, as written.
        Result workers = run(List.of("./goldentooth", "command", "k8s_worker:!velaryon", "uptime", "--tag"), 60);
        assertEquals(0, workers.exitCode(), workers.output() + logs());
        for (String node : List.of("erenford", "fenn", "gardener", "harlton", "inchfield", "jast", "karstark", "lipps")) {
            assertTrue(workers.output().contains(node), node + " missing: " + workers.output());
        }
        assertFalse(workers.output().contains("velaryon"), workers.output());
        assertTrue(workers.output().contains("load average"), workers.output());

        // The stand-ins' first facts are spread over one facts interval (15 s) after the agent starts.
        Result status;
        long simulated;
        long statusDeadline = System.nanoTime() + java.time.Duration.ofSeconds(40).toNanos();
        do {
            status = run(List.of("./goldentooth", "status"), 60);
            assertEquals(0, status.exitCode(), status.output());
            simulated = status.output().lines().filter(l -> l.contains("simulated") && l.contains(" yes ")).count();
        } while (simulated < 13 && System.nanoTime() < statusDeadline);
        assertEquals(13, simulated, "13 live simulated nodes in:\n" + status.output());

        Result off = run(List.of("./goldentooth", "simulate", "down", "bettley"), 30);
        assertEquals(0, off.exitCode(), off.output());
        Result notSimulated = run(List.of("./goldentooth", "simulate", "down", "nobody"), 30);
        assertEquals(2, notSimulated.exitCode(), notSimulated.output());

        // NodeDown within the liveness window (3 x 15 s of facts) plus an evaluation; bounded at 90 s.
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest alerts = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + (8084 + offset)
                + "/alerts?state=firing")).timeout(java.time.Duration.ofSeconds(10)).build();
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(90).toNanos();
        String body = "";
        while (System.nanoTime() < deadline) {
            body = http.send(alerts, HttpResponse.BodyHandlers.ofString()).body();
            if (firingNodeDown(body, "bettley")) {
                break;
            }
            Thread.sleep(1000);
        }
        assertTrue(firingNodeDown(body, "bettley"), "no firing NodeDown for bettley within 90 s: " + body + logs());
        assertFalse(firingNodeDown(body, "cargyll"), body);
    }

    private static boolean firingNodeDown(String alertsJson, String node) throws IOException {
        for (com.fasterxml.jackson.databind.JsonNode alert : new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(alertsJson)) {
            if ("NodeDown".equals(alert.path("alertName").asText()) && node.equals(alert.path("labels").path("node").asText())
                    && "firing".equalsIgnoreCase(alert.path("phase").asText())) {
                return true;
            }
        }
        return false;
    }

    @AfterEach
    void down() throws Exception {
        if (state != null) {
            Result down = run(List.of("./goldentooth", "down"), 120);
            assertEquals(0, down.exitCode(), down.output());
        }
    }

    record Result(int exitCode, String output) {
    }

    private Result run(List<String> command, int timeoutSeconds) throws IOException, InterruptedException {
        return run(root, state, offset, command, timeoutSeconds);
    }

    /** {@code command} in the checkout {@code root}, with this embedded default's state and port offset. */
    static Result run(Path root, Path state, int offset, List<String> command, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GOLDENTOOTH_STATE", state.toString());
        env.put("GOLDENTOOTH_PORT_OFFSET", Integer.toString(offset));
        env.remove("GOLDENTOOTH_PROVISIONER");
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        Process process = builder.start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }

    private String logs() throws IOException {
        return logs(state);
    }

    /** The last 30 lines of every service's log under {@code state}, for a failure's message. */
    static String logs(Path state) throws IOException {
        StringBuilder all = new StringBuilder();
        Path logs = state.resolve("logs");
        if (Files.isDirectory(logs)) {
            try (var files = Files.list(logs)) {
                for (Path log : files.toList()) {
                    List<String> lines = Files.readAllLines(log);
                    all.append("\n--- ").append(log.getFileName()).append('\n')
                            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())));
                }
            }
        }
        return all.toString();
    }

    /** An offset at which every port the embedded default uses is free right now. */
    static int freeOffset() {
        int[] bases = {8081, 8082, 8083, 8084, 9092, 9093, 9110};
        for (int candidate = 20_000; candidate < 40_000; candidate += 137) {
            boolean free = true;
            for (int base : bases) {
                try (ServerSocket socket = new ServerSocket(base + candidate, 1, InetAddress.getLoopbackAddress())) {
                    socket.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                    break;
                }
            }
            if (free) {
                return candidate;
            }
        }
        throw new IllegalStateException("no free port offset between 20000 and 40000");
    }
}
