package net.goldentooth.monitor.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.goldentooth.events.facts.NodeFacts;
import net.goldentooth.monitor.TestFacts;
import net.goldentooth.monitor.core.MonitorCore;
import net.goldentooth.monitor.inventory.InventoryHost;
import net.goldentooth.monitor.liveness.LivenessPolicy;
import net.goldentooth.monitor.rules.RuleSet;
import org.junit.jupiter.api.Test;

/** Gauges for a fleet where some nodes have not published yet and some lack a temperature sensor. */
class MonitorMetricsTest {

    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void nodesWithoutFactsOrSensorsGetNoSeriesAndBreakNothing() {
        MonitorCore core = new MonitorCore(new LivenessPolicy(Duration.ofSeconds(15), 3, Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofMinutes(5)), new RuleSet(List.of()),
                Map.of("silent", new InventoryHost("silent", "10.4.0.99", Set.of("all")),
                        "vm", new InventoryHost("vm", "127.0.0.1", Set.of("all"))),
                Duration.ofMinutes(15), Duration.ofHours(1), 20);
        NodeFacts noSensor = TestFacts.withTemperature("vm", T0, null);
        core.facts(noSensor, T0);
        core.evaluate(T0.plusSeconds(1));
        MonitorMetrics metrics = new MonitorMetrics();
        metrics.registry = new SimpleMeterRegistry();
        metrics.refresh(core, T0.plusSeconds(1));

        assertEquals(1.0, metrics.registry.get("goldentooth.node.up").tag("node", "vm").gauge().value());
        assertEquals(0, metrics.registry.find("goldentooth.node.up").tag("node", "silent").gauges().size());
        assertNull(metrics.registry.find("goldentooth.node.cpu.temperature.celsius").tag("node", "vm").gauge());
        assertEquals(1.0, metrics.registry.get("goldentooth.node.group").tag("node", "silent").tag("group", "all")
                .gauge().value());

        core.evaluate(T0.plusSeconds(100));
        metrics.refresh(core, T0.plusSeconds(100));
        assertEquals(0.0, metrics.registry.get("goldentooth.node.up").tag("node", "vm").gauge().value());
    }
}
