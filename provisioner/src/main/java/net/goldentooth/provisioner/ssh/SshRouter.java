package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.Topics;
import net.goldentooth.events.job.JobKind;
import net.goldentooth.events.job.JobRequest;
import net.goldentooth.events.job.Task;
import net.goldentooth.kafka.EventPublisher;
import net.goldentooth.provisioner.config.SshConfig;
import net.goldentooth.provisioner.enrolment.TokenMinter;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.jobs.JobEngine;
import net.goldentooth.provisioner.nodes.NodeDirectory;

/**
 * Decides who runs each task: bootstrap tasks and, for jobs that allow the SSH fallback, tasks for
 * nodes with no live agent go to the {@link SshExecutor}; the rest go to the agents. The executor
 * publishes on {@code job.progress} like an agent, so from here on both paths are one.
 */
public final class SshRouter implements AutoCloseable {

    private final JobEngine engine;
    private final NodeDirectory nodes;
    private final SshExecutor executor;
    private final SshExecutor.BodyFactory bootstrap;
    private final ScheduledExecutorService evictor;

    private SshRouter(JobEngine engine, NodeDirectory nodes, SshExecutor executor, SshExecutor.BodyFactory bootstrap,
                      SshPool pool, long evictEveryMs) {
        this.engine = engine;
        this.nodes = nodes;
        this.executor = executor;
        this.bootstrap = bootstrap;
        this.evictor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ssh-idle-evictor");
            t.setDaemon(true);
            return t;
        });
        evictor.scheduleWithFixedDelay(pool::evictIdle, evictEveryMs, evictEveryMs, TimeUnit.MILLISECONDS);
    }

    /**
     * @param signingPublicKey the task-signing public key (PEM) that bootstrapped agents trust
     * @param minter           mints the enrolment token of a node that has none
     * @param kafkaBootstrap the provisioner's own Kafka, written into agents' configuration unless configured
     */
    public static SshRouter create(SshConfig config, Inventory inventory, NodeDirectory nodes, JobEngine engine,
                                   EventPublisher publisher, Clock clock, String kafkaBootstrap,
                                   java.nio.file.Path signingPublicKey,
                                   TokenMinter minter) throws IOException {
        SshConnector connector = new SshConnector(config.identity(), config.knownHosts(), config.connectTimeout(),
                config.authTimeout());
        SshPool pool = new SshPool(connector, config.maxConnections(), config.idleTimeout(), clock);
        SshExecutor executor = new SshExecutor(pool, node -> SshTarget.of(inventory, node, config.user()),
                progress -> publisher.publish(Topics.JOB_PROGRESS, progress.jobId(), progress), clock,
                config.maxConnections());
        SshConfig.Bootstrap b = config.bootstrap();
        AgentBootstrap.Settings settings = new AgentBootstrap.Settings(b.artifact(), b.agentDir(), b.configDir(),
                b.kafkaBootstrapServers().orElse(kafkaBootstrap), Files.readString(signingPublicKey),
                b.serviceCheckCommand(), b.serviceStartCommand(), b.serviceRestartCommand(), b.debInstallCommand(),
                config.authTimeout().toMillis() * 6, secureBus(b));
        SshExecutor.BodyFactory bootstrap = (task, target) -> new AgentBootstrap(settings, task.node(),
                () -> minter.mint(minter.claimsFor(task.node())));
        long evictEvery = Math.max(1000, config.idleTimeout().toMillis() / 2);
        return new SshRouter(engine, nodes, executor, bootstrap, pool, evictEvery);
    }

    private static AgentBootstrap.SecureBus secureBus(SshConfig.Bootstrap b) throws IOException {
        if (b.kafkaTrust().isEmpty()) {
            return null;
        }
        String url = b.enrolmentUrl().orElseThrow(() -> new IllegalStateException(
                "goldentooth.provisioner.ssh.bootstrap.kafka-trust is set but enrolment-url is not: "
                        + "the agent could not obtain its first Kafka certificate"));
        if (!url.startsWith("https://")) {
            throw new IllegalStateException("goldentooth.provisioner.ssh.bootstrap.enrolment-url must be https://, was " + url);
        }
        String pem = Files.readString(b.kafkaTrust().get());
        if (!pem.contains("BEGIN CERTIFICATE")) {
            throw new IllegalStateException(b.kafkaTrust().get() + " holds no PEM certificate");
        }
        return new AgentBootstrap.SecureBus(pem, url, b.secureDropIn(), b.agentStateDir());
    }

    /** Sends the SSH share of {@code tasks} to the executor and returns what the agents get. */
    public List<Task> route(List<Task> tasks) {
        if (tasks.isEmpty()) {
            return tasks;
        }
        List<Task> toAgents = new ArrayList<>(tasks.size());
        List<Task> overSsh = new ArrayList<>();
        List<Task> bootstraps = new ArrayList<>();
        for (Task task : tasks) {
            JobRequest request = engine.requestOf(task.jobId());
            if (request != null && request.kind() == JobKind.BOOTSTRAP) {
                bootstraps.add(task);
            } else if (request != null && request.sshFallback() && !nodes.isLive(task.node())) {
                overSsh.add(task);
            } else {
                toAgents.add(task);
            }
        }
        if (!overSsh.isEmpty() || !bootstraps.isEmpty()) {
            List<Task> all = new ArrayList<>(overSsh);
            all.addAll(bootstraps);
            engine.routedOverSsh(all);
            overSsh.forEach(t -> executor.submit(t, executor.commands()));
            bootstraps.forEach(t -> executor.submit(t, bootstrap));
        }
        return toAgents;
    }

    @Override
    public void close() {
        evictor.shutdownNow();
        executor.close();
    }
}
