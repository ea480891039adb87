package net.goldentooth.agent.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;

/**
 * This node's Nomad client as the servers see it (what {@code nomad node status -self} prints): the
 * node id from {@code /v1/agent/self}, then {@code /v1/node/<id>}. {@code ready} and eligible is ok;
 * ineligible or draining is a warning; {@code down} or {@code disconnected} critical.
 */
public final class NomadCheck implements ServiceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final HttpGetter http;
    private final Clock clock;

    public NomadCheck(String address, HttpGetter http, Clock clock) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "nomad";
    }

    @Override
    public ServiceCheck check() throws InterruptedException {
        String version = null;
        try {
            JsonNode self = json(http.get(address + "/v1/agent/self"));
            JsonNode v = self.path("config").path("Version");
            version = v.isTextual() ? v.asText() : v.path("Version").asText(null);
            String nodeId = self.path("stats").path("client").path("node_id").asText("");
            if (nodeId.isEmpty()) {
                return new ServiceCheck(name(), name(), State.CRITICAL, version, Map.of(), clock.instant(),
                        "this Nomad agent runs no client");
            }
            JsonNode node = json(http.get(address + "/v1/node/" + nodeId));
            String status = node.path("Status").asText("");
            String eligibility = node.path("SchedulingEligibility").asText("");
            boolean draining = node.path("Drain").asBoolean(false);
            Map<String, String> details = new LinkedHashMap<>();
            details.put("nodeId", nodeId);
            details.put("status", status);
            details.put("eligibility", eligibility);
            details.put("drain", Boolean.toString(draining));
            State state = switch (status) {
                case "ready" -> "eligible".equals(eligibility) && !draining ? State.OK : State.WARNING;
                case "initializing" -> State.WARNING;
                default -> State.CRITICAL;
            };
            return new ServiceCheck(name(), name(), state, version, details, clock.instant(),
                    state == State.OK ? null : "node " + status + ", " + eligibility + (draining ? ", draining" : ""));
        } catch (IOException e) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, version, Map.of(), clock.instant(),
                    "Nomad API " + address + ": " + e.getMessage());
        }
    }

    private static JsonNode json(HttpGetter.Answer answer) throws IOException {
        if (answer.status() != 200) {
            throw new IOException("HTTP " + answer.status() + ": " + answer.body().strip());
        }
        return JSON.readTree(answer.body());
    }
}
