package net.goldentooth.agent.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * A Consul server: leader, members and the server's own last-seen mark. Consul keeps
 * {@code server_metadata.json} in its data directory with the time the server was last running in
 * the cluster, and refuses to start once that is older than {@code server_rejoin_age_max} (168 h by
 * default; the seed's servers refused after a week off, ~L8441). The mark is read from disk, so it
 * is reported while Consul is down too, and the monitor can alert before the limit is reached.
 *
 * <p>The file, as Consul's source has it ({@code agent/consul/server_metadata.go},
 * {@code Agent.persistServerMetadata} and {@code checkServerLastSeen} in {@code agent/agent.go}):
 * {@code {"last_seen_unix": <Unix seconds>}}, rewritten (truncated) at start and every hour while the
 * server runs, mode 0600 and owned by Consul's user; at start Consul refuses to run when
 * {@code last_seen_unix} is older than {@code server_rejoin_age_max}. The agent runs as another user
 * and usually cannot read it, so when the file cannot be read or parsed (or is caught mid-rewrite,
 * empty) its modification time is the mark: Consul sets both in the same write, and a stat needs
 * only search permission on the data directory. {@code lastSeenSource} says which was used.
 */
public final class ConsulCheck implements ServiceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final Path dataDir;
    private final Duration rejoinAgeMax;
    private final HttpGetter http;
    private final Clock clock;

    public ConsulCheck(String address, Path dataDir, Duration rejoinAgeMax, HttpGetter http, Clock clock) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.dataDir = dataDir;
        this.rejoinAgeMax = rejoinAgeMax;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "consul";
    }

    @Override
    public ServiceCheck check() throws InterruptedException {
        Map<String, String> details = new LinkedHashMap<>();
        Instant now = clock.instant();
        State state = State.OK;
        String problem = null;
        try {
            Instant lastSeen = lastSeen(details);
            if (lastSeen != null) {
                details.put("lastSeenUnix", Long.toString(lastSeen.getEpochSecond()));
                details.put("rejoinAgeMaxSeconds", Long.toString(rejoinAgeMax.toSeconds()));
                Duration age = Duration.between(lastSeen, now);
                if (age.compareTo(rejoinAgeMax) >= 0) {
                    state = State.CRITICAL;
                    problem = "last seen " + age.toHours() + " h ago, beyond server_rejoin_age_max " + rejoinAgeMax.toHours()
                            + " h: Consul will refuse to rejoin";
                } else if (age.compareTo(rejoinAgeMax.dividedBy(2)) >= 0) {
                    state = State.WARNING;
                }
            }
        } catch (IOException e) {
            details.put("lastSeenError", e.getMessage());
        }
        String version = null;
        try {
            JsonNode self = json(http.get(address + "/v1/agent/self"));
            version = self.path("Config").path("Version").asText(null);
            HttpGetter.Answer leader = http.get(address + "/v1/status/leader");
            String leaderAddress = JSON.readTree(leader.body()).asText("");
            details.put("leader", leaderAddress);
            if (leaderAddress.isEmpty()) {
                state = State.CRITICAL;
                problem = problem == null ? "no leader" : problem;
            }
            int alive = 0;
            int failed = 0;
            int servers = 0;
            int serversAlive = 0;
            for (JsonNode member : json(http.get(address + "/v1/agent/members"))) {
                // Serf status: 1 alive, 2 leaving, 3 left, 4 failed.
                int status = member.path("Status").asInt();
                boolean server = "consul".equals(member.path("Tags").path("role").asText());
                alive += status == 1 ? 1 : 0;
                failed += status == 4 ? 1 : 0;
                servers += server ? 1 : 0;
                serversAlive += server && status == 1 ? 1 : 0;
            }
            details.put("members.alive", Integer.toString(alive));
            details.put("members.failed", Integer.toString(failed));
            details.put("servers.total", Integer.toString(servers));
            details.put("servers.alive", Integer.toString(serversAlive));
            if (serversAlive < servers) {
                state = state.worst(State.WARNING);
            }
        } catch (IOException e) {
            return new ServiceCheck(name(), name(), State.UNKNOWN.worst(state), version, details, now,
                    (problem == null ? "" : problem + "; ") + "Consul API " + address + ": " + e.getMessage());
        }
        return new ServiceCheck(name(), name(), state, version, details, now, problem);
    }

    private Instant lastSeen(Map<String, String> details) throws IOException {
        Path file = dataDir.resolve("server_metadata.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException unreadable) {
            // Typically AccessDeniedException: the file is Consul's, 0600.
            details.put("lastSeenSource", "mtime (" + unreadable.getClass().getSimpleName() + ")");
            return Files.getLastModifiedTime(file).toInstant();
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException malformed) {
            node = null;
        }
        if (node != null && node.path("last_seen_unix").canConvertToLong() && node.path("last_seen_unix").isIntegralNumber()) {
            details.put("lastSeenSource", "last_seen_unix");
            return Instant.ofEpochSecond(node.get("last_seen_unix").asLong());
        }
        details.put("lastSeenSource", "mtime");
        return Files.getLastModifiedTime(file).toInstant();
    }

    private static JsonNode json(HttpGetter.Answer answer) throws IOException {
        if (answer.status() != 200) {
            throw new IOException("HTTP " + answer.status() + ": " + answer.body().strip());
        }
        return JSON.readTree(answer.body());
    }
}
