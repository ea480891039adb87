package net.goldentooth.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.testkit.KafkaBroker;

/**
 * A provisioner and one node agent per node, each its own process, on the shared real broker,
 * with an inventory that puts every node on loopback. State lives in a temporary directory.
 */
final class LocalCluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = EventCodec.newMapper();

    private final Path dir;
    private final Map<String, String> provisionerProperties;
    private final ServiceProcess provisioner;
    private final Map<String, ServiceProcess> agents = new LinkedHashMap<>();

    /**
     * @param provisionerOverrides extra provisioner properties (short deadlines for tests)
     */
    LocalCluster(List<String> nodes, Map<String, String> provisionerOverrides) {
        try {
            dir = Files.createTempDirectory("goldentooth-e2e");
            StringBuilder inventory = new StringBuilder("all:\n  children:\n    e2e:\n      hosts:\n");
            for (String node : nodes) {
                inventory.append("        ").append(node).append(":\n          ansible_host: 127.0.0.1\n");
            }
            Files.writeString(dir.resolve("inventory.yaml"), inventory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String bootstrap = KafkaBroker.shared().bootstrapServers();
        provisionerProperties = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString()));
        provisionerProperties.putAll(provisionerOverrides);
        provisioner = ServiceProcess.start("provisioner", "provisioner", provisionerProperties, dir);
        for (String node : nodes) {
            agents.put(node, ServiceProcess.start("agent-" + node, "node-agent", Map.of(
                    "kafka.bootstrap.servers", bootstrap,
                    "goldentooth.agent.node-name", node,
                    "goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString(),
                    "goldentooth.agent.state-dir", dir.resolve("agent-" + node).toString()), dir));
        }
    }

    ServiceProcess provisioner() {
        return provisioner;
    }

    ServiceProcess agent(String node) {
        return agents.get(node);
    }

    /** POST /jobs; returns the created job's status. */
    JobStatus submit(JobRequest request) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(provisioner.baseUrl() + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(request))).build());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("POST /jobs answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    JobStatus job(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(provisioner.baseUrl() + "/jobs/" + jobId)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /jobs/" + jobId + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    /** Polls GET /jobs/{id} until the status matches; fails with the last status seen. */
    JobStatus awaitJob(String jobId, Predicate<JobStatus> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JobStatus last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = job(jobId);
                if (condition.test(last)) {
                    return last;
                }
            } catch (UncheckedIOException e) {
                // the provisioner is restarting
            }
            ServiceProcess.sleep(100);
        }
        throw new AssertionError("job " + jobId + " did not reach the expected state within " + timeout
                + "; last status: " + (last == null ? "none" : EventCodec.encodeToString(last))
                + "\nprovisioner log:\n" + provisioner.tail());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JobStatus parse(String body) {
        try {
            return JSON.readValue(body, JobStatus.class);
        } catch (IOException e) {
            throw new AssertionError("not a JobStatus: " + body, e);
        }
    }

    @Override
    public void close() {
        agents.values().forEach(ServiceProcess::close);
        provisioner.close();
    }
}
