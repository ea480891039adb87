package net.goldentooth.provisioner.jobs;

import net.goldentooth.events.job.TargetState;

/** What the engine tells the outside about, for counters. Called under the engine's lock: keep it cheap. */
public interface EngineListener {

    default void jobCreated() {
    }

    /** A target reached a terminal state (again, when a late result replaced a deadline's verdict). */
    default void targetFinished(TargetState state) {
    }

    /** Progress for a task or job this provisioner does not know. */
    default void progressIgnored() {
    }

    /** Progress whose seq was already folded. */
    default void progressDuplicate() {
    }
}
