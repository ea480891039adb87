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
 * <p>A replicated cluster is several of these processes, each with its own data directory and
 * ports, all given the same {@code --quorum 1@HOST:CPORT,2@HOST:CPORT,3@HOST:CPORT} and
 * {@code --cluster-id}, and each its {@code --node-id}: every member is a KRaft voter and a broker
 * (combined mode). Topics, the catalogue's and Kafka's internal ones, get one replica per broker
 * up to three, and {@code min.insync.replicas} 2 once there are three; the first member that finds
 * a topic missing waits until enough brokers have registered, then creates it.
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
    record Options(Path data, String host, int port, int controllerPort, boolean exitWithParent, Tls tls,
                   int nodeId, String quorum, String clusterId) {

        /** A single broker: node 1, its own quorum of one, a cluster id of its own. */
        Options(Path data, String host, int port, int controllerPort, boolean exitWithParent, Tls tls) {
            this(data, host, port, controllerPort, exitWithParent, tls, 1, null, null);
        }

        /** The KRaft voters, {@code id@host:port,...}: the {@code --quorum} given, or this node alone. */
        String voters() {
            return quorum != null ? quorum : nodeId + "@" + host + ":" + controllerPort;
        }

        /** How many brokers the quorum has: every one is a voter and a broker (combined mode). */
        int clusterSize() {
            return voters().split(",").length;
        }

        /**
         * Replicas of every topic, the internal ones included: one per broker, at most three (what
         * the Strimzi manifests ask for).
         */
        int replicationFactor() {
            return Math.min(3, clusterSize());
        }

        /**
         * With three replicas a write (acks=all) needs two: it goes on with one broker down, and
         * stops rather than keep a single copy with two down. Fewer replicas need one.
         */
        int minInsyncReplicas() {
            return replicationFactor() >= 3 ? 2 : 1;
        }

        static Options parse(String[] args) {
            Path data = Path.of(".goldentooth/kafka");
            String host = "127.0.0.1";
            int port = 9092;
            Integer controllerPort = null;
            boolean exitWithParent = false;
            int nodeId = 1;
            String quorum = null;
            String clusterId = null;
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
                    case "--node-id" -> nodeId = nodeId(value(args, ++i));
                    case "--quorum" -> quorum = value(args, ++i);
                    case "--cluster-id" -> clusterId = clusterId(value(args, ++i));
                    case "--ssl-certificate" -> certificate = Path.of(value(args, ++i));
                    case "--ssl-key" -> key = Path.of(value(args, ++i));
                    case "--ssl-trust" -> trust = Path.of(value(args, ++i));
                    case "--super-users" -> superUsers = names(value(args, ++i));
                    case "--agents" -> agents = names(value(args, ++i));
                    case "--services" -> services = names(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option '" + args[i]
                            + "'; options: --data DIR --host ADDR --port N --controller-port N --exit-with-parent "
                            + "[--node-id N --quorum ID@HOST:PORT,... --cluster-id ID] "
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
            int controller = controllerPort == null ? port + 1 : controllerPort;
            if (quorum != null) {
                checkQuorum(quorum, nodeId, host, controller);
                quorum = java.util.Arrays.stream(quorum.split(",")).map(String::strip)
                        .collect(java.util.stream.Collectors.joining(","));
                if (clusterId == null) {
                    throw new IllegalArgumentException("--quorum needs --cluster-id: every member must be formatted "
                            + "with the same cluster id");
                }
            }
            return new Options(data, host, port, controller, exitWithParent, tls, nodeId, quorum, clusterId);
        }

        /**
         * {@code 1@127.0.0.1:9093,2@127.0.0.1:9095,...}: distinct ids and addresses, and this node's own
         * entry is its {@code --host} and {@code --controller-port}.
         */
        private static void checkQuorum(String quorum, int nodeId, String host, int controllerPort) {
            Set<Integer> ids = new java.util.HashSet<>();
            Set<String> addresses = new java.util.HashSet<>();
            boolean self = false;
            for (String voter : quorum.split(",", -1)) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d{1,9})@([^:@,\\s]+):(\\d{1,5})$")
                        .matcher(voter.strip());
                if (!m.matches()) {
                    throw new IllegalArgumentException("--quorum entry '" + voter + "' is not ID@HOST:PORT");
                }
                int id = nodeId(m.group(1));
                int voterPort = port(m.group(3));
                if (!ids.add(id) || !addresses.add(m.group(2) + ":" + voterPort)) {
                    throw new IllegalArgumentException("--quorum names node " + id + " or " + m.group(2) + ":"
                            + voterPort + " twice");
                }
                if (id == nodeId) {
                    if (!m.group(2).equals(host) || voterPort != controllerPort) {
                        throw new IllegalArgumentException("--quorum gives node " + id + " the controller "
                                + m.group(2) + ":" + voterPort + ", but it listens on " + host + ":" + controllerPort);
                    }
                    self = true;
                }
            }
            if (!self) {
                throw new IllegalArgumentException("--quorum does not list this node (--node-id " + nodeId + ")");
            }
        }

        private static int nodeId(String text) {
            try {
                int id = Integer.parseInt(text);
                if (id < 0) {
                    throw new NumberFormatException();
                }
                return id;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + text + "' is not a node id (a number, 0 or more)");
            }
        }

        private static String clusterId(String text) {
            try {
                Uuid.fromString(text);
                return text;
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--cluster-id '" + text + "' is not a Kafka cluster id "
                        + "(22 characters of URL-safe base64, as kafka-storage random-uuid prints)");
            }
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
        Path propertiesFile = BrokerLayout.writeServerProperties(options);
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
        createTopics(admin, Topics.allWithDeadLetters(), options.replicationFactor(), options.minInsyncReplicas());
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

    private static void format(Options options, Path propertiesFile) throws IOException {
        Path clusterIdFile = options.data().resolve("cluster.id");
        if (!Files.exists(clusterIdFile)) {
            Files.writeString(clusterIdFile, options.clusterId() != null ? options.clusterId()
                    : Uuid.randomUuid().toString());
        }
        String clusterId = Files.readString(clusterIdFile).trim();
        if (options.clusterId() != null && !options.clusterId().equals(clusterId)) {
            throw new IllegalStateException(options.data() + " belongs to cluster " + clusterId + ", not to --cluster-id "
                    + options.clusterId() + "; use another --data directory");
        }
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

    /**
     * Creates the topics that do not exist yet; existing topics are left as they are. Topics with
     * {@code replicas} copies need that many brokers: in a cluster whose members start side by side,
     * it waits (up to {@link #CLUSTER_FORMATION}) until they have all registered.
     */
    static void createTopics(Map<String, Object> adminConfig, List<TopicSpec> specs, int replicas, int minInsync)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(adminConfig)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(BrokerLayout.newTopic(spec, replicas, minInsync));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            long deadline = System.nanoTime() + CLUSTER_FORMATION.toNanos();
            int registered;
            while ((registered = admin.describeCluster().nodes().get().size()) < replicas) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("only " + registered + " of the " + replicas + " brokers the "
                            + "topics' replicas need registered within " + CLUSTER_FORMATION.toSeconds() + " s");
                }
                Thread.sleep(200);
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

    static final java.time.Duration CLUSTER_FORMATION = java.time.Duration.ofSeconds(120);

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
