package net.goldentooth.storage.errors;

import java.util.List;
import java.util.Map;

/**
 * storage-service's one error model for what a caller (REST, a run's report) is told. Each error
 * has a {@link Kind}, is retryable or permanent, and carries a message safe to show the caller
 * and hints; details for the log are kept apart.
 */
public sealed interface StorageError {

    /** What went wrong, in the terms a caller can act on. */
    enum Kind {
        /** A dataset no sanoid.conf section names. */
        UNKNOWN_DATASET,
        /** A node that is not a replication target. */
        UNKNOWN_TARGET,
        /** A command could not be run on a node (unreachable, timed out, or the agent refused it). */
        NODE_COMMAND,
        /** This instance is a standby: another instance of storage-service is the planner that acts. */
        NOT_LEADER
    }

    Kind kind();

    /** Whether asking again unchanged may succeed. */
    boolean retryable();

    /** What the caller is told. */
    String safeMessage();

    /** What the caller may do instead (the known datasets, the targets, ...). */
    List<String> hints();

    /** Facts for the log. */
    Map<String, String> details();

    record UnknownDataset(String dataset, List<String> known) implements StorageError {
        public UnknownDataset {
            known = List.copyOf(known);
        }

        @Override
        public Kind kind() {
            return Kind.UNKNOWN_DATASET;
        }

        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String safeMessage() {
            return "unknown dataset '" + dataset + "'";
        }

        @Override
        public List<String> hints() {
            return known;
        }

        @Override
        public Map<String, String> details() {
            return Map.of("dataset", String.valueOf(dataset));
        }
    }

    record UnknownTarget(String node, List<String> targets) implements StorageError {
        public UnknownTarget {
            targets = List.copyOf(targets);
        }

        @Override
        public Kind kind() {
            return Kind.UNKNOWN_TARGET;
        }

        @Override
        public boolean retryable() {
            return false;
        }

        @Override
        public String safeMessage() {
            return "'" + node + "' is not a replication target";
        }

        @Override
        public List<String> hints() {
            return targets;
        }

        @Override
        public Map<String, String> details() {
            return Map.of("node", String.valueOf(node));
        }
    }

    /**
     * @param problem   what happened, for the log (may hold a cause's text)
     * @param retryable unreachable nodes and timeouts are temporary; a rejected job is permanent
     */
    record NodeCommand(String node, String problem, boolean retryable) implements StorageError {
        @Override
        public Kind kind() {
            return Kind.NODE_COMMAND;
        }

        @Override
        public String safeMessage() {
            return node + ": " + (retryable ? "the command could not be run now" : "the node's agent refused the command");
        }

        @Override
        public List<String> hints() {
            return List.of(retryable ? "retry later" : "check the node's agent");
        }

        @Override
        public Map<String, String> details() {
            return Map.of("node", String.valueOf(node), "problem", String.valueOf(problem));
        }
    }

    /** Only the elected instance plans and acts; a standby refuses runs until it takes over. */
    record NotLeader(String group) implements StorageError {
        @Override
        public Kind kind() {
            return Kind.NOT_LEADER;
        }

        @Override
        public boolean retryable() {
            return true;
        }

        @Override
        public String safeMessage() {
            return "this storage-service instance is a standby: another instance runs snapshots and replication";
        }

        @Override
        public List<String> hints() {
            return List.of("retry: the request reaches the leader, or this instance takes over within seconds of the leader's loss");
        }

        @Override
        public Map<String, String> details() {
            return Map.of("group", String.valueOf(group));
        }
    }
}
