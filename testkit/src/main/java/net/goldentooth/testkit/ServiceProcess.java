package net.goldentooth.testkit;

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
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One service of the control plane run as its own JVM from its packaged fast-jar, exactly as
 * {@code ./goldentooth up} runs it, so that a test can {@code kill -9} it and start it again.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final String module;
    private final int port;
    private final List<String> jvmOptions;
    private final Map<String, String> properties;
    private final Path log;
    private final Map<String, String> environment;
    private Process process;

    private ServiceProcess(String name, String module, int port, List<String> jvmOptions,
                           Map<String, String> properties, Path log, Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
        this.name = name;
        this.module = module;
        this.port = port;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.properties = properties;
        this.log = log;
    }

    /** Starts {@code module}'s fast-jar with these system properties and waits until it is ready. */
    public static ServiceProcess start(String name, String module, Map<String, String> properties, Path logDir) {
        return start(name, module, List.of("-Xmx256m"), properties, logDir);
    }

    /** As {@link #start(String, String, Map, Path)}, with JVM options (heap size) of the caller's choice. */
    public static ServiceProcess start(String name, String module, List<String> jvmOptions,
                                       Map<String, String> properties, Path logDir) {
        return start(name, module, jvmOptions, properties, logDir, Map.of());
    }

    /**
     * As {@link #start(String, String, List, Map, Path)}, with extra environment variables for the
     * process (e.g. {@code LD_PRELOAD} of libfaketime, to run a service on a shifted clock).
     */
    public static ServiceProcess start(String name, String module, List<String> jvmOptions,
                                       Map<String, String> properties, Path logDir, Map<String, String> environment) {
        ServiceProcess service = new ServiceProcess(name, module, KafkaBroker.freePort(), jvmOptions, properties,
                logDir.resolve(name + ".log"), environment);
        service.launch();
        return service;
    }

    public int port() {
        return port;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** The running process's id, to signal it (SIGSTOP/SIGCONT) as a test's fault. */
    public long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " is not running");
        }
        return process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    private void launch() {
        Path jar = KafkaBroker.projectRoot().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing; package " + module + " first");
        }
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1"));
        if (!properties.containsKey("goldentooth.auth.enabled")) {
            // Tests and benches call the REST APIs without tokens; a test of authentication turns it on.
            command.add("-Dgoldentooth.auth.enabled=false");
        }
        properties.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.addAll(List.of("-jar", jar.toString()));
        try {
            ProcessBuilder builder = new ProcessBuilder(command);
            builder.environment().putAll(environment);
            process = builder
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
        try {
            awaitReady(Duration.ofSeconds(90));
        } catch (RuntimeException e) {
            // Nobody holds this process yet: left running it would outlive the test or bench that started it.
            kill();
            throw e;
        }
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start-up:\n" + tail());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/q/health/ready"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(200);
        }
        throw new IllegalStateException(name + " was not ready within " + timeout + ":\n" + tail());
    }

    /** {@code kill -9}: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the same service again, with the same port, properties and state. */
    public void restart() {
        if (isAlive()) {
            kill();
        }
        launch();
    }

    /** The last lines of the service's log, for failure messages. */
    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(15, TimeUnit.SECONDS)) {
                    kill();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
            }
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
