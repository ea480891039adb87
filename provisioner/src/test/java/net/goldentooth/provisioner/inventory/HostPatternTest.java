package net.goldentooth.provisioner.inventory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostPatternTest {

    private final Inventory inv = InventoryParserTest.small();

    private List<String> resolve(String pattern) {
        return HostPattern.resolve(pattern, inv);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "all|loner bettley bettina cargyll dalt velaryon",
        "*|loner bettley bettina cargyll dalt velaryon",
        "dalt|dalt",
        "control|bettley cargyll",
        "velaryon,bettley|bettley velaryon",
        "velaryon:bettley|bettley velaryon",
        "bett*|bettley bettina",
        "*ley|bettley",
        "bett?na|bettina",
        "c*|bettley cargyll",
        "k8s:!control|dalt velaryon",
        "pis:&k8s|bettley cargyll dalt",
        "!pis|loner velaryon",
        "&workers|dalt velaryon",
        "pis,gpu,!workers,&k8s|bettley cargyll",
        " control , loner |loner bettley cargyll",
    })
    void patternsSelectInInventoryOrder(String pattern, String expected) {
        assertEquals(List.of(expected.split(" ")), resolve(pattern));
    }

    @Test
    void exclusionsApplyAfterUnionsWhateverTheirPosition() {
        // Ansible orders terms: plain, then &, then !; 'dalt' listed after '!workers' is still excluded.
        assertEquals(List.of("bettley", "cargyll"), resolve("!workers,control,dalt"));
        assertEquals(List.of("dalt", "velaryon"), resolve("&workers,all"));
    }

    @Test
    void unknownNameIsAnErrorListingTheGroups() {
        PatternException e = assertThrows(PatternException.class, () -> resolve("pis,foo"));
        assertEquals("unknown group or host 'foo'; groups: all, pis, gpu, k8s, control, workers, empty, ungrouped",
                e.getMessage());
        assertTrue(e.knownGroups().contains("control"));
        assertThrows(PatternException.class, () -> resolve("all:!foo"));
    }

    @Test
    void globMatchingNothingAndEmptyResultsAreErrors() {
        assertTrue(assertThrows(PatternException.class, () -> resolve("zz*")).getMessage()
                .startsWith("no group or host matches 'zz*'"));
        assertEquals("pattern 'all:!all' selects no hosts",
                assertThrows(PatternException.class, () -> resolve("all:!all")).getMessage());
        assertEquals("pattern 'empty' selects no hosts",
                assertThrows(PatternException.class, () -> resolve("empty")).getMessage());
        assertThrows(PatternException.class, () -> resolve(" "));
        assertThrows(PatternException.class, () -> resolve("pis,,gpu"));
    }
}
