package net.goldentooth.cli.render;

import static net.goldentooth.cli.Fixtures.job;
import static net.goldentooth.cli.Fixtures.succeeded;
import static net.goldentooth.cli.Fixtures.target;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
