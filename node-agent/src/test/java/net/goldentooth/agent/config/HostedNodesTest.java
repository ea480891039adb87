package net.goldentooth.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostedNodesTest {

    @Test
    void generatedSimulatedNodesFollowThePrimary() {
        HostedNodes nodes = HostedNodes.of("bettley", List.of(), 3, "sim-");
        assertEquals(List.of("bettley", "sim-00001", "sim-00002", "sim-00003"), nodes.all());
        assertEquals("bettley", nodes.primary());
        assertEquals(List.of("sim-00001", "sim-00002", "sim-00003"), nodes.simulated());
        assertTrue(nodes.hosts("sim-00002"));
        assertFalse(nodes.hosts("cargyll"));
        assertFalse(nodes.hosts(null));
    }

    @Test
    void listAndCountTogetherAreRefusedNamingTheKeys() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HostedNodes.of("bettley", List.of("x"), 2, "sim-"));
        assertTrue(e.getMessage().contains("goldentooth.agent.simulated-count"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HostedNodes.of("bettley", List.of("bettley"), 0, "s"));
    }

    @Test
    void shortHostnameDropsTheDomain() {
        assertEquals("bettley", HostedNodes.shortHostname("bettley.nodes.goldentooth.net\n"));
        assertEquals("bettley", HostedNodes.shortHostname("bettley"));
    }
}
