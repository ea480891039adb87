package net.goldentooth.monitor.loki;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for Grafana Loki's push API, because Loki cannot be installed here: Debian has no
 * package of it (bookworm's {@code loki} 2.4.7 is an unrelated genetics program, "MCMC linkage
 * analysis"), and this machine reaches only Debian, Maven Central and npm. It checks a push as
 * Loki 2.x does (JSON {@code streams}, each with a {@code stream} label map and {@code values} of
 * {@code [nanoseconds as a string, line]}; anything else is 400), keeps what it accepted across a
 * {@link #stop()} and {@link #start()} on the same port (Loki's WAL does the same), and finds lines
 * by exact label matchers as {@code {a="x", b="y"}} selects them.
 */
final class FakeLoki implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Accepted entries per label set; an entry is (nanoseconds, line), duplicates dropped as Loki drops them. */
    private final Map<Map<String, String>, TreeMap<String, List<String>>> streams = new LinkedHashMap<>();
    private final AtomicInteger pushes = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final int port;
    private HttpServer server;

    FakeLoki() throws IOException {
        try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port);
    }

    synchronized void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        server.createContext("/loki/api/v1/push", this::push);
        server.start();
    }

    /** Closes the port: pushes now fail to connect, as to a Loki that is down. */
    synchronized void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    private void push(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"POST".equals(exchange.getRequestMethod())
                    || !String.valueOf(exchange.getRequestHeaders().getFirst("Content-Type")).startsWith("application/json")) {
                answer(exchange, 400, "POST application/json expected");
                return;
            }
            JsonNode body;
            try {
                body = JSON.readTree(exchange.getRequestBody());
            } catch (IOException e) {
                answer(exchange, 400, "not JSON: " + e.getMessage());
                return;
            }
            String error = check(body);
            if (error != null) {
                refused.incrementAndGet();
                answer(exchange, 400, error);
                return;
            }
            synchronized (this) {
                for (JsonNode stream : body.get("streams")) {
                    Map<String, String> labels = new TreeMap<>();
                    stream.get("stream").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
                    TreeMap<String, List<String>> entries = streams.computeIfAbsent(labels, l -> new TreeMap<>());
                    for (JsonNode value : stream.get("values")) {
                        List<String> atTime = entries.computeIfAbsent(value.get(0).asText(), t -> new ArrayList<>());
                        if (!atTime.contains(value.get(1).asText())) {
                            atTime.add(value.get(1).asText());
                        }
                    }
                }
            }
            pushes.incrementAndGet();
            answer(exchange, 204, "");
        }
    }

    /** Loki's checks of a JSON push, as far as this sink can get them wrong; null when the body is good. */
    private static String check(JsonNode body) {
        if (!body.path("streams").isArray()) {
            return "no streams";
        }
        for (JsonNode stream : body.get("streams")) {
            if (!stream.path("stream").isObject() || stream.get("stream").isEmpty()) {
                return "a stream without labels";
            }
            for (var it = stream.get("stream").fields(); it.hasNext(); ) {
                var label = it.next();
                if (!label.getKey().matches("[a-zA-Z_][a-zA-Z0-9_]*") || !label.getValue().isTextual()) {
                    return "invalid label " + label.getKey();
                }
            }
            if (!stream.path("values").isArray()) {
                return "a stream without values";
            }
            for (JsonNode value : stream.get("values")) {
                if (!value.isArray() || value.size() != 2 || !value.get(0).isTextual() || !value.get(1).isTextual()
                        || !value.get(0).asText().matches("[0-9]{1,19}")) {
                    return "an entry is not [\"<nanoseconds>\", \"<line>\"]: " + value;
                }
            }
        }
        return null;
    }

    private static void answer(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
        if (status != 204) {
            exchange.getResponseBody().write(bytes);
        }
    }

    /** Every stream whose labels include all of {@code matchers}: its labels and lines in time order. */
    synchronized Map<Map<String, String>, List<String>> select(Map<String, String> matchers) {
        Map<Map<String, String>, List<String>> found = new LinkedHashMap<>();
        streams.forEach((labels, entries) -> {
            if (labels.entrySet().containsAll(matchers.entrySet())) {
                List<String> lines = new ArrayList<>();
                entries.values().forEach(lines::addAll);
                found.put(labels, lines);
            }
        });
        return found;
    }

    synchronized List<String> lines(Map<String, String> matchers) {
        List<String> lines = new ArrayList<>();
        select(matchers).values().forEach(lines::addAll);
        return lines;
    }

    int refused() {
        return refused.get();
    }

    @Override
    public void close() {
        stop();
    }
}
