package net.goldentooth.storage.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Sample configs double as tests: every valid sample parses, every invalid one fails as its header says. */
class SanoidConfigParserTest {

    static Stream<Path> valid() throws Exception {
        return samples("valid");
    }

    static Stream<Path> invalid() throws Exception {
        return samples("invalid");
    }

    static Stream<Path> samples(String dir) throws URISyntaxException, IOException {
        Path root = Path.of(SanoidConfigParserTest.class.getResource("/sanoid/" + dir).toURI());
        List<Path> files;
        try (Stream<Path> list = Files.list(root)) {
            files = list.sorted().toList();
        }
        assertFalse(files.isEmpty(), "no samples in " + root);
        return files.stream();
    }

    static SanoidConfig parse(Path file) throws IOException {
        return SanoidConfigParser.parse(file.getFileName().toString(), Files.readString(file));
    }

    @ParameterizedTest
    @MethodSource("valid")
    void everyValidSampleParses(Path file) throws IOException {
        assertFalse(parse(file).datasets().isEmpty());
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void everyInvalidSampleFailsWithFileLineAndReason(Path file) throws IOException {
        String text = Files.readString(file);
        String expect = text.lines().findFirst().orElseThrow();
        assertTrue(expect.startsWith("# expect: "), file + " must start with '# expect: <line>: <reason>'");
        String expected = file.getFileName() + ":" + expect.substring("# expect: ".length());
        PolicyException e = assertThrows(PolicyException.class, () -> parse(file));
        assertEquals(expected, e.getMessage());
    }

    @Test
    void theSeedConfigKeepsThirtySixHourlyThirtyDailyThreeMonthly() throws Exception {
        SanoidConfig config = parse(samples("valid").filter(p -> p.endsWith("seed-allyrion.conf")).findFirst().orElseThrow());
        DatasetPolicy policy = config.policyFor("rpool/data").orElseThrow();
        assertEquals(36, policy.retain(Period.HOURLY));
        assertEquals(30, policy.retain(Period.DAILY));
        assertEquals(3, policy.retain(Period.MONTHLY));
        assertEquals(0, policy.retain(Period.YEARLY));
        assertEquals(0, policy.retain(Period.WEEKLY));
        assertTrue(policy.autosnap() && policy.autoprune());
        assertEquals(Recursion.DATASETS, policy.recursion(), "recursive = yes: children planned on their own");
        assertEquals("rpool/data/child", config.policyFor("rpool/data/child").orElseThrow().dataset());
        assertTrue(config.policyFor("rpool/other").isEmpty());
    }

    @Test
    void templatesApplyInOrderThenTheSectionsOwnKeys() throws Exception {
        SanoidConfig config = parse(samples("valid").filter(p -> p.endsWith("templates-and-monitoring.conf"))
                .findFirst().orElseThrow());
        DatasetPolicy vm = config.policyFor("tank/vm").orElseThrow();
        assertEquals(8, vm.retain(Period.FREQUENTLY));
        assertEquals(30, vm.retain(Period.HOURLY), "the later template wins");
        assertEquals(7, vm.retain(Period.DAILY), "the section's own key wins");
        assertEquals(1, vm.retain(Period.YEARLY));
        assertFalse(vm.autosnap());
        assertEquals(5, vm.schedule().hourlyMin(), "template_default applies to every section");
        assertEquals(2, vm.schedule().dailyHour());
        DatasetPolicy home = config.policyFor("tank/home/alice").orElseThrow();
        assertEquals(Recursion.ZFS, home.recursion(), "recursive = zfs");
        assertEquals(90, home.retain(Period.DAILY), "sanoid's default");
        assertEquals(0, home.schedule().weeklyWday());
        assertEquals(31, home.schedule().monthlyMday());
    }
}
