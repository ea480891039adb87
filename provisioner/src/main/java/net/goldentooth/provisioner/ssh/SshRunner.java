package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.job.Task;
import net.goldentooth.provisioner.config.SshConfig;
import net.goldentooth.provisioner.enrolment.TokenMinter;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.jobs.ProgressSink;
import net.goldentooth.provisioner.jobs.SshSink;

/**
 * The SSH executor behind {@link SshSink}: runs a command, or bootstraps the agent, on the task's
 * node. Which tasks come here is decided in one place, {@link net.goldentooth.provisioner.jobs.JobDesk};
 * the executor reports on {@code job.progress} like an agent, so from here on both paths are one.
 */
public final class SshRunner implements SshSink, AutoCloseable {

    private final SshExecutor executor;
    private final SshExecutor.BodyFactory bootstrap;
    private final ScheduledExecutorService evictor;

    private SshRunner(SshExecutor executor, SshExecutor.BodyFactory bootstrap, SshPool pool, long evictEveryMs) {
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
     * @param progress         where the executor reports, as an agent would ({@code job.progress})
     * @param kafkaBootstrap   the provisioner's own Kafka, written into agents' configuration unless configured
     * @param signingPublicKey the task-signing public key (PEM) that bootstrapped agents trust
     * @param minter           mints the enrolment token of a node that has none
     */
    public static SshRunner create(SshConfig config, Inventory inventory, ProgressSink progress, Clock clock,
                                   String kafkaBootstrap, java.nio.file.Path signingPublicKey,
                                   TokenMinter minter) throws IOException {
        SshConnector connector = new SshConnector(config.identity(), config.knownHosts(), config.connectTimeout(),
                config.authTimeout());
        SshPool pool = new SshPool(connector, config.maxConnections(), config.idleTimeout(), clock);
        SshExecutor executor = new SshExecutor(pool, node -> SshTarget.of(inventory, node, config.user()),
                progress::publish, clock, config.maxConnections());
        SshConfig.Bootstrap b = config.bootstrap();
        AgentBootstrap.Settings settings = new AgentBootstrap.Settings(b.artifact(), b.agentDir(), b.configDir(),
                b.kafkaBootstrapServers().orElse(kafkaBootstrap), Files.readString(signingPublicKey),
                b.serviceCheckCommand(), b.serviceStartCommand(), b.serviceRestartCommand(), b.debInstallCommand(),
                config.authTimeout().toMillis() * 6, secureBus(b));
        SshExecutor.BodyFactory bootstrap = (task, target) -> new AgentBootstrap(settings, task.node(),
                () -> minter.mint(minter.claimsFor(task.node())));
        long evictEvery = Math.max(1000, config.idleTimeout().toMillis() / 2);
        return new SshRunner(executor, bootstrap, pool, evictEvery);
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

    @Override
    public void command(Task task) {
        executor.submit(task, executor.commands());
    }

    @Override
    public void bootstrap(Task task) {
        executor.submit(task, bootstrap);
    }

    @Override
    public void close() {
        evictor.shutdownNow();
        executor.close();
    }
}
