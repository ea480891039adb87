package net.goldentooth.provisioner.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.goldentooth.provisioner.inventory.Inventory;
import net.goldentooth.provisioner.inventory.InventoryParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The renderer against the real {@code haproxy -c} from Debian's haproxy package (.ci/packages/provisioner-ops.txt). */
class HaproxyRendererTest {

    private static final HaproxyRenderer.Settings SETTINGS =
            new HaproxyRenderer.Settings("k8s_control_plane", "haproxy", 6443, 8404);
    /** src/test/resources/inventory/small.yaml: control = bettley, cargyll; the balancer is velaryon. */
    private static final HaproxyRenderer.Settings SMALL = new HaproxyRenderer.Settings("control", "gpu", 6443, 8404);

    @TempDir
    Path dir;

    @Test
    void theGoldentoothInventoryRendersAConfigHaproxyAccepts() throws Exception {
        Inventory inventory = InventoryParser.load(repoRoot().resolve("deploy/inventory/goldentooth.yaml"));
        String config = HaproxyRenderer.render(inventory, SETTINGS);

        List<String> servers = config.lines().filter(l -> l.strip().startsWith("server ")).map(String::strip).toList();
        List<String> expected = inventory.groups().get("k8s_control_plane").stream()
                .map(h -> "server " + h + " " + inventory.hosts().get(h).address() + ":6443 check fall 3 rise 2")
                .toList();
        assertEquals(expected, servers);
        assertFalse(servers.isEmpty());
        String balancer = inventory.hosts().get(inventory.groups().get("haproxy").get(0)).address();
        assertTrue(config.contains("  bind " + balancer + ":6443\n"), config);
        assertFalse(config.contains("stats auth"), "no credentials are rendered");

        HaproxyCheck result = check(config);
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void haproxyRejectsABrokenFileSoTheCheckCanFail() throws Exception {
        String config = HaproxyRenderer.render(small(), SMALL)
                .replace("balance roundrobin", "balance no-such-algorithm");
        assertNotEquals(0, check(config).exit());
    }

    @Test
    void ipv6AddressesAreBracketedAndAccepted() throws Exception {
        Inventory inventory = InventoryParser.parse("""
                all:
                  children:
                    cp:
                      hosts:
                        a: {ansible_host: "fd00::11"}
                        b: {ansible_host: "fd00::12"}
                    lb:
                      hosts:
                        c: {ansible_host: "::1"}
                """, "test");
        String config = HaproxyRenderer.render(inventory, new HaproxyRenderer.Settings("cp", "lb", 6443, 8404));
        assertTrue(config.contains("server a [fd00::11]:6443"), config);
        HaproxyCheck result = check(config);
        assertEquals(0, result.exit(), result.output());
    }

    @Test
    void missingOrEmptyGroupsAreErrorsNamingTheGroup() {
        RenderException missing = assertThrows(RenderException.class,
                () -> HaproxyRenderer.render(small(), SETTINGS));
        assertEquals("inventory has no group 'k8s_control_plane'", missing.getMessage());
        assertTrue(missing.hints().contains("control"));
        RenderException empty = assertThrows(RenderException.class,
                () -> HaproxyRenderer.render(small(),
                        new HaproxyRenderer.Settings("empty", "gpu", 6443, 8404)));
        assertEquals("inventory group 'empty' has no hosts", empty.getMessage());
    }

    @Test
    void anAddressThatWouldInjectConfigurationIsRefused() {
        Inventory inventory = InventoryParser.parse("""
                all:
                  children:
                    cp:
                      hosts:
                        a: {ansible_host: "10.0.0.1:6443 check\\n  server evil 1.2.3.4"}
                """, "test");
        RenderException e = assertThrows(RenderException.class,
                () -> HaproxyRenderer.render(inventory, new HaproxyRenderer.Settings("cp", "cp", 6443, 8404)));
        assertTrue(e.getMessage().startsWith("host a: address"), e.getMessage());
    }

    @Test
    void renderingIsDeterministic() {
        assertEquals(HaproxyRenderer.render(small(), SMALL),
                HaproxyRenderer.render(small(), SMALL));
    }

    private record HaproxyCheck(int exit, String output) {
    }

    private HaproxyCheck check(String config) throws IOException, InterruptedException {
        Path file = dir.resolve("haproxy.cfg");
        Files.writeString(file, config);
        Process process;
        try {
            process = new ProcessBuilder("haproxy", "-c", "-f", file.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError("haproxy is not installed (apt-get install haproxy; "
                    + ".ci/packages/provisioner-ops.txt): " + e.getMessage(), e);
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "haproxy -c did not finish");
        return new HaproxyCheck(process.exitValue(), output);
    }

    private static Inventory small() {
        return InventoryParser.load(Path.of("src/test/resources/inventory/small.yaml"));
    }

    private static Path repoRoot() {
        String root = System.getProperty("goldentooth.root");
        return root == null || root.isBlank() || root.startsWith("$") ? Path.of("..") : Path.of(root);
    }
}
