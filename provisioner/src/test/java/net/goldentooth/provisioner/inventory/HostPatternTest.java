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
        "velaryon,bettley|velaryon bettley",
        "velaryon:bettley|velaryon bettley",
        "bett*|bettley bettina",
        "*ley|bettley",
        "bett?na|bettina",
        "c*|bettley cargyll",
        "k8s:!control|dalt velaryon",
        "pis:&k8s|bettley cargyll dalt",
        "!pis|loner velaryon",
        "&workers|dalt velaryon",
        "pis,gpu,!workers,&k8s|bettley cargyll",
        " control , loner |bettley cargyll loner",
        "pis,,gpu|bettley bettina cargyll dalt velaryon",
        "gpu pis|velaryon bettley bettina cargyll dalt",
        "~bett|bettley bettina",
        "~.*a$|bettina",
        "~[kg][8p]|velaryon bettley cargyll dalt",
        "~c|bettley cargyll",
        "ungrouped|loner",
        "all:!ungrouped|bettley bettina cargyll dalt velaryon",
        "pis[0]|bettley",
        "pis[-1]|dalt",
        "pis[1:2]|bettina cargyll",
        "pis[2:]|cargyll dalt",
        "pis[1-2]|bettina cargyll",
        "pis[2:0]|cargyll",
        "pis[3:9]|dalt",
        "all[0]|loner",
        "k8s[0]|bettley",
        "k8s[-1]|velaryon",
        "all:!pis[1:]|loner bettley velaryon",
        "bettley[0]|bettley",
    })
    void patternsSelectInAnsiblesOrder(String pattern, String expected) {
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
        assertEquals("pattern 'ungrouped:!loner' selects no hosts",
                assertThrows(PatternException.class, () -> resolve("ungrouped:!loner")).getMessage());
    }

    @Test
    void subscriptsOutOfRangeAndBadExpressionsAreErrors() {
        assertTrue(assertThrows(PatternException.class, () -> resolve("pis[4]")).getMessage()
                .startsWith("pattern term 'pis[4]': index 4 is out of range for its 4 hosts"));
        assertThrows(PatternException.class, () -> resolve("pis[-5]"));
        assertThrows(PatternException.class, () -> resolve("pis[7:0]"));
        // a slice beyond the end is empty, as in Python; alone it selects nothing
        assertEquals("pattern 'pis[7:9]' selects no hosts",
                assertThrows(PatternException.class, () -> resolve("pis[7:9]")).getMessage());
        assertTrue(assertThrows(PatternException.class, () -> resolve("~(bett")).getMessage()
                .startsWith("'~(bett' is not a valid regular expression"));
        assertTrue(assertThrows(PatternException.class, () -> resolve("~zz")).getMessage()
                .startsWith("no group or host matches the regular expression '~zz'"));
        assertThrows(PatternException.class, () -> resolve("pis:!"));
        // after '!' the rest is the name, spaces included, as in Ansible
        assertThrows(PatternException.class, () -> resolve("pis,! dalt"));
    }

    @Test
    void aRegexIsNotSubscriptedAndAHostPortIsOneTerm() {
        // '~b[0]' is a regex: 'b' then the character '0'
        assertThrows(PatternException.class, () -> resolve("~b[0]"));
        // without a comma, 'dalt:22' reads as a host and port, one term that names nothing
        assertTrue(assertThrows(PatternException.class, () -> resolve("dalt:22")).getMessage()
                .startsWith("unknown group or host 'dalt:22'"));
        assertEquals(List.of("dalt", "velaryon"), resolve("dalt:gpu"));
    }
}
