package net.goldentooth.broker;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import net.goldentooth.events.Topics;
import net.goldentooth.events.Topics.TopicSpec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

/**
 * Runs a real single-node Kafka broker in KRaft mode (broker and controller in one process) on
 * loopback, formats its storage on first start, and creates the control plane's topics. It prints
 * {@code READY <bootstrap servers>} on standard output once clients can connect.
 *
 * <pre>
 * java -cp 'deploy/broker/target/lib/*:deploy/broker/target/goldentooth-broker.jar' \
 *     net.goldentooth.broker.BrokerMain --data .goldentooth/kafka --port 9092 [--exit-with-parent]
 * </pre>
 *
 * With {@code --exit-with-parent} the broker stops when its standard input closes, so a test JVM
 * that dies never leaves a broker behind.
 */
public final class BrokerMain {

    record Options(Path data, String host, int port, int controllerPort, boolean exitWithParent) {
        static Options parse(String[] args) {
            Path data = Path.of(".goldentooth/kafka");
            String host = "127.0.0.1";
            int port = 9092;
            Integer controllerPort = null;
            boolean exitWithParent = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--host" -> host = value(args, ++i);
                    case "--port" -> port = port(value(args, ++i));
                    case "--controller-port" -> controllerPort = port(value(args, ++i));
                    case "--exit-with-parent" -> exitWithParent = true;
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --data DIR --host ADDR --port N --controller-port N --exit-with-parent");
                }
            }
            return new Options(data, host, port, controllerPort == null ? port + 1 : controllerPort, exitWithParent);
        }

        private static String value(String[] args, int i) {
            if (i >= args.length) {
                throw new IllegalArgumentException("option '" + args[i - 1] + "' needs a value");
            }
            return args[i];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port < 1 || port > 65535) {
                    throw new NumberFormatException();
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a TCP port (1-65535)");
            }
        }

        String bootstrap() {
            return host + ":" + port;
        }
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("goldentooth-broker: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path propertiesFile = writeServerProperties(options);
        format(options, propertiesFile);
        Properties properties = load(propertiesFile);
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "broker-shutdown"));
        server.startup();
        createTopics(options.bootstrap(), Topics.allWithDeadLetters());
        if (options.exitWithParent()) {
            watchParent(System.in);
        }
        System.out.println("READY " + options.bootstrap());
        System.out.flush();
        server.awaitShutdown();
    }

    static Path writeServerProperties(Options options) throws IOException {
        Path data = options.data().toAbsolutePath();
        Files.createDirectories(data.resolve("logs"));
        String listener = options.host() + ":" + options.port();
        String controller = options.host() + ":" + options.controllerPort();
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + controller);
        p.setProperty("listeners", "PLAINTEXT://" + listener + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + listener);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
        p.setProperty("log.dirs", data.resolve("logs").toString());
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("offsets.topic.num.partitions", "6");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("transaction.state.log.num.partitions", "3");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("num.network.threads", "2");
        p.setProperty("num.io.threads", "4");
        p.setProperty("log.cleaner.threads", "1");
        p.setProperty("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
        Path file = data.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            p.store(out, "written by goldentooth-broker; rewritten at every start");
        }
        return file;
    }

    private static void format(Options options, Path propertiesFile) throws IOException {
        Path clusterIdFile = options.data().resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        PrintStream quiet = new PrintStream(OutputStreamSink.INSTANCE, true, StandardCharsets.UTF_8);
        int rc = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propertiesFile.toString(),
                "--ignore-formatted"}, quiet);
        if (rc != 0) {
            throw new IllegalStateException("formatting " + options.data() + " failed with code " + rc);
        }
    }

    private static Properties load(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        }
        return properties;
    }

    /** Creates the topics that do not exist yet; existing topics are left as they are. */
    static void createTopics(String bootstrap, List<TopicSpec> specs) throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(newTopic(spec));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            try {
                admin.createTopics(missing).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
    }

    static NewTopic newTopic(TopicSpec spec) {
        Map<String, String> configs = new java.util.HashMap<>();
        configs.put(TopicConfig.CLEANUP_POLICY_CONFIG,
                spec.compacted() ? TopicConfig.CLEANUP_POLICY_COMPACT : TopicConfig.CLEANUP_POLICY_DELETE);
        configs.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(spec.retentionMs()));
        configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(spec.maxMessageBytes()));
        return new NewTopic(spec.name(), spec.partitions(), (short) 1).configs(configs);
    }

    private static void watchParent(InputStream in) {
        Thread watcher = new Thread(() -> {
            try {
                while (in.read() >= 0) {
                    // the parent writes nothing; EOF means it has gone
                }
            } catch (IOException ignored) {
                // a broken pipe means the same as EOF
            }
            System.exit(0);
        }, "parent-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** Swallows the storage tool's chatter ("Formatting ... with metadata.version ..."). */
    private static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }
    }

    private BrokerMain() {
    }
}
