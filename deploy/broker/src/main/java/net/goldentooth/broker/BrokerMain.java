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
 *
 * <p>With {@code --ssl-certificate PEM --ssl-key PEM --ssl-trust PEM} (a certificate from
 * pki-service, CN = the broker's principal, with the listener's address among its names) every
 * listener is mutual TLS with client certificates required, principals are certificate CNs, the
 * StandardAuthorizer denies what no ACL allows, and {@link FleetAcls} are granted to
 * {@code --agents} and {@code --services} (default: the four services).
 */
public final class BrokerMain {

    /**
     * @param tls      mutual TLS on every listener with ACLs, or null for PLAINTEXT without authorisation
     */
    record Options(Path data, String host, int port, int controllerPort, boolean exitWithParent, Tls tls) {
        static Options parse(String[] args) {
            Path data = Path.of(".goldentooth/kafka");
            String host = "127.0.0.1";
            int port = 9092;
            Integer controllerPort = null;
            boolean exitWithParent = false;
            Path certificate = null;
            Path key = null;
            Path trust = null;
            List<String> superUsers = List.of();
            List<String> agents = List.of();
            List<String> services = List.copyOf(new java.util.TreeSet<>(FleetAcls.services()));
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(value(args, ++i));
                    case "--host" -> host = value(args, ++i);
                    case "--port" -> port = port(value(args, ++i));
                    case "--controller-port" -> controllerPort = port(value(args, ++i));
                    case "--exit-with-parent" -> exitWithParent = true;
                    case "--ssl-certificate" -> certificate = Path.of(value(args, ++i));
                    case "--ssl-key" -> key = Path.of(value(args, ++i));
                    case "--ssl-trust" -> trust = Path.of(value(args, ++i));
                    case "--super-users" -> superUsers = names(value(args, ++i));
                    case "--agents" -> agents = names(value(args, ++i));
                    case "--services" -> services = names(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --data DIR --host ADDR --port N --controller-port N --exit-with-parent "
                            + "[--ssl-certificate PEM --ssl-key PEM --ssl-trust PEM --super-users CN,.. "
                            + "--agents NODE,.. --services NAME,..]");
                }
            }
            Tls tls = null;
            if (certificate != null || key != null || trust != null) {
                if (certificate == null || key == null || trust == null) {
                    throw new IllegalArgumentException("mutual TLS needs all of --ssl-certificate, --ssl-key and "
                            + "--ssl-trust");
                }
                services.forEach(FleetAcls::service);
                tls = new Tls(certificate, key, trust, superUsers, agents, services);
            } else if (!superUsers.isEmpty() || !agents.isEmpty()) {
                throw new IllegalArgumentException("--super-users and --agents need mutual TLS (--ssl-certificate ...)");
            }
            return new Options(data, host, port, controllerPort == null ? port + 1 : controllerPort, exitWithParent,
                    tls);
        }

        private static List<String> names(String text) {
            return java.util.Arrays.stream(text.split(",")).map(String::strip).filter(n -> !n.isEmpty()).toList();
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

    /**
     * The broker's own PEM certificate, key and trusted roots (pki-service's), who else is a super
     * user, and the agents and services to grant {@link FleetAcls} to.
     */
    record Tls(Path certificate, Path key, Path trust, List<String> superUsers, List<String> agents,
               List<String> services) {
        /**
         * The PEM contents as Kafka's in-line PEM settings, for the listeners and the runner's own
         * admin client alike (kafka-edge's KafkaSecurity does the same for the services; the
         * runner cannot depend on kafka-edge, whose tests run on this broker).
         */
        Properties pemSettings() throws IOException {
            Properties p = new Properties();
            p.setProperty("ssl.keystore.type", "PEM");
            p.setProperty("ssl.keystore.certificate.chain", Files.readString(certificate, StandardCharsets.US_ASCII));
            p.setProperty("ssl.keystore.key", Files.readString(key, StandardCharsets.US_ASCII));
            p.setProperty("ssl.truststore.type", "PEM");
            p.setProperty("ssl.truststore.certificates", Files.readString(trust, StandardCharsets.US_ASCII));
            return p;
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
        if (options.tls() != null) {
            // In memory only: the private key never lands in server.properties.
            properties.putAll(tlsProperties(options.tls()));
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(properties, false), Time.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
        }, "broker-shutdown"));
        server.startup();
        Map<String, Object> admin = adminConfig(options);
        createTopics(admin, Topics.allWithDeadLetters());
        if (options.tls() != null) {
            createAcls(admin, options.tls());
        }
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
        // With TLS every listener, the controller's too, is mutual TLS: no principal is anonymous.
        String name = options.tls() == null ? "PLAINTEXT" : "SSL";
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", "1");
        p.setProperty("controller.quorum.voters", "1@" + controller);
        p.setProperty("listeners", name + "://" + listener + ",CONTROLLER://" + controller);
        p.setProperty("advertised.listeners", name + "://" + listener);
        p.setProperty("controller.listener.names", "CONTROLLER");
        p.setProperty("inter.broker.listener.name", name);
        p.setProperty("listener.security.protocol.map", "CONTROLLER:" + name + "," + name + ":" + name);
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

    /**
     * Mutual TLS with client authentication required on every listener, CN-only principals, and the
     * StandardAuthorizer: nothing is allowed that an ACL does not allow, except to super users (the
     * broker itself, by its certificate's CN, and {@code --super-users}).
     */
    static Properties tlsProperties(Tls tls) throws IOException {
        Properties p = tls.pemSettings();
        p.setProperty("ssl.client.auth", "required");
        p.setProperty("ssl.principal.mapping.rules", PRINCIPAL_RULES);
        // Kafka's principals, plus a log line naming each client certificate's serial.
        p.setProperty("principal.builder.class", ClientCertificatePrincipals.class.getName());
        p.setProperty("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        List<String> superUsers = new ArrayList<>();
        superUsers.add("User:" + commonName(tls.certificate()));
        tls.superUsers().forEach(user -> superUsers.add("User:" + user));
        p.setProperty("super.users", String.join(";", superUsers));
        p.setProperty("allow.everyone.if.no.acl.found", "false");
        return p;
    }

    /** {@code CN=alpha,OU=alpha/kafka,O=goldentooth} → {@code alpha}; a subject without CN keeps its full name. */
    static final String PRINCIPAL_RULES = "RULE:^CN=([^,]+).*$/$1/,DEFAULT";

    static String commonName(Path certificatePem) throws IOException {
        try (InputStream in = Files.newInputStream(certificatePem)) {
            java.security.cert.X509Certificate certificate = (java.security.cert.X509Certificate)
                    java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            for (javax.naming.ldap.Rdn rdn : new javax.naming.ldap.LdapName(
                    certificate.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
            throw new IllegalArgumentException("--ssl-certificate " + certificatePem + " has no CN");
        } catch (java.security.GeneralSecurityException | javax.naming.InvalidNameException e) {
            throw new IllegalArgumentException("--ssl-certificate " + certificatePem + " is not a PEM certificate: "
                    + e.getMessage(), e);
        }
    }

    /** The runner's own admin connection: as the broker's principal (a super user) under TLS. */
    static Map<String, Object> adminConfig(Options options) throws IOException {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        if (options.tls() != null) {
            p.putAll(options.tls().pemSettings());
            p.put(AdminClientConfig.SECURITY_PROTOCOL_CONFIG, "SSL");
        }
        Map<String, Object> config = new java.util.HashMap<>();
        p.forEach((k, v) -> config.put((String) k, v));
        return config;
    }

    /** Grants {@link FleetAcls} to the named agents and services; creating an existing ACL is a no-op. */
    static void createAcls(Map<String, Object> adminConfig, Tls tls) throws InterruptedException, ExecutionException {
        List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>();
        tls.agents().forEach(node -> acls.addAll(FleetAcls.agent(node)));
        tls.services().forEach(service -> acls.addAll(FleetAcls.service(service)));
        if (acls.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(adminConfig)) {
            admin.createAcls(acls).all().get();
            // The controller has committed them; the broker's authorizer applies them a moment later.
            // READY must mean the grants are in force, so wait until the broker itself lists them all.
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get()
                    .containsAll(acls)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker did not apply its ACLs within 30 s");
                }
                Thread.sleep(50);
            }
        }
    }

    /** Creates the topics that do not exist yet; existing topics are left as they are. */
    static void createTopics(Map<String, Object> adminConfig, List<TopicSpec> specs)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(adminConfig)) {
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
        configs.putAll(spec.extraConfigs());
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
