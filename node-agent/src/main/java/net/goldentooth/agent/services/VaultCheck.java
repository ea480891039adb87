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
 * Vault's seal and HA state from {@code /v1/sys/health}. The query asks for 200 whatever the state
 * (standby, sealed, uninitialised), so the body is always the answer and a non-200 is a real error.
 * Sealed or uninitialised is {@code critical}: Vault serves nothing until someone unseals it.
 */
public final class VaultCheck implements ServiceProbe {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEALTH = "/v1/sys/health?standbyok=true&perfstandbyok=true&sealedcode=200"
            + "&uninitcode=200&drsecondarycode=200&performancestandbycode=200";

    private final String address;
    private final HttpGetter http;
    private final Clock clock;

    public VaultCheck(String address, HttpGetter http, Clock clock) {
        this.address = address.endsWith("/") ? address.substring(0, address.length() - 1) : address;
        this.http = http;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "vault";
    }

    @Override
    public ServiceCheck check() throws InterruptedException {
        JsonNode health;
        try {
            HttpGetter.Answer answer = http.get(address + HEALTH);
            if (answer.status() != 200) {
                throw new IOException("HTTP " + answer.status() + ": " + answer.body().strip());
            }
            health = JSON.readTree(answer.body());
        } catch (IOException e) {
            return new ServiceCheck(name(), name(), State.UNKNOWN, null, Map.of(), clock.instant(),
                    "Vault API " + address + ": " + e.getMessage());
        }
        boolean initialized = health.path("initialized").asBoolean(false);
        boolean sealed = health.path("sealed").asBoolean(true);
        Map<String, String> details = new LinkedHashMap<>();
        details.put("initialized", Boolean.toString(initialized));
        details.put("sealed", Boolean.toString(sealed));
        details.put("standby", Boolean.toString(health.path("standby").asBoolean(false)));
        if (health.hasNonNull("cluster_name")) {
            details.put("cluster", health.get("cluster_name").asText());
        }
        State state = sealed || !initialized ? State.CRITICAL : State.OK;
        String problem = sealed ? "sealed" : !initialized ? "not initialised" : null;
        return new ServiceCheck(name(), name(), state, health.path("version").asText(null), details, clock.instant(),
                problem);
    }
}
