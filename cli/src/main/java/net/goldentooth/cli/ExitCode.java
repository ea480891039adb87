package net.goldentooth.cli;

import java.util.Collection;
import net.goldentooth.events.job.TargetState;
import net.goldentooth.events.job.TargetStatus;

/**
 * The documented exit codes. When a job's targets end differently, the most serious outcome
 * wins: {@link #FAILED} over {@link #REJECTED} over {@link #INCOMPLETE}. So 3 promises that
 * nothing ran and failed and nothing was refused: every target either succeeded or never gave
 * an answer, and running it again is a reasonable reaction.
 */
public enum ExitCode {
    /** Every target succeeded (or the command needed no job). */
    SUCCESS(0, 0),
    /** At least one target ran the command and it exited non-zero. */
    FAILED(1, 3),
    /** Bad arguments, unknown command, or the provisioner answered 4xx to the request. */
    USAGE(2, 5),
    /** At least one target is unreachable, timed out, or (for {@code job}) has not finished; none failed or was rejected. */
    INCOMPLETE(3, 1),
    /** At least one agent refused its task (signature, addressee, expiry, root not allowed); none failed. */
    REJECTED(4, 2),
    /** The provisioner could not be reached, broke the connection or answered 5xx. */
    UNAVAILABLE(5, 4);

    private final int code;
    private final int severity;

    ExitCode(int code, int severity) {
        this.code = code;
        this.severity = severity;
    }

    public int code() {
        return code;
    }

    /** The more serious of two outcomes, as when a pipe runs several jobs. */
    public ExitCode worst(ExitCode other) {
        return other.severity > severity ? other : this;
    }

    /** The exit code for a job whose targets are in these states. */
    public static ExitCode forTargets(Collection<TargetStatus> targets) {
        ExitCode result = SUCCESS;
        for (TargetStatus target : targets) {
            result = result.worst(forState(target.state()));
        }
        return result;
    }

    static ExitCode forState(TargetState state) {
        if (state == null) {
            return INCOMPLETE;
        }
        return switch (state) {
            case SUCCEEDED -> SUCCESS;
            case FAILED -> FAILED;
            case REJECTED -> REJECTED;
            case TIMED_OUT, UNREACHABLE, PENDING, DISPATCHED, ACCEPTED, RUNNING -> INCOMPLETE;
        };
    }
}
