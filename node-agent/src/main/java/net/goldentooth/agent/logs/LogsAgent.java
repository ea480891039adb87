package net.goldentooth.agent.logs;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.goldentooth.agent.AgentLifecycle;
import net.goldentooth.agent.config.AgentConfig;
import net.goldentooth.agent.messaging.AgentSources;
import net.goldentooth.events.Topics;
import net.goldentooth.events.logs.LogPriority;
import net.goldentooth.kafka.EventPublisher;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Starts the log sources after the agent's own start-up ({@link AgentLifecycle} names the node):
 * the journal on a thread of its own, the file globs on another, and a saver of their positions.
 * Lines leave through a producer of their own, compressed, so a burst of logs never queues in
 * front of a task's progress.
 */
@ApplicationScoped
public class LogsAgent {

    private static final Logger LOG = Logger.getLogger(LogsAgent.class);

    /**
     * The log producer: lines are many and small, so they linger up to 100 ms and are compressed in
     * batches (lz4: cheap on a Pi's CPU); retried for as long as the broker is away, like the rest of
     * the agent's records; its buffer is well above the shipper's in-flight bound so a send never blocks.
     * Batches of 64 KiB (lz4 compresses in 64 KiB blocks anyway): under a burst a batch fills and
     * leaves in a few tens of milliseconds, so its lines are garbage before the agent's small young
     * generation (-Xmn4m) is collected again, instead of being copied and promoted, which with
     * 256 KiB batches cost a full collection every second or so (bench/logs --jfr).
     */
    static final Map<String, Object> PRODUCER_OVERRIDES = Map.of(
            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.toString(Integer.MAX_VALUE),
            ProducerConfig.METADATA_MAX_IDLE_CONFIG, Long.toString(Duration.ofDays(1).toMillis()),
            ProducerConfig.LINGER_MS_CONFIG, "100",
            ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(64 * 1024),
            ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(16L << 20),
            ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");

    private final LogsConfig config;
    private final AgentConfig agentConfig;
    private final AgentLifecycle agent;
    private final String bootstrapServers;
    private final LogMetrics metrics;

    private EventPublisher publisher;
    private LogShipper shipper;
    private JournalSource journal;
    private FileSource files;
    private ScheduledExecutorService saver;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public LogsAgent(LogsConfig config, AgentConfig agentConfig, AgentLifecycle agent,
                     @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers, MeterRegistry registry) {
        this.config = config;
        this.agentConfig = agentConfig;
        this.agent = agent;
        this.bootstrapServers = bootstrapServers;
        this.metrics = new LogMetrics(registry);
    }

    /** After {@link AgentLifecycle}'s start (default observer priority), which names the node. */
    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) throws IOException {
        if (!config.enabled()) {
            LOG.info("log shipping is off (goldentooth.agent.logs.enabled=false)");
            return;
        }
        int maxPriority = LogPriority.parse(config.priority());
        if (config.maxLineBytes() < 256) {
            throw new IllegalArgumentException("goldentooth.agent.logs.max-line-bytes must be at least 256, was "
                    + config.maxLineBytes());
        }
        if (config.filePollInterval().isZero() || config.filePollInterval().isNegative()
                || config.positionSaveInterval().isZero() || config.positionSaveInterval().isNegative()) {
            throw new IllegalArgumentException("goldentooth.agent.logs.file-poll-interval and position-save-interval "
                    + "must be positive");
        }
        String node = agent.nodes().primary();
        Clock clock = Clock.systemUTC();
        Path state = agentConfig.stateDir().resolve("logs");
        Files.createDirectories(state);
        publisher = new EventPublisher(bootstrapServers, AgentSources.of(node), clock, PRODUCER_OVERRIDES);
        agent.kafkaClients().add("node.logs producer", publisher);
        String source = AgentSources.of(node);
        LogHeaders headers = new LogHeaders(source, clock);
        LogShipper.Sink sink = (key, value) -> publisher.publishRaw(Topics.NODE_LOGS, key, value, headers.next());
        shipper = new LogShipper(sink, LineFilter.of(config.units().orElse(List.of()), maxPriority),
                new RateLimit(config.rateLimit(), config.rateBurst(), System.nanoTime()), config.maxInFlightBytes(),
                metrics, System::nanoTime);
        running = true;
        boolean journalHere = config.journalArgs().isPresent()
                || Files.isDirectory(Path.of("/var/log/journal")) || Files.isDirectory(Path.of("/run/log/journal"));
        if (config.journal() && !journalHere) {
            LOG.infof("no journal on this machine (neither /var/log/journal nor /run/log/journal); the journal source is off");
        }
        if (config.journal() && journalHere) {
            List<String> command = new ArrayList<>(List.of(config.journalctl()));
            command.addAll(config.journalArgs().orElse(List.of()));
            journal = new JournalSource(node, command, config.journalInitialLines(), state.resolve("journal.cursor"),
                    config.maxLineBytes(), shipper, metrics);
            start("logs-journal", journal);
        }
        List<String> globs = config.files().orElse(List.of());
        if (!globs.isEmpty()) {
            files = new FileSource(node, globs, state.resolve("files.positions"), config.maxLineBytes(), shipper,
                    metrics, clock);
            start("logs-files", this::pollFiles);
        }
        saver = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "logs-positions");
            t.setDaemon(true);
            return t;
        });
        long every = config.positionSaveInterval().toMillis();
        saver.scheduleWithFixedDelay(this::saveJournal, every, every, TimeUnit.MILLISECONDS);
        LOG.infof("shipping logs of %s to %s: journal %s, %d file globs, priority <= %s, %d lines/s",
                node, Topics.NODE_LOGS, journal != null ? "on" : "off", globs.size(), LogPriority.name(maxPriority),
                config.rateLimit());
    }

    private void start(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        threads.add(thread);
        thread.start();
    }

    private void pollFiles() {
        long saveEveryNanos = config.positionSaveInterval().toNanos();
        long lastSave = System.nanoTime();
        while (running) {
            try {
                files.poll();
                if (System.nanoTime() - lastSave >= saveEveryNanos) {
                    files.savePositions();
                    lastSave = System.nanoTime();
                }
                Thread.sleep(config.filePollInterval().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.errorf(e, "reading the log files failed; trying again");
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
        try {
            files.savePositions();
        } catch (IOException e) {
            LOG.warnf("cannot save the file positions: %s", e.getMessage());
        }
    }

    private void saveJournal() {
        if (journal == null) {
            return;
        }
        try {
            journal.savePosition();
        } catch (IOException e) {
            LOG.warnf("cannot save the journal cursor: %s", e.getMessage());
        }
    }

    void onStop(@Observes @Priority(Interceptor.Priority.APPLICATION + 400) ShutdownEvent event) {
        if (!running) {
            return;
        }
        running = false;
        if (journal != null) {
            journal.stop();
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
        for (Thread thread : threads) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // What was read is delivered within the close's bound (cut off from the broker, the stop must
        // still finish); then the positions of what was acknowledged are saved. Anything else is read
        // again after the restart.
        shipper.closing();
        publisher.close(Duration.ofSeconds(5));
        saver.shutdownNow();
        saveJournal();
        if (files != null) {
            try {
                files.savePositions();
            } catch (IOException e) {
                LOG.warnf("cannot save the file positions: %s", e.getMessage());
            }
            files.close();
        }
    }

    public LogMetrics metrics() {
        return metrics;
    }
}
