package net.goldentooth.storage.seaweedfs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses a master's {@code GET /cluster/status} ({@code {"IsLeader":true,"Leader":"host:9333",
 * "Peers":[...]}}) and {@code GET /dir/status} ({@code {"Topology":{"Max":..,"Free":..,
 * "DataCenters":[{"Racks":[{"DataNodes":[{"Url":..}]}]}]}}}), SeaweedFS's documented answers.
 */
public final class SeaweedStatusParser {

    private static final ObjectMapper JSON = new ObjectMapper();

    private SeaweedStatusParser() {
    }

    public static SeaweedHealth parse(String clusterStatus, String dirStatus) {
        JsonNode cluster = read("/cluster/status", clusterStatus);
        JsonNode dir = read("/dir/status", dirStatus);
        List<String> peers = new ArrayList<>();
        cluster.path("Peers").forEach(p -> peers.add(p.asText()));
        JsonNode topology = dir.path("Topology");
        if (topology.isMissingNode()) {
            throw new SeaweedTopologyException("/dir/status answer has no Topology");
        }
        List<String> volumes = new ArrayList<>();
        topology.path("DataCenters").forEach(dc -> dc.path("Racks").forEach(rack ->
                rack.path("DataNodes").forEach(node -> volumes.add(node.path("Url").asText()))));
        String leader = cluster.path("Leader").asText(null);
        return new SeaweedHealth(cluster.path("IsLeader").asBoolean(false), leader, peers, volumes,
                topology.path("Free").asLong(0), topology.path("Max").asLong(0));
    }

    private static JsonNode read(String what, String body) {
        try {
            JsonNode node = JSON.readTree(body);
            if (node == null || !node.isObject()) {
                throw new SeaweedTopologyException(what + " answer is not a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new SeaweedTopologyException(what + " answer is not JSON: " + e.getMessage());
        }
    }
}
