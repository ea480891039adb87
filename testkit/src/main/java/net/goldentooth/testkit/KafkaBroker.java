package net.goldentooth.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A real Kafka broker (KRaft, from deploy/broker) in its own JVM, for tests. One per test JVM:
 * {@link #shared()} starts it on first use and stops it when the JVM exits; the broker also stops
 * by itself when this JVM dies (it watches its standard input). When the environment names a
 * broker in {@code KAFKA_BOOTSTRAP_SERVERS}, that one is used instead and nothing is started.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static KafkaBroker shared;

    private final String bootstrapServers;
    private Process process;
    private final Path dataDir;
    private final int port;
    private final int controllerPort;

    private KafkaBroker(String bootstrapServers, Process process, Path dataDir, int port, int controllerPort) {
        this.bootstrapServers = bootstrapServers;
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
        this.controllerPort = controllerPort;
    }

    /** The broker for this test JVM. */
    public static synchronized KafkaBroker shared() {
        if (shared == null) {
            String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
            shared = external != null && !external.isBlank()
                    ? new KafkaBroker(external, null, null, 0, 0)
                    : start();
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "kafka-broker-stop"));
        }
        return shared;
    }

    /** Starts a new private broker (for tests that stop and restart one); close it when done. */
    public static KafkaBroker start() {
        return start(freePort(), freePort());
    }

    /**
     * Starts a new private broker on these loopback ports (for tests that keep to a port range);
     * close it when done.
     */
    public static KafkaBroker start(int port, int controllerPort) {
        try {
            Path data = Files.createTempDirectory("goldentooth-kafka");
            Process process = launch(data, port, controllerPort);
            String bootstrap = awaitReady(process);
            return new KafkaBroker(bootstrap, process, data, port, controllerPort);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the test broker", e);
        }
    }

    private static Process launch(Path data, int port, int controllerPort) throws IOException {
        return launch(data, port, controllerPort, "-Xmx512m", List.of());
    }

    /** A broker process; {@code extra} are further BrokerMain options (a cluster member's quorum). */
    static Process launch(Path data, int port, int controllerPort, String heap, List<String> extra)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), heap, "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-cp", brokerClasspath(), "net.goldentooth.broker.BrokerMain",
                "--data", data.toString(), "--port", Integer.toString(port),
                "--controller-port", Integer.toString(controllerPort), "--exit-with-parent"));
        command.addAll(extra);
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /**
     * {@code kill -9} of a private broker, then a new broker process on the same ports and the
     * same log directory: what a crashed and restarted broker looks like to its clients.
     */
    public synchronized void killAndRestart() {
        if (dataDir == null) {
            throw new IllegalStateException("an external broker (KAFKA_BOOTSTRAP_SERVERS) cannot be restarted");
        }
        try {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            process = launch(dataDir, port, controllerPort);
            awaitReady(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the test broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code kill -9} of a private broker, {@code down} with no broker at all, then a new broker
     * process on the same ports and log directory: a broker outage of a known length.
     */
    public synchronized void killFor(java.time.Duration down) {
        if (dataDir == null) {
            throw new IllegalStateException("an external broker (KAFKA_BOOTSTRAP_SERVERS) cannot be stopped");
        }
        try {
            process.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
            Thread.sleep(down.toMillis());
            process = launch(dataDir, port, controllerPort);
            awaitReady(process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the test broker", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The broker process's id (for its CPU time in /proc), or -1 for an external broker. */
    public synchronized long pid() {
        return process == null ? -1 : process.pid();
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public synchronized void close() {
        if (process == null || !process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        deleteQuietly(dataDir);
    }

    static String awaitReady(Process process) {
        return awaitReady(process, START_TIMEOUT);
    }

    static String awaitReady(Process process, Duration timeout) {
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("READY ")) {
                        return line.substring("READY ".length()).trim();
                    }
                }
                throw new IllegalStateException("the broker exited before it was ready");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            return ready.get(timeout.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("the test broker did not start within " + timeout, e);
        }
    }

    /** deploy/broker/target/lib/* and the runner's jar, found from the reactor root. */
    static String brokerClasspath() {
        Path root = projectRoot();
        Path target = root.resolve("deploy/broker/target");
        Path jar = target.resolve("goldentooth-broker.jar");
        if (!Files.exists(jar) || !Files.isDirectory(target.resolve("lib"))) {
            throw new IllegalStateException("the broker runner is not built: " + jar
                    + " is missing; run ./mvnw -pl deploy/broker package first");
        }
        return target.resolve("lib") + "/*" + java.io.File.pathSeparator + jar;
    }

    /** The checkout's root: the {@code goldentooth.root} system property, else the nearest parent with mvnw. */
    public static Path projectRoot() {
        String configured = System.getProperty("goldentooth.root");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("cannot find the project root from " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }
}
