package net.goldentooth.testkit;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.JobStatus;

/**
 * A provisioner and node agents as separate processes, from their packaged fast-jars, on a real
 * broker, with an inventory that puts every node on loopback. Either one agent process per node,
 * or one agent process hosting every node (the agent's simulated nodes, for scale). State lives in
 * a temporary directory.
 */
public final class LocalCluster implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = EventCodec.newMapper();

    private final Path dir;
    private final List<ServiceProcess> provisioners = new ArrayList<>();
    private final Map<String, ServiceProcess> agents = new LinkedHashMap<>();

    private LocalCluster(Builder builder) {
        try {
            dir = Files.createTempDirectory("goldentooth-cluster");
            StringBuilder inventory = new StringBuilder("all:\n  children:\n    local:\n      hosts:\n");
            for (String node : builder.nodes) {
                inventory.append("        ").append(node).append(": {ansible_host: 127.0.0.1}\n");
            }
            if (!builder.agentless.isEmpty()) {
                inventory.append("    ").append(builder.agentlessGroup).append(":\n      hosts:\n");
                builder.agentless.forEach((node, vars) ->
                        inventory.append("        ").append(node).append(": {").append(vars).append("}\n"));
            }
            Files.writeString(dir.resolve("inventory.yaml"), inventory);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> provisionerProperties = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", builder.bootstrap,
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString()));
        provisionerProperties.putAll(builder.provisionerOverrides);
        try {
            // Every instance signs with the same key: it is the service's, not an instance's.
            for (int i = 1; i <= builder.provisionerInstances; i++) {
                provisioners.add(ServiceProcess.start(i == 1 ? "provisioner" : "provisioner-" + i,
                        builder.provisionerModule, builder.provisionerJvm, provisionerProperties, dir));
            }
            if (builder.oneAgentForAll) {
                String first = builder.nodes.get(0);
                Map<String, String> properties = agentProperties(builder.bootstrap, first);
                if (builder.nodes.size() > 1) {
                    properties.put("goldentooth.agent.simulated-nodes",
                            String.join(",", builder.nodes.subList(1, builder.nodes.size())));
                }
                properties.putAll(builder.agentOverrides);
                agents.put(first, ServiceProcess.start("agent", "node-agent", builder.agentJvm, properties, dir));
            } else {
                for (String node : builder.nodes) {
                    Map<String, String> properties = agentProperties(builder.bootstrap, node);
                    properties.putAll(builder.agentOverrides);
                    agents.put(node, ServiceProcess.start("agent-" + node, "node-agent", builder.agentJvm, properties,
                            dir));
                }
            }
        } catch (RuntimeException e) {
            // The constructor never returns, so nobody could close what already started.
            close();
            throw e;
        }
    }

    private Map<String, String> agentProperties(String bootstrap, String node) {
        return new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrap,
                "goldentooth.agent.node-name", node,
                "goldentooth.agent.trusted-key-files", dir.resolve("task-signing.pub").toString(),
                "goldentooth.agent.state-dir", dir.resolve("agent-" + node).toString()));
    }

    public static Builder builder(String bootstrap, List<String> nodes) {
        return new Builder(bootstrap, nodes);
    }

    /** The first provisioner instance: the one {@link #submit} and {@link #job} talk to. */
    public ServiceProcess provisioner() {
        return provisioners.get(0);
    }

    /** Every provisioner instance, in the order they were started. */
    public List<ServiceProcess> provisioners() {
        return List.copyOf(provisioners);
    }

    /** The agent process of {@code node} (with one agent for all, the process of the first node). */
    public ServiceProcess agent(String node) {
        return agents.get(node);
    }

    public Path dir() {
        return dir;
    }

    /** POST /jobs; returns the created job's status. */
    public JobStatus submit(JobRequest request) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(provisioner().baseUrl() + "/jobs"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EventCodec.encodeToString(request))).build());
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            throw new AssertionError("POST /jobs answered " + response.statusCode() + ": " + response.body());
        }
        return parse(response.body());
    }

    public JobStatus job(String jobId) {
        HttpResponse<String> response = send(HttpRequest.newBuilder(
                URI.create(provisioner().baseUrl() + "/jobs/" + jobId)).build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET /jobs/" + jobId + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return parse(response.body());
    }

    /** Polls GET /jobs/{id} until the status matches; fails with the last status seen. */
    public JobStatus awaitJob(String jobId, Predicate<JobStatus> condition, Duration timeout) {
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
                + "\nprovisioner log:\n" + provisioner().tail());
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
        provisioners.forEach(ServiceProcess::close);
    }

    /** How the cluster is laid out. */
    public static final class Builder {
        private final String bootstrap;
        private final List<String> nodes;
        private boolean oneAgentForAll;
        private final Map<String, String> provisionerOverrides = new LinkedHashMap<>();
        private final Map<String, String> agentOverrides = new LinkedHashMap<>();
        private String agentlessGroup;
        private final Map<String, String> agentless = new LinkedHashMap<>();
        private List<String> provisionerJvm = List.of("-Xmx256m");
        private List<String> agentJvm = List.of("-Xmx256m");
        private String provisionerModule = "provisioner";
        private int provisionerInstances = 1;

        private Builder(String bootstrap, List<String> nodes) {
            if (nodes.isEmpty()) {
                throw new IllegalArgumentException("a cluster needs at least one node");
            }
            this.bootstrap = bootstrap;
            this.nodes = List.copyOf(nodes);
        }

        /** One agent process hosts every node (simulated nodes), instead of one process per node. */
        public Builder oneAgentForAll() {
            this.oneAgentForAll = true;
            return this;
        }

        /**
         * Inventory hosts that get no agent (for SSH), in {@code group}; each value is the inside of a
         * YAML flow mapping of host vars: {@code ansible_host: 127.0.0.1, ansible_port: 2201}.
         */
        public Builder agentless(String group, Map<String, String> hostVars) {
            this.agentlessGroup = group;
            agentless.putAll(hostVars);
            return this;
        }

        public Builder provisioner(Map<String, String> overrides) {
            provisionerOverrides.putAll(overrides);
            return this;
        }

        /** Runs {@code instances} provisioner processes in group {@code provisioner} (default 1). */
        public Builder provisioners(int instances) {
            if (instances < 1) {
                throw new IllegalArgumentException("a cluster needs at least one provisioner, was " + instances);
            }
            this.provisionerInstances = instances;
            return this;
        }

        public Builder agents(Map<String, String> overrides) {
            agentOverrides.putAll(overrides);
            return this;
        }

        public Builder provisionerJvm(List<String> options) {
            this.provisionerJvm = List.copyOf(options);
            return this;
        }

        public Builder agentJvm(List<String> options) {
            this.agentJvm = List.copyOf(options);
            return this;
        }

        /**
         * Runs the provisioner of another build: {@code moduleDir} holds {@code target/quarkus-app}
         * (a copy of an earlier build, for a bench's before/after comparison in one run).
         */
        public Builder provisionerBuild(java.nio.file.Path moduleDir) {
            this.provisionerModule = moduleDir.toAbsolutePath().toString();
            return this;
        }

        public LocalCluster start() {
            return new LocalCluster(this);
        }
    }
}
