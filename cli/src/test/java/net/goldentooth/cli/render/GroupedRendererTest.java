package net.goldentooth.cli.render;

import static net.goldentooth.cli.Fixtures.job;
import static net.goldentooth.cli.Fixtures.succeeded;
import static net.goldentooth.cli.Fixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import org.junit.jupiter.api.Test;

class GroupedRendererTest {

    @Test
    void everyTargetStateInTheSeedsStyleSortedByNode() {
        Capture out = new Capture();
        GroupedRenderer.render(job("j1", JobState.FAILED,
                target("jast", TargetState.REJECTED, null, null, null, "command_root is not allowed on this agent", null),
                succeeded("allyrion", " 19:26:23 up 17 days,  4:49,  0 user,  load average: 0.10, 0.06, 0.01\n", 0L),
                target("dalt", TargetState.FAILED, 2, "", "ls: cannot access '/nope': No such file or directory\n",
                        null, 1L),
                target("fenn", TargetState.UNREACHABLE, null, null, null, "no live agent before the deadline", null),
                target("erenford", TargetState.TIMED_OUT, null, "partial\n", null, "killed after 30s", 3L),
                target("gardener", TargetState.RUNNING, null, "still going", null, null, 0L)), out.stream);
        assertEquals("""
                allyrion | SUCCESS | rc=0 >>
                 19:26:23 up 17 days,  4:49,  0 user,  load average: 0.10, 0.06, 0.01
                dalt | FAILED | rc=2 >>
                ls: cannot access '/nope': No such file or directory
                erenford | TIMED OUT | killed after 30s >>
                partial
                fenn | UNREACHABLE | no live agent before the deadline
                gardener | RUNNING >>
                still going
                jast | REJECTED | command_root is not allowed on this agent
                """, out.text());
    }

    @Test
    void stdoutThenStderrAndTheSshAndTruncationNotes() {
        TargetStatus viaSsh = new TargetStatus("bettley", TargetState.SUCCEEDED, "t", "ssh", 0, 10L, null,
                "out\n", "warn\n", true, null, 2L);
        Capture out = new Capture();
        GroupedRenderer.render(job("j2", JobState.SUCCEEDED, viaSsh), out.stream);
        assertEquals("""
                bettley | SUCCESS | rc=0 | via ssh >>
                out
                warn
                [output truncated at the task's output cap]
                """, out.text());
    }

    @Test
    void successWithoutOutputStillGetsTheArrowsLikeAnsible() {
        assertEquals("cargyll | SUCCESS | rc=0 >>",
                GroupedRenderer.header("cargyll", succeeded("cargyll", null, 0L)));
    }

    @Test
    void summaryCountsStatesAndNamesTheNodesThatDidNotSucceed() {
        String line = Summary.line(job("j3", JobState.FAILED,
                succeeded("a", "x", 0L), succeeded("b", "x", 0L),
                target("c", TargetState.FAILED, 1, null, null, null, null),
                target("d", TargetState.UNREACHABLE, null, null, null, null, null)));
        assertEquals("job j3 failed: 2 succeeded, 1 failed (c), 1 unreachable (d) in 2.3s", line);
    }

    @Test
    void summaryShortensLongNodeLists() {
        TargetStatus[] targets = new TargetStatus[7];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = target("n" + i, TargetState.TIMED_OUT, null, null, null, null, null);
        }
        assertEquals("job j4 failed: 7 timed-out (n0, n1, n2, n3, n4, +2 more) in 2.3s",
                Summary.line(job("j4", JobState.FAILED, targets)));
    }

    private static TargetStatus[] uniqueSuccesses(int count) {
        TargetStatus[] targets = new TargetStatus[count];
        for (int i = 0; i < count; i++) {
            targets[i] = succeeded(String.format("sim-%05d", i + 1), " 15:00:" + i + " up 1 day\n", 1L);
        }
        return targets;
    }

    @Test
    void aLargeJobIsGroupedByIdenticalResultsWithFailuresFirst() {
        java.util.List<TargetStatus> targets = new java.util.ArrayList<>();
        for (int i = 1; i <= 140; i++) {
            targets.add(succeeded(String.format("sim-%05d", i), "up 1 day\n", 1L));
        }
        for (int i = 141; i <= 148; i++) {
            targets.add(succeeded(String.format("sim-%05d", i), "up " + i + " days\n", 1L));
        }
        targets.add(target("sim-00149", TargetState.FAILED, 2, null, "disk full\n", null, 1L));
        targets.add(target("sim-00150", TargetState.FAILED, 2, null, "disk full\n", null, 1L));
        Capture out = new Capture();
        GroupedRenderer.render(job("j5", JobState.FAILED, targets.toArray(TargetStatus[]::new)), out.stream, false);
        String text = out.text();
        assertEquals(String.join("\n",
                "150 targets in 10 groups of identical results; --each prints every target",
                "sim-00149, sim-00150 | FAILED | rc=2 >>",
                "disk full",
                "sim-00001, sim-00002, sim-00003, sim-00004, sim-00005, +135 more | SUCCESS | rc=0 >>",
                "up 1 day",
                "sim-00141 | SUCCESS | rc=0 >>",
                "up 141 days"), String.join("\n", text.lines().limit(7).toList()));
        assertEquals(1 + 2 * 10, text.lines().count(), text);
    }

    @Test
    void aLargeJobOfDistinctOutputsShowsTenGroupsAndSaysWhatIsLeftOut() {
        Capture out = new Capture();
        GroupedRenderer.render(job("j6", JobState.SUCCEEDED, uniqueSuccesses(10_000)), out.stream, false);
        String text = out.text();
        assertTrue(text.startsWith("10,000 targets in 10,000 groups of identical results, the first 10 shown; "
                + "--each prints every target\n"), text);
        assertTrue(text.endsWith("[9,990 more targets in 9,990 more groups not shown; --each prints every target]\n"),
                text);
        assertEquals(1 + 2 * 10 + 1, text.lines().count());
    }

    @Test
    void upToAHundredTargetsOrWithEachEveryTargetIsPrinted() {
        Capture hundred = new Capture();
        GroupedRenderer.render(job("j7", JobState.SUCCEEDED, uniqueSuccesses(100)), hundred.stream, false);
        assertEquals(200, hundred.text().lines().count());
        assertTrue(hundred.text().startsWith("sim-00001 | SUCCESS | rc=0 >>\n"));

        Capture each = new Capture();
        GroupedRenderer.render(job("j8", JobState.SUCCEEDED, uniqueSuccesses(101)), each.stream, true);
        assertEquals(202, each.text().lines().count());
        assertFalse(GroupedRenderer.summarised(job("j7", JobState.SUCCEEDED, uniqueSuccesses(100))));
        assertTrue(GroupedRenderer.summarised(job("j8", JobState.SUCCEEDED, uniqueSuccesses(101))));
    }
}
