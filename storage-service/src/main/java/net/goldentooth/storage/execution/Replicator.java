package net.goldentooth.storage.execution;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.storage.replication.ReplicationDecision;
import net.goldentooth.storage.replication.ReplicationEvent;
import net.goldentooth.storage.replication.ReplicationTransitions;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.NodeShellException;
import net.goldentooth.storage.shell.ShellResult;
import net.goldentooth.storage.zfs.ZfsCommands;
import net.goldentooth.storage.zfs.ZfsListing;
import net.goldentooth.storage.zfs.ZfsSnapshot;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

/**
 * Executes one replication run of a dataset to one target through {@link NodeShell}:
 * resume an interrupted receive when a token is there (abort it when the token cannot be used),
 * decide from both listings, send incrementally from the common base, retry once from the base
 * after a failure, and hold the new base on the source so nothing destroys it.
 */
public final class Replicator {

    private static final Logger LOG = Logger.getLogger(Replicator.class);
    private static final String HOLD_PREFIX = "goldentooth-";

    private final NodeShell shell;
    private final Transport transport;
    private final Clock clock;
    /** Per node: whether its ZFS has resumable receive ({@code receive_resume_token}); zfs-fuse has not. */
    private final Map<String, Boolean> resumable = new ConcurrentHashMap<>();

    public Replicator(NodeShell shell, Transport transport, Clock clock) {
        this.shell = shell;
        this.transport = transport;
        this.clock = clock;
    }

    /** A failed step, with the state the pair is left in. */
    private static final class StepFailed extends RuntimeException {
        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * @param targetDataset where the target receives {@code dataset} (the same name, unless source
     *                      and target pools differ)
     * @param previous      the pair's last status (for its base hold and last success), null if none
     */
    public ReplicationStatus replicate(String dataset, String source, String target, String targetDataset,
                                       ReplicationStatus previous) {
        MDC.put("dataset", dataset);
        MDC.put("target", target);
        try {
            return new Pair(dataset, source, target, targetDataset).run(previous);
        } finally {
            MDC.remove("dataset");
            MDC.remove("target");
        }
    }

    /** One dataset × target pair during one run. */
    private final class Pair {
        private final String dataset;
        private final String source;
        private final String target;
        private final String targetDataset;

        Pair(String dataset, String source, String target, String targetDataset) {
            this.dataset = dataset;
            this.source = source;
            this.target = target;
            this.targetDataset = targetDataset;
        }

        ReplicationStatus run(ReplicationStatus previous) {
            ReplicationState state = previous == null ? ReplicationState.IDLE : previous.state();
            Instant lastSuccess = previous == null ? null : previous.lastSuccessAt();
            List<ZfsSnapshot> sourceSnaps;
            List<ZfsSnapshot> targetSnaps;
            String resumeError = null;
            long bytes = 0;
            try {
                sourceSnaps = list(source, dataset, false);
                String token = resumeToken(target, targetDataset);
                if (token != null) {
                    state = ReplicationTransitions.next(state == ReplicationState.DIVERGED ? ReplicationState.BEHIND : state,
                            ReplicationEvent.RESUME_STARTED);
                    ShellResult resumed = runOn(source, ZfsCommands.replicate(new ZfsCommands.Resume(token),
                            onTarget(), targetDataset, true));
                    bytes += ZfsCommands.bytesSent(resumed.stdout());
                    if (!resumed.ok()) {
                        resumeError = "resume from token failed (" + resumed.errorLine() + "); aborted the partial receive";
                        LOG.warnf("%s, retrying from the common base", resumeError);
                        abort(target, targetDataset);
                    }
                }
                targetSnaps = list(target, targetDataset, true);
            } catch (StepFailed | NodeShellException e) {
                return status(ReplicationTransitions.next(state, ReplicationEvent.SEND_FAILED),
                        null, null, 0, 0, bytes, e.getMessage(), lastSuccess);
            }

            ReplicationDecision decision = ReplicationDecision.decide(sourceSnaps, targetSnaps);
            if (decision instanceof ReplicationDecision.NothingToSend) {
                return status(ReplicationState.IDLE, null, null, 0, 0, bytes,
                        "the source has no snapshot of " + dataset + " yet", lastSuccess);
            }
            ZfsSnapshot latest = sourceSnaps.get(sourceSnaps.size() - 1);
            if (decision instanceof ReplicationDecision.Diverged d) {
                LOG.errorf("replication of %s to %s stopped: %s", dataset, target, d.reason());
                return status(ReplicationTransitions.next(state, ReplicationEvent.FOUND_DIVERGED),
                        d.common(), latest, d.behind(), lag(d.common(), latest), bytes,
                        d.reason() + "; nothing is sent or destroyed until the target is repaired", lastSuccess);
            }
            if (decision instanceof ReplicationDecision.UpToDate u) {
                hold(u.common().name(), previous);
                return status(ReplicationTransitions.next(state, ReplicationEvent.FOUND_IN_SYNC),
                        u.common(), latest, 0, 0, bytes, null, resumeError == null ? lastSuccess : clock.instant());
            }
            ReplicationDecision.Send send = (ReplicationDecision.Send) decision;
            state = ReplicationTransitions.next(ReplicationTransitions.next(state, ReplicationEvent.FOUND_BEHIND),
                    ReplicationEvent.SEND_STARTED);
            try {
                bytes += sendWithOneRetry(send);
            } catch (StepFailed | NodeShellException e) {
                String error = (resumeError == null ? "" : resumeError + "; ") + e.getMessage();
                LOG.errorf("replication of %s to %s failed: %s", dataset, target, error);
                return status(ReplicationTransitions.next(state, ReplicationEvent.SEND_FAILED),
                        send.common(), latest, send.behind(), lag(send.common(), latest), bytes, error, lastSuccess);
            }
            hold(latest.name(), previous);
            LOG.infof("replicated %s to %s up to %s (%d bytes)", dataset, target, latest.name(), bytes);
            return status(ReplicationTransitions.next(state, ReplicationEvent.SEND_SUCCEEDED),
                    latest, latest, 0, 0, bytes, null, clock.instant());
        }

        /** Sends; when that fails, clears any partial receive and sends once more from the common base. */
        private long sendWithOneRetry(ReplicationDecision.Send send) {
            try {
                return send(send);
            } catch (StepFailed first) {
                LOG.warnf("send of %s to %s failed (%s); retrying from the common base", dataset, target, first.getMessage());
                if (resumeToken(target, targetDataset) != null) {
                    abort(target, targetDataset);
                }
                try {
                    return send(send);
                } catch (StepFailed second) {
                    throw new StepFailed(second.getMessage() + " (after one retry from the common base)");
                }
            }
        }

        private long send(ReplicationDecision.Send send) {
            boolean resume = Boolean.TRUE.equals(resumable.get(target));
            UnaryOperator<String> reachTarget = onTarget();
            long bytes = 0;
            String from;
            if (send.common() == null) {
                bytes += stream(new ZfsCommands.Full(dataset, send.first().name()), reachTarget, resume);
                from = send.first().name();
            } else {
                from = send.common().name();
            }
            if (!from.equals(send.latest().name())) {
                bytes += stream(new ZfsCommands.Incremental(dataset, from, send.latest().name()), reachTarget, resume);
            }
            return bytes;
        }

        /** Runs a command on the target from the source, through the transport. */
        private UnaryOperator<String> onTarget() {
            return command -> transport.reach(target, command);
        }

        private long stream(ZfsCommands.Stream stream, UnaryOperator<String> reachTarget, boolean resume) {
            ShellResult result = runOn(source, ZfsCommands.replicate(stream, reachTarget, targetDataset, resume));
            if (!result.ok()) {
                throw new StepFailed("zfs send | zfs receive from " + source + " to " + target + " failed: "
                        + result.stderr().strip().replace('\n', ' '));
            }
            return ZfsCommands.bytesSent(result.stdout());
        }

        /** Holds the new base on the source and releases the previous one: a held snapshot cannot be destroyed. */
        private void hold(String base, ReplicationStatus previous) {
            String tag = HOLD_PREFIX + target;
            String old = previous == null ? null : previous.lastCommon();
            if (base.equals(old) && previous.state() == ReplicationState.IN_SYNC) {
                return;
            }
            ShellResult held = runOn(source, ZfsCommands.hold(tag, dataset, base));
            if (!held.ok() && !held.stderr().contains("tag already exists")) {
                LOG.warnf("could not hold %s@%s for %s: %s", dataset, base, target, held.errorLine());
            }
            if (old != null && !old.equals(base)) {
                runOn(source, ZfsCommands.release(tag, dataset, old));
            }
        }

        private ReplicationStatus status(ReplicationState state, ZfsSnapshot common, ZfsSnapshot latest,
                                         int behind, long lag, long bytes, String error, Instant lastSuccess) {
            return new ReplicationStatus(dataset, source, target, state, common == null ? null : common.name(),
                    latest == null ? null : latest.name(), behind, lag, bytes, error, clock.instant(), lastSuccess);
        }
    }

    private List<ZfsSnapshot> list(String node, String dataset, boolean mayBeMissing) {
        ShellResult result = runOn(node, ZfsCommands.listSnapshots(dataset));
        if (!result.ok()) {
            if (mayBeMissing && ZfsListing.isMissingDataset(result.stderr())) {
                return List.of();
            }
            throw new StepFailed("listing " + dataset + " on " + node + " failed: " + result.errorLine());
        }
        return ZfsListing.parse(dataset, result.stdout());
    }

    /** The target's resume token, or null when there is none or its ZFS cannot resume. */
    private String resumeToken(String target, String dataset) {
        if (Boolean.FALSE.equals(resumable.get(target))) {
            return null;
        }
        ShellResult result = runOn(target, ZfsCommands.resumeToken(dataset));
        if (!result.ok()) {
            if (result.stderr().contains("invalid property")) {
                LOG.infof("%s has no resumable receive; interrupted sends restart from the common base", target);
                resumable.put(target, false);
            }
            return null;
        }
        resumable.put(target, true);
        String token = result.stdout().strip();
        return token.isEmpty() || token.equals("-") ? null : token;
    }

    private void abort(String target, String dataset) {
        ShellResult result = runOn(target, ZfsCommands.abortPartialReceive(dataset));
        if (!result.ok()) {
            throw new StepFailed("aborting the partial receive of " + dataset + " on " + target + " failed: "
                    + result.errorLine());
        }
    }

    private ShellResult runOn(String node, String command) {
        return shell.run(node, command, null);
    }

    private static long lag(ZfsSnapshot common, ZfsSnapshot latest) {
        if (common == null || latest == null) {
            return 0;
        }
        return Math.max(0, Duration.between(common.created(), latest.created()).toSeconds());
    }
}
