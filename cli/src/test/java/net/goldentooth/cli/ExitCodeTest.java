package net.goldentooth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;
import org.junit.jupiter.api.Test;

class ExitCodeTest {

    private static ExitCode exitFor(TargetState... states) {
        List<TargetStatus> targets = Arrays.stream(states)
                .map(state -> new TargetStatus("n", state, null, null, null, null, null, null, null, false, null, null))
                .toList();
        return ExitCode.forTargets(targets);
    }

    @Test
    void codesAreTheDocumentedNumbers() {
        assertEquals(List.of(0, 1, 2, 3, 4, 5), Arrays.stream(ExitCode.values()).map(ExitCode::code).toList());
    }

    @Test
    void allSucceededIsZero() {
        assertEquals(ExitCode.SUCCESS, exitFor(TargetState.SUCCEEDED, TargetState.SUCCEEDED));
        assertEquals(ExitCode.SUCCESS, exitFor());
    }

    @Test
    void failedWinsOverRejectedWhichWinsOverUnfinished() {
        assertEquals(ExitCode.FAILED, exitFor(TargetState.UNREACHABLE, TargetState.REJECTED, TargetState.FAILED,
                TargetState.SUCCEEDED));
        assertEquals(ExitCode.REJECTED, exitFor(TargetState.TIMED_OUT, TargetState.REJECTED, TargetState.SUCCEEDED));
        assertEquals(ExitCode.INCOMPLETE, exitFor(TargetState.SUCCEEDED, TargetState.TIMED_OUT));
        assertEquals(ExitCode.INCOMPLETE, exitFor(TargetState.UNREACHABLE));
    }

    @Test
    void targetsThatHaveNotFinishedCountAsIncomplete() {
        for (TargetState state : List.of(TargetState.PENDING, TargetState.DISPATCHED, TargetState.ACCEPTED,
                TargetState.RUNNING)) {
            assertEquals(ExitCode.INCOMPLETE, exitFor(TargetState.SUCCEEDED, state), state.wire());
        }
    }

    @Test
    void worstIsSymmetricAndSpansEveryOutcome() {
        for (ExitCode a : ExitCode.values()) {
            for (ExitCode b : ExitCode.values()) {
                assertEquals(a.worst(b), b.worst(a), a + " vs " + b);
            }
        }
        assertEquals(ExitCode.USAGE, ExitCode.FAILED.worst(ExitCode.USAGE));
        assertEquals(ExitCode.FAILED, ExitCode.INCOMPLETE.worst(ExitCode.FAILED));
    }
}
