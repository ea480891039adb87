package net.goldentooth.agent.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.micrometer.prometheus.PrometheusConfig;
import io.micrometer.prometheus.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's CPU, network and disk counters against the real node_exporter (Debian's {@code
 * prometheus-node-exporter}, listed in {@code .ci/packages/node-agent.txt}) run on this machine on a free
 * loopback port with only its cpu, netdev and diskstats collectors: for every series the agent exports,
 * node_exporter must have the same name, type, HELP and label set, and its value must fall between the
 * agent's reading just before and just after (counters only grow; /proc is read at the same tick
 * resolution by both). Every CPU, interface and disk node_exporter reports under those names must be
 * exported too. Other tests on this machine create and remove network interfaces; one that comes or
 * goes between the three readings is not held against either side.
 */
class NodeExporterComparisonTest {

    private static final Set<String> REQUIRED = Set.of("node_cpu_seconds_total", "node_network_receive_bytes_total",
            "node_network_transmit_bytes_total", "node_disk_read_bytes_total", "node_disk_written_bytes_total",
            "node_disk_io_time_seconds_total", "node_disk_reads_completed_total", "node_disk_writes_completed_total");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One exposition: series → value, and each family's TYPE and HELP. */
    record Exposition(Map<String, Double> series, Map<String, String> types, Map<String, String> help) {
        static Exposition parse(String text) {
            Map<String, Double> series = new TreeMap<>();
            Map<String, String> types = new HashMap<>();
            Map<String, String> help = new HashMap<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("# TYPE ")) {
                    String[] f = line.split(" ", 4);
                    types.put(f[2], f[3]);
                } else if (line.startsWith("# HELP ")) {
                    String[] f = line.split(" ", 4);
                    help.put(f[2], f.length > 3 ? f[3] : "");
                } else if (!line.isBlank() && !line.startsWith("#")) {
                    Matcher m = SAMPLE.matcher(line);
                    assertTrue(m.matches(), () -> "unreadable sample: " + line);
                    Map<String, String> labels = new TreeMap<>();
                    if (m.group(2) != null) {
                        Matcher l = LABEL.matcher(m.group(2));
                        while (l.find()) {
                            labels.put(l.group(1), l.group(2));
                        }
                    }
                    series.put(m.group(1) + labels, Double.parseDouble(m.group(3)));
                }
            }
            return new Exposition(series, types, help);
        }

        static String family(String series) {
            int brace = series.indexOf('{');
            return brace < 0 ? series : series.substring(0, brace);
        }
    }

    @Test
    void sameNamesTypesHelpLabelsAndValuesAsNodeExporter() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        KernelCounterMetrics counters = new KernelCounterMetrics(registry, Path.of("/proc"),
                KernelCountersTest.steppingClock());
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process exporter = new ProcessBuilder("prometheus-node-exporter", "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults", "--collector.cpu", "--collector.netdev", "--collector.diskstats")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(10)).build();
            waitUntilServing(http, request, exporter);

            // Interfaces of other tests on this machine come and go: pick up the current ones just before.
            counters.refresh();
            Exposition before = Exposition.parse(registry.scrape());
            Exposition theirs = Exposition.parse(http.send(request, HttpResponse.BodyHandlers.ofString()).body());
            Exposition after = Exposition.parse(registry.scrape());

            Set<String> families = new TreeSet<>();
            before.series.keySet().forEach(s -> families.add(Exposition.family(s)));
            assertTrue(families.containsAll(REQUIRED), "missing some of " + REQUIRED + " in " + families);
            List<String> problems = new ArrayList<>();
            for (String family : families) {
                if (!family.equals(family.strip()) || !theirs.types.containsKey(family)) {
                    problems.add(family + ": node_exporter has no such family");
                    continue;
                }
                if (!theirs.types.get(family).equals(before.types.get(family))) {
                    problems.add(family + ": type " + before.types.get(family) + ", node_exporter's " + theirs.types.get(family));
                }
                if (!theirs.help.get(family).equals(before.help.get(family))) {
                    problems.add(family + ": HELP '" + before.help.get(family) + "', node_exporter's '"
                            + theirs.help.get(family) + "'");
                }
            }
            for (Map.Entry<String, Double> series : theirs.series.entrySet()) {
                if (families.contains(Exposition.family(series.getKey())) && !before.series.containsKey(series.getKey())
                        && !after.series.containsKey(series.getKey())) {
                    problems.add(series.getKey() + ": node_exporter has it, the agent does not");
                }
            }
            for (Map.Entry<String, Double> series : before.series.entrySet()) {
                String key = series.getKey();
                Double value = theirs.series.get(key);
                if (value == null && !after.series.containsKey(key)) {
                    continue; // gone between the readings (another test's interface)
                }
                if (value == null) {
                    problems.add(key + ": the agent has it, node_exporter does not");
                    continue;
                }
                double low = Math.min(series.getValue(), after.series.get(key));
                double high = Math.max(series.getValue(), after.series.get(key));
                boolean gauge = "gauge".equals(before.types.get(Exposition.family(key)));
                // A counter between the two readings; the in-flight I/O gauge within a few requests of them.
                double slack = gauge ? 16 : 1e-9 * Math.max(1, Math.abs(value));
                if (value < low - slack || value > high + slack) {
                    problems.add(key + ": node_exporter " + value + ", the agent " + series.getValue() + " then "
                            + after.series.get(key));
                }
            }
            if (!problems.isEmpty()) {
                fail(problems.size() + " differences from node_exporter:\n" + String.join("\n", problems));
            }
            assertEquals(before.series.keySet(), after.series.keySet());
            assertNotNull(theirs.types.get("node_cpu_seconds_total"));
        } finally {
            exporter.destroy();
            exporter.waitFor();
        }
    }

    private static void waitUntilServing(HttpClient http, HttpRequest request, Process exporter) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            assertTrue(exporter.isAlive(), "prometheus-node-exporter exited with " + (exporter.isAlive() ? "" : exporter.exitValue()));
            assertTrue(System.nanoTime() < deadline, "prometheus-node-exporter did not serve within 20 s");
            Thread.sleep(100);
        }
    }
}
