package net.goldentooth.agent.tasks.admission;

import net.goldentooth.events.job.Task;

/** What {@link Admission} decided about one record of {@code job.tasks}. */
public sealed interface Decision {

    /** Run it. */
    record Accepted(Task task) implements Decision {
    }

    /**
     * Never run it; report it. {@code jobId}, {@code taskId} and {@code node} are what the
     * payload claims, possibly null: they address the report, they are not trusted for anything.
     */
    record Rejected(RejectionReason reason, String detail, String jobId, String taskId, String node)
            implements Decision {

        /** The text published on {@code job.progress}: the reason class, then the detail. */
        public String message() {
            return reason.tag() + ": " + detail;
        }
    }
}
