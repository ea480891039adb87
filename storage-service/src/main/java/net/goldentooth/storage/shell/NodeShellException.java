package net.goldentooth.storage.shell;

import net.goldentooth.storage.errors.StorageError;
import net.goldentooth.storage.errors.StorageException;

/**
 * A command could not be run on a node at all. Unreachable nodes and timeouts are temporary and
 * retried on the next run; a rejected job (e.g. the agent refuses root) is permanent.
 */
public final class NodeShellException extends StorageException {

    private final String node;
    private final String problem;
    private final boolean retryable;

    public NodeShellException(String node, String message, boolean retryable) {
        super(node + ": " + message);
        this.problem = message;
        this.node = node;
        this.retryable = retryable;
    }

    public String node() {
        return node;
    }

    public boolean retryable() {
        return retryable;
    }

    @Override
    public StorageError.NodeCommand error() {
        return new StorageError.NodeCommand(node, problem, retryable);
    }
}
