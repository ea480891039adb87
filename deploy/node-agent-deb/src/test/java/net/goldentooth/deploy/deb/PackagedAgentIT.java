package net.goldentooth.deploy.deb;

import net.goldentooth.events.signing.SigningKeys;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The agent as the unit starts it: the packaged launcher and jars, with the JVM flags of the packaged
 * /etc/default/goldentooth-agent and its settings read through QUARKUS_CONFIG_LOCATIONS from a copy of
 * the packaged node-agent.properties. The copy changes only the paths and the port (22110, in this
 * module's range), so the port proves the file outranks the jar's built-in 9110. Started twice: the
 * first run writes the class-data-sharing archive, the second must be able to map it.
 */
class PackagedAgentIT {

    private static final int PORT = 22110;

    @Test
    void theAgentStartsWithThePackagedFlagsAndReadsEtcGoldentooth() throws Exception {
        Commands.require("dpkg-deb", "dpkg");
        Path x = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gt-deb-run");
        Commands.ok(List.of("dpkg-deb", "-x", Commands.debFile().toString(), x.toString()));

        Map<String, String> env = Files.readAllLines(x.resolve("etc/default/goldentooth-agent")).stream()
                .filter(l -> !l.startsWith("#") && l.contains("="))
                .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')),
                        l -> l.substring(l.indexOf('=') + 1).replace("\"", "")));
        assertEquals("/etc/goldentooth/node-agent.properties", env.get("QUARKUS_CONFIG_LOCATIONS"));

        Path pub = x.resolve("task-signing.pub");
        Files.writeString(pub, SigningKeys.publicKeyPem(SigningKeys.generate().publicKey()));
        String properties = Files.readString(x.resolve("etc/goldentooth/node-agent.properties"))
                .replace("/etc/goldentooth/task-signing.pub", pub.toString())
                .replace("/var/lib/goldentooth/agent", x.resolve("state").toString())
                .replace("/etc/goldentooth/enrolment-token", x.resolve("enrolment-token").toString())
                .replace("quarkus.http.port=9110", "quarkus.http.port=" + PORT)
                // Nothing listens there: the agent must come up (live) without Kafka.
                .replace("kafka.bootstrap.servers=127.0.0.1:9092", "kafka.bootstrap.servers=127.0.0.1:22092")
                + "\ngoldentooth.agent.node-name=deb-test\ngoldentooth.agent.canary.enabled=false\n";
        assertTrue(properties.contains("quarkus.http.port=" + PORT), "the packaged file names the port");
        Path config = x.resolve("node-agent.properties");
        Files.writeString(config, properties);

        // The first start has no class-data-sharing archive and writes one when it stops.
        Path cache = x.resolve("cache");
        Files.createDirectories(cache);
        Path archive = cache.resolve("node-agent.jsa");
        startUntilLiveThenStop(x, config, cache, env.get("JAVA_OPTS"));
        assertTrue(Files.size(archive) > 0, "the first stop writes " + archive);
        // The second start maps it: -Xshare:on makes the JVM refuse to start if it could not.
        startUntilLiveThenStop(x, config, cache, env.get("JAVA_OPTS") + " -Xshare:on");
    }

    /** The packaged launcher, as the unit runs it (with the unit's environment), until /q/health/live is UP. */
    private static void startUntilLiveThenStop(Path x, Path config, Path cache, String javaOpts) throws Exception {
        Path launcher = x.resolve("usr/lib/goldentooth-agent/run");
        assertTrue(Files.isExecutable(launcher), launcher + " must be executable");
        ProcessBuilder builder = new ProcessBuilder(launcher.toString()).directory(x.toFile())
                .redirectErrorStream(true).redirectOutput(x.resolve("agent.log").toFile());
        builder.environment().put("QUARKUS_CONFIG_LOCATIONS", config.toString());
        builder.environment().put("JAVA_OPTS", javaOpts);
        builder.environment().put("JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        builder.environment().put("GOLDENTOOTH_AGENT_HOME", x.resolve("opt/goldentooth/node-agent").toString());
        builder.environment().put("CACHE_DIRECTORY", cache.toString());
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        Process agent = builder.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpRequest live = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + PORT + "/q/health/live"))
                    .timeout(Duration.ofSeconds(5)).build();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                if (!agent.isAlive()) {
                    fail("the agent exited with " + agent.exitValue() + ":\n" + Files.readString(x.resolve("agent.log")));
                }
                try {
                    HttpResponse<String> response = http.send(live, HttpResponse.BodyHandlers.ofString());
                    assertEquals(200, response.statusCode(), response.body());
                    assertTrue(response.body().contains("\"UP\""), response.body());
                    break;
                } catch (java.io.IOException notYet) {
                    if (System.nanoTime() > deadline) {
                        fail("no /q/health/live on " + PORT + ":\n" + Files.readString(x.resolve("agent.log")));
                    }
                    Thread.sleep(500);
                }
            }
        } finally {
            // SIGTERM, as systemctl stop: the JVM writes the archive on this exit.
            agent.destroy();
            if (!agent.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
                agent.destroyForcibly().waitFor();
            }
        }
    }
}
