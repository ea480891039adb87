package net.goldentooth.agent.services;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * Backend and server states from HAProxy's stats socket ({@code show info} and {@code show stat}).
 * A backend with servers and none of them up is {@code critical}: the seed's API-server backends
 * were DOWN with "no server available" while the control plane came up (seed ~L550). A server
 * counts as up when HAProxy says {@code UP} (also while going down, {@code UP 1/3}) or
 * {@code no check} (no health check: HAProxy sends it traffic).
 */
public final class HaproxyCheck implements ServiceProbe {

    private static final int MAX_ANSWER_BYTES = 4 << 20;

    private final Path socket;
    private final Clock clock;

    public HaproxyCheck(Path socket, Clock clock) {
        this.socket = socket;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "haproxy";
    }

    @Override
    public ServiceCheck check() {
        String answer;
        try {
            answer = ask("show info;show stat");
        } catch (IOException e) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, null, Map.of(), clock.instant(),
                    "stats socket " + socket + ": " + e.getMessage());
        }
        return evaluate(answer);
    }

    /** Backend name → its servers' status strings, from the CSV of {@code show stat}. */
    record Backend(String name, String status, List<String> serverStatuses) {
        long serversUp() {
            return serverStatuses.stream().filter(s -> s.startsWith("UP") || s.equals("no check")).count();
        }
    }

    ServiceCheck evaluate(String answer) {
        String version = null;
        List<String> csv = new ArrayList<>();
        boolean inCsv = false;
        for (String line : answer.split("\n")) {
            if (line.startsWith("Version:")) {
                version = line.substring("Version:".length()).strip();
            } else if (line.startsWith("# pxname,")) {
                inCsv = true;
                csv.add(line.substring(2));
            } else if (inCsv && !line.isBlank()) {
                csv.add(line);
            }
        }
        if (csv.isEmpty()) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, version, Map.of(), clock.instant(),
                    "no 'show stat' table in the stats socket's answer");
        }
        Map<String, Backend> backends = backends(csv);
        Map<String, String> details = new LinkedHashMap<>();
        State state = State.OK;
        for (Backend b : backends.values()) {
            long up = b.serversUp();
            int total = b.serverStatuses().size();
            details.put("backend." + b.name() + ".status", b.status());
            details.put("backend." + b.name() + ".servers", Integer.toString(total));
            details.put("backend." + b.name() + ".serversUp", Long.toString(up));
            if (total > 0 && up == 0) {
                state = State.CRITICAL;
            } else if (up < total) {
                state = state.worst(State.WARNING);
            }
        }
        return new ServiceCheck(name(), name(), state, version, details, clock.instant(), null);
    }

    static Map<String, Backend> backends(List<String> csv) {
        List<String> header = List.of(csv.get(0).split(",", -1));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int st = header.indexOf("status");
        if (px < 0 || sv < 0 || st < 0) {
            throw new IllegalArgumentException("'show stat' header lacks pxname, svname or status: " + csv.get(0));
        }
        Map<String, String> backendStatus = new TreeMap<>();
        Map<String, List<String>> servers = new TreeMap<>();
        for (String row : csv.subList(1, csv.size())) {
            String[] f = row.split(",", -1);
            if (f.length <= Math.max(px, Math.max(sv, st))) {
                continue;
            }
            switch (f[sv]) {
                case "FRONTEND" -> { }
                case "BACKEND" -> backendStatus.put(f[px], f[st]);
                default -> servers.computeIfAbsent(f[px], k -> new ArrayList<>()).add(f[st]);
            }
        }
        Map<String, Backend> out = new LinkedHashMap<>();
        backendStatus.forEach((name, status) -> out.put(name,
                new Backend(name, status, servers.getOrDefault(name, List.of()))));
        return out;
    }

    private String ask(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(16384);
            // Without "prompt" HAProxy answers and closes the connection.
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
                if (answer.size() > MAX_ANSWER_BYTES) {
                    throw new IOException("answer larger than " + MAX_ANSWER_BYTES + " bytes");
                }
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }
}
