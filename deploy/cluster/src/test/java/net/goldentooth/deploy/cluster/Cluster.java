package net.goldentooth.deploy.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A cluster made by {@code ./goldentooth cluster up}, driven the way a user drives it: the
 * {@code goldentooth} command for everything a user types, and the REST APIs where a test must
 * watch a job or an alert change while it injects a fault. Its own state directory and port offset
 * keep it apart from a cluster the developer may be running; the image is the checkout's
 * ({@code .goldentooth/cluster/image}), built on first use and kept.
 */
final class Cluster {

    static final ObjectMapper JSON = new ObjectMapper();
    private HttpClient http;

    final Path root;
    final Path state;
    final int offset;
    final Map<String, String> extraEnv;

    Cluster(Path root, Path state, int offset, Map<String, String> extraEnv) {
        this.root = root;
        this.state = state;
        this.offset = offset;
        this.extraEnv = extraEnv;
    }

    record Result(int exitCode, String output) {
        Result ok(String what) {
            if (exitCode != 0) {
                throw new AssertionError(what + " exited " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    /** {@code ./goldentooth <args>} in the checkout, with this cluster's state and offset. */
    Result goldentooth(int timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>();
        command.add("./goldentooth");
        command.addAll(List.of(args));
        return run(command, timeoutSeconds);
    }

    /** A command inside a machine's namespaces ({@code cluster exec}), as root. */
    Result exec(String node, String shell) {
        return goldentooth(60, "cluster", "exec", node, "sh", "-c", shell);
    }

    String execOk(String node, String shell) {
        return exec(node, shell).ok(node + ": " + shell).output().strip();
    }

    Result run(List<String> command, int timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.put("GOLDENTOOTH_STATE", state.toString());
        env.put("GOLDENTOOTH_PORT_OFFSET", Integer.toString(offset));
        env.put("GOLDENTOOTH_CLUSTER_IMAGE", root.resolve(".goldentooth/cluster/image").toString());
        env.remove("GOLDENTOOTH_PROVISIONER");
        env.remove("KAFKA_BOOTSTRAP_SERVERS");
        env.putAll(extraEnv);
        try {
            Path out = Files.createTempFile(state, "cmd", ".out");
            builder.redirectOutput(out.toFile());
            Process process = builder.start();
            process.getOutputStream().close();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError(command + " did not finish within " + timeoutSeconds + " s:\n"
                        + Files.readString(out));
            }
            String output = Files.readString(out, StandardCharsets.UTF_8);
            Files.delete(out);
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new AssertionError(command + " could not run: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    // --- REST ------------------------------------------------------------------------------------

    /**
     * A service's URL as the CLI finds it: on the secure bus {@code $STATE/cli.env} names the HTTPS
     * URL on the bridge address; in PLAINTEXT the services listen on loopback.
     */
    private String service(String variable, int port) {
        Path env = state.resolve("cli.env");
        if (secure() && Files.isRegularFile(env)) {
            try {
                for (String line : Files.readAllLines(env)) {
                    if (line.startsWith(variable + "=")) {
                        return line.substring(variable.length() + 1).strip();
                    }
                }
            } catch (IOException e) {
                throw new AssertionError("cannot read " + env, e);
            }
            throw new AssertionError(variable + " missing from " + env);
        }
        return "http://127.0.0.1:" + (port + offset);
    }

    /** Whether the control plane runs the secure bus ({@code $STATE/mode}, written by up.sh). */
    boolean secure() {
        try {
            Path mode = state.resolve("mode");
            return Files.isRegularFile(mode) && Files.readString(mode).strip().equals("secure");
        } catch (IOException e) {
            throw new AssertionError("cannot read the state's mode", e);
        }
    }

    String provisioner() {
        return service("GOLDENTOOTH_PROVISIONER", 8081);
    }

    String monitor() {
        return service("GOLDENTOOTH_MONITOR", 8084);
    }

    /** The test's HTTP client; on the secure bus it trusts only the cluster's root (hostnames verified). */
    private synchronized HttpClient http() {
        if (http == null) {
            HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
            if (secure()) {
                builder.sslContext(trustingRoot(state.resolve("secure/root.pem")));
            }
            http = builder.build();
        }
        return http;
    }

    static javax.net.ssl.SSLContext trustingRoot(Path pem) {
        try (java.io.InputStream in = Files.newInputStream(pem)) {
            java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            int i = 0;
            for (java.security.cert.Certificate c
                    : java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("root" + i++, c);
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            javax.net.ssl.SSLContext context = javax.net.ssl.SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new AssertionError("cannot trust " + pem + ": " + e, e);
        }
    }

    private String token() {
        try {
            return Files.readString(state.resolve("admin-token")).strip();
        } catch (IOException e) {
            throw new AssertionError("no admin token in " + state, e);
        }
    }

    JsonNode get(String url) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token()).timeout(Duration.ofSeconds(10)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    JsonNode post(String url, JsonNode body) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + token()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).timeout(Duration.ofSeconds(10)).build());
        if (response.statusCode() / 100 != 2) {
            throw new AssertionError("POST " + url + " answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    /** Starts a {@code command} job; returns its id. */
    String submit(String pattern, String command, int timeoutSeconds) {
        ObjectNode request = JSON.createObjectNode().put("kind", "command").put("pattern", pattern)
                .put("command", command).put("timeoutSeconds", timeoutSeconds).put("requestedBy", "cluster-it");
        return post(provisioner() + "/jobs", request).path("jobId").asText();
    }

    JsonNode job(String id) {
        return get(provisioner() + "/jobs/" + id);
    }

    String targetState(String jobId, String node) {
        return job(jobId).path("targets").path(node).path("state").asText();
    }

    /** Waits until the job is no longer running; returns its final status. */
    JsonNode awaitJob(String id, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        JsonNode status = job(id);
        while ("running".equals(status.path("state").asText()) || "awaiting-approval".equals(status.path("state").asText())) {
            if (System.nanoTime() > end) {
                throw new AssertionError("job " + id + " still running after " + limit + ": " + status);
            }
            sleep(250);
            status = job(id);
        }
        return status;
    }

    /** A one-time enrolment token for {@code node}, as {@code POST /enrolment-tokens} mints it. */
    String enrolmentToken(String node) {
        return post(provisioner() + "/enrolment-tokens", JSON.createObjectNode().put("node", node)).path("token").asText();
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }

    // --- waiting ---------------------------------------------------------------------------------

    static void await(Duration limit, String what, BooleanSupplier condition) {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + limit + ": " + what);
            }
            sleep(250);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * An offset at which every port the control plane uses is free and whose bridge does not exist
     * (cluster.sh derives the bridge name and the subnet 10.99.(offset/100 % 200 + 20).0/24 from it).
     */
    static int freeOffset() throws IOException, InterruptedException {
        int[] bases = {8081, 8082, 8083, 8084, 9092, 9093};
        String addresses = new String(new ProcessBuilder("ip", "-o", "addr").start().getInputStream().readAllBytes(),
                StandardCharsets.UTF_8);
        for (int candidate = 31_000; candidate < 50_000; candidate += 100) {
            int subnet = (candidate / 100) % 200 + 20;
            if (addresses.contains(" 10.99." + subnet + ".") || Files.exists(Path.of("/sys/class/net/gtbr" + candidate))) {
                continue;
            }
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
        throw new IllegalStateException("no free port offset between 31000 and 50000");
    }
}
