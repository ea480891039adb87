package net.goldentooth.storage.replication;

import net.goldentooth.events.storage.ReplicationState;

/**
 * The one transition function of a replication pair. Every run starts from the state the last
 * run left and re-examines the pools, so {@code failed} and {@code diverged} are left as soon as
 * the pools say so: a repaired target resumes without an operator command.
 */
public final class ReplicationTransitions {

    private ReplicationTransitions() {
    }

    public static ReplicationState next(ReplicationState current, ReplicationEvent event) {
        return switch (event) {
            case FOUND_IN_SYNC -> ReplicationState.IN_SYNC;
            case FOUND_BEHIND -> ReplicationState.BEHIND;
            case FOUND_DIVERGED -> ReplicationState.DIVERGED;
            case SEND_STARTED -> requireSendable(current, ReplicationState.SENDING);
            case RESUME_STARTED -> requireSendable(current, ReplicationState.RESUMING);
            case SEND_SUCCEEDED -> {
                if (current != ReplicationState.SENDING && current != ReplicationState.RESUMING) {
                    throw new IllegalStateException("a send succeeded in state " + current.wire());
                }
                yield ReplicationState.IN_SYNC;
            }
            case SEND_FAILED -> ReplicationState.FAILED;
        };
    }

    /** Nothing is ever sent to a diverged target. */
    private static ReplicationState requireSendable(ReplicationState current, ReplicationState next) {
        if (current == ReplicationState.DIVERGED) {
            throw new IllegalStateException("refusing to send to a diverged target");
        }
        return next;
    }
}
