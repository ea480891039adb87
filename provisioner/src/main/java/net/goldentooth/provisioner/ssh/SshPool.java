package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import net.schmizz.sshj.SSHClient;

/**
 * Bounded reuse of SSH connections: at most {@code maxInUse} connections work at once (callers
 * beyond that wait), and at most one idle connection per host is kept for the next job, closed once
 * it has been idle for {@code idleTimeout}. A connection whose work failed is closed, never reused.
 */
public final class SshPool implements AutoCloseable {

    /** What runs on a borrowed connection. */
    @FunctionalInterface
    public interface Work<T> {
        T run(SSHClient client) throws IOException, InterruptedException;
    }

    private record Idle(SSHClient client, Instant since) {
    }

    private final SshConnector connector;
    private final Semaphore inUse;
    private final Duration idleTimeout;
    private final Clock clock;
    private final Map<String, Idle> idle = new HashMap<>();
    private volatile boolean closed;

    public SshPool(SshConnector connector, int maxInUse, Duration idleTimeout, Clock clock) {
        if (maxInUse < 1) {
            throw new IllegalArgumentException("ssh.max-connections must be at least 1, was " + maxInUse);
        }
        this.connector = connector;
        this.inUse = new Semaphore(maxInUse, true);
        this.idleTimeout = idleTimeout;
        this.clock = clock;
    }

    /** Runs {@code work} on a connection to {@code target}, opened or reused. */
    public <T> T with(SshTarget target, Work<T> work) throws SshFailure, IOException, InterruptedException {
        inUse.acquire();
        try {
            SSHClient client = borrow(target);
            boolean healthy = false;
            try {
                T result = work.run(client);
                healthy = true;
                return result;
            } finally {
                if (healthy && !closed && client.isConnected() && client.isAuthenticated()) {
                    giveBack(target, client);
                } else {
                    SshConnector.closeQuietly(client);
                }
            }
        } finally {
            inUse.release();
        }
    }

    private SSHClient borrow(SshTarget target) throws SshFailure {
        Idle kept;
        synchronized (idle) {
            kept = idle.remove(target.poolKey());
        }
        if (kept != null) {
            boolean fresh = clock.instant().isBefore(kept.since().plus(idleTimeout));
            if (fresh && kept.client().isConnected() && kept.client().isAuthenticated()) {
                return kept.client();
            }
            SshConnector.closeQuietly(kept.client());
        }
        return connector.connect(target);
    }

    private void giveBack(SshTarget target, SSHClient client) {
        Idle displaced;
        synchronized (idle) {
            displaced = idle.put(target.poolKey(), new Idle(client, clock.instant()));
        }
        if (displaced != null) {
            SshConnector.closeQuietly(displaced.client());
        }
    }

    /** Closes idle connections older than the idle timeout; called periodically. */
    public void evictIdle() {
        Instant now = clock.instant();
        synchronized (idle) {
            idle.values().removeIf(i -> {
                if (!now.isBefore(i.since().plus(idleTimeout))) {
                    SshConnector.closeQuietly(i.client());
                    return true;
                }
                return false;
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (idle) {
            idle.values().forEach(i -> SshConnector.closeQuietly(i.client()));
            idle.clear();
        }
    }
}
