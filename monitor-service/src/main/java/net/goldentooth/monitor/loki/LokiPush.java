package net.goldentooth.monitor.loki;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.logs.LogEntry;
import net.goldentooth.events.logs.LogPriority;

/**
 * Lines of {@code node.logs} as bodies of Loki's push API ({@code POST /loki/api/v1/push}, JSON):
 * one stream per node, unit and priority (labels {@code node}, {@code unit}, {@code priority} by
 * name, e.g. {@code err}), so Grafana's and LogQL's usual selectors work; a line without a unit is
 * labelled with its syslog identifier ({@code kernel}). Bodies are cut at about {@code maxBytes}.
 * Pure.
 */
public final class LokiPush {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The labels a line is pushed with. */
    public static Map<String, String> labels(LogEntry line) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("node", line.node() == null ? "unknown" : line.node());
        String unit = line.unit() != null ? line.unit() : line.identifier();
        labels.put("unit", unit == null ? "unknown" : unit);
        labels.put("priority", LogPriority.name(line.priority()));
        return labels;
    }

    /** Push bodies for {@code lines}, each at most about {@code maxBytes} of line text. */
    public static List<byte[]> bodies(List<LogEntry> lines, int maxBytes) {
        List<byte[]> bodies = new ArrayList<>();
        Map<Map<String, String>, ArrayNode> streams = new LinkedHashMap<>();
        long size = 0;
        for (LogEntry line : lines) {
            Map<String, String> labels = labels(line);
            ArrayNode values = streams.computeIfAbsent(labels, l -> JSON.createArrayNode());
            Instant time = line.time() == null ? Instant.EPOCH : line.time();
            String nanos = Long.toString(time.getEpochSecond()) + String.format("%09d", time.getNano());
            String text = line.message() == null ? "" : line.message();
            values.addArray().add(nanos).add(text);
            size += text.length() + 40;
            if (size >= maxBytes) {
                bodies.add(body(streams));
                streams.clear();
                size = 0;
            }
        }
        if (!streams.isEmpty()) {
            bodies.add(body(streams));
        }
        return bodies;
    }

    private static byte[] body(Map<Map<String, String>, ArrayNode> streams) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode list = root.putArray("streams");
        streams.forEach((labels, values) -> {
            ObjectNode stream = list.addObject();
            ObjectNode l = stream.putObject("stream");
            labels.forEach(l::put);
            stream.set("values", values);
        });
        return root.toString().getBytes(StandardCharsets.UTF_8);
    }

    private LokiPush() {
    }
}
