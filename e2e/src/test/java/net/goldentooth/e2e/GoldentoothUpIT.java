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
 * {@code ./goldentooth command all uptime}, then {@code ./goldentooth down}. The state directory
 * and a port offset keep it apart from a copy the developer may be running.
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
    private static int freeOffset() {
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
