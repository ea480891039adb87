package net.goldentooth.provisioner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InventoryParserTest {

    static Inventory small() {
        return InventoryParser.load(fixture("small.yaml"));
    }

    static Path fixture(String name) {
        return Path.of("src/test/resources/inventory", name);
    }

    @Test
    void childrenExpandIntoTheirParentsHosts() {
        Inventory inv = small();
        assertEquals(List.of("bettley", "cargyll", "dalt", "velaryon"), inv.groups().get("k8s"));
        assertEquals(List.of("bettley", "cargyll"), inv.groups().get("control"));
        assertEquals(List.of("loner", "bettley", "bettina", "cargyll", "dalt", "velaryon"), inv.groups().get("all"));
        assertEquals(List.of(), inv.groups().get("empty"));
        assertEquals(List.of("loner"), inv.groups().get("ungrouped"));
    }

    @Test
    void hostsKnowEveryGroupTheyAreInThroughChildren() {
        Inventory inv = small();
        assertEquals(List.of("pis", "k8s", "control"), inv.hosts().get("bettley").groups());
        assertEquals(List.of("gpu", "k8s", "workers"), inv.hosts().get("velaryon").groups());
    }

    @Test
    void groupVarsAreInheritedOuterToInnerThenHostVarsWin() {
        Inventory inv = small();
        // all < pis (depth 1) < control (depth 2): the deeper group wins.
        assertEquals("control", inv.hosts().get("bettley").vars().get("role"));
        assertEquals("arm64", inv.hosts().get("bettley").vars().get("arch"));
        assertEquals("root", inv.hosts().get("bettley").vars().get("ansible_user"));
        // host vars beat every group
        assertEquals("special", inv.hosts().get("cargyll").vars().get("role"));
        assertEquals("pi", inv.hosts().get("bettina").vars().get("role"));
        assertEquals("generic", inv.hosts().get("loner").vars().get("role"));
        assertFalse(inv.hosts().get("loner").vars().containsKey("arch"));
    }

    @Test
    void ansibleHostIsTheAddressAndTheNameIsTheFallback() {
        Inventory inv = small();
        assertEquals("10.4.0.11", inv.hosts().get("bettley").address());
        assertEquals("dalt", inv.hosts().get("dalt").address());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "bad-key.yaml|group 'pis' has unknown key 'host'; expected hosts, vars or children",
        "bad-hosts-list.yaml|group 'pis': 'hosts' must be a mapping, got a list",
        "cycle.yaml|groups form a cycle: all -> a -> b -> a",
        "not-yaml.yaml|is not valid YAML",
    })
    void badFilesFailWithTheFileAndTheProblem(String file, String problem) {
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryParser.load(fixture(file)));
        assertTrue(e.getMessage().startsWith("inventory " + fixture(file) + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void missingAndEmptyFilesAreNamed() throws Exception {
        InventoryException missing = assertThrows(InventoryException.class,
                () -> InventoryParser.load(Path.of("/nonexistent/inv.yaml")));
        assertEquals("inventory /nonexistent/inv.yaml: file does not exist", missing.getMessage());
        Path empty = Files.createTempFile("inv", ".yaml");
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryParser.load(empty));
        assertTrue(e.getMessage().contains(empty + ": is empty"), e.getMessage());
        Files.delete(empty);
    }

    @Test
    void nonStringAnsibleHostIsRefused() {
        InventoryException e = assertThrows(InventoryException.class, () -> InventoryParser.parse(
                "all:\n  hosts:\n    a: {ansible_host: [1, 2]}\n", "x.yaml"));
        assertTrue(e.getMessage().contains("host 'a': ansible_host must be a string"), e.getMessage());
    }

    @Test
    void topLevelGroupsBesideAllAreItsChildren() {
        Inventory inv = InventoryParser.parse("web:\n  hosts:\n    w1:\ndb:\n  hosts:\n    d1:\n", "t.yaml");
        assertEquals(List.of("w1", "d1"), inv.groups().get("all"));
        assertEquals(List.of("w1"), inv.groups().get("web"));
    }

    @Test
    void theGoldentoothInventoryParsesWhenPresent() {
        Path real = Path.of("../deploy/inventory/goldentooth.yaml");
        if (!Files.exists(real)) {
            return;
        }
        Inventory inv = InventoryParser.load(real);
        assertEquals(13, inv.hosts().size());
        assertEquals("10.4.0.11", inv.hosts().get("bettley").address());
        assertTrue(inv.groups().get("k8s_cluster").containsAll(List.of("bettley", "velaryon")));
    }
}
