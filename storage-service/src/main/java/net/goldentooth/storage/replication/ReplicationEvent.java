package net.goldentooth.storage.replication;

/** What happened to a pair during a run; {@link ReplicationTransitions#next} turns it into a state. */
public enum ReplicationEvent {
    /** The target holds the source's newest snapshot. */
    FOUND_IN_SYNC,
    /** Snapshots wait to be sent. */
    FOUND_BEHIND,
    /** The target diverged from the source. */
    FOUND_DIVERGED,
    /** A send stream started. */
    SEND_STARTED,
    /** An interrupted receive is being resumed from its token. */
    RESUME_STARTED,
    /** The target now holds the source's newest snapshot. */
    SEND_SUCCEEDED,
    /** Send or receive failed and the retry from the common base failed too, or a node was unreachable. */
    SEND_FAILED
}
