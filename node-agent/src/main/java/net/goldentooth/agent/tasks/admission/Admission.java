package net.goldentooth.agent.tasks.admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import net.goldentooth.agent.config.TaskKeyring;
import net.goldentooth.events.EventCodec;
import net.goldentooth.events.PoisonMessageException;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.signing.TaskVerifier;

/**
 * Decides whether a task from {@code job.tasks} may run, in the order of DESIGN.md's security
 * model: a trusted signature, addressed to a node hosted here under the record's own key, inside
 * its time window, allowed by the root policy, and never seen before. Anyone who can write to
 * Kafka can put a record on the topic; only a task that passes every check runs. Pure: the clock
 * and the ledger lookup are given.
 */
public final class Admission {

    /** Tolerated clock difference between the provisioner and this node (the seed's clocks drifted days). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private final TaskKeyring keys;
    private final Predicate<String> hosted;
    private final Predicate<String> alreadySeen;
    private final boolean allowRoot;
    private final Clock clock;

    /**
     * @param trustedKeyIds the key ids of the verifier's keys, to tell an unknown key from a forgery
     * @param hosted        whether a node name is hosted by this agent
     * @param alreadySeen   whether a task id is in the ledger
     */
    public Admission(TaskVerifier verifier, Set<String> trustedKeyIds, Predicate<String> hosted,
                     Predicate<String> alreadySeen, boolean allowRoot, Clock clock) {
        this(TaskKeyring.of(verifier, trustedKeyIds), hosted, alreadySeen, allowRoot, clock);
    }

    /** @param keys the trusted task-signing keys, which may grow while the agent runs */
    public Admission(TaskKeyring keys, Predicate<String> hosted, Predicate<String> alreadySeen, boolean allowRoot,
                     Clock clock) {
        this.keys = keys;
        this.hosted = hosted;
        this.alreadySeen = alreadySeen;
        this.allowRoot = allowRoot;
        this.clock = clock;
    }

    public Decision decide(String recordKey, SignedTask signed) {
        Task claimed = unverifiedClaim(signed);
        if (signed.payload() == null || signed.keyId() == null || signed.signature() == null) {
            return reject(RejectionReason.UNSIGNED, "payload, keyId and signature are all required", claimed, recordKey);
        }
        Optional<TaskVerifier> verifier = keys.verifierOf(signed.keyId());
        if (verifier.isEmpty()) {
            return reject(RejectionReason.UNKNOWN_KEY, "signed by key " + signed.keyId() + ", which is not trusted",
                    claimed, recordKey);
        }
        Task task;
        try {
            task = verifier.get().verify(signed);
        } catch (TaskVerifier.InvalidTaskException e) {
            return reject(RejectionReason.of(e.problem()), e.getMessage(), claimed, recordKey);
        }
        String missing = missingField(task);
        if (missing != null) {
            return reject(RejectionReason.MALFORMED, "signed task has no " + missing, task, recordKey);
        }
        if (!task.node().equals(recordKey) || !hosted.test(task.node())) {
            return reject(RejectionReason.MISADDRESSED, "task is for node '" + task.node() + "' under record key '"
                    + recordKey + "', not a node hosted here", task, recordKey);
        }
        Instant now = clock.instant();
        if (now.isBefore(task.notBefore().minus(CLOCK_SKEW))) {
            return reject(RejectionReason.NOT_YET_VALID, "valid from " + task.notBefore() + ", now is " + now,
                    task, recordKey);
        }
        if (!now.isBefore(task.expiresAt())) {
            return reject(RejectionReason.EXPIRED, "expired at " + task.expiresAt() + ", now is " + now, task,
                    recordKey);
        }
        if (task.spec().root() && !allowRoot) {
            return reject(RejectionReason.ROOT_NOT_ALLOWED,
                    "command_root is disabled on this agent (goldentooth.agent.allow-root=false)", task, recordKey);
        }
        if (alreadySeen.test(task.taskId())) {
            return reject(RejectionReason.REPLAYED, "task " + task.taskId() + " was already run by this agent", task,
                    recordKey);
        }
        return new Decision.Accepted(task);
    }

    private static String missingField(Task task) {
        if (task.jobId() == null) {
            return "jobId";
        }
        if (task.taskId() == null) {
            return "taskId";
        }
        if (task.node() == null) {
            return "node";
        }
        if (task.spec() == null || task.spec().command() == null) {
            return "spec.command";
        }
        if (task.notBefore() == null || task.expiresAt() == null) {
            return "notBefore/expiresAt";
        }
        return null;
    }

    /** What the payload says about itself, read only to address the rejection report. */
    private static Task unverifiedClaim(SignedTask signed) {
        if (signed.payload() == null) {
            return null;
        }
        try {
            return EventCodec.taskOf(signed);
        } catch (PoisonMessageException e) {
            return null;
        }
    }

    private static Decision.Rejected reject(RejectionReason reason, String detail, Task claimed, String recordKey) {
        return new Decision.Rejected(reason, detail,
                claimed == null ? null : claimed.jobId(),
                claimed == null ? null : claimed.taskId(),
                claimed == null || claimed.node() == null ? recordKey : claimed.node());
    }
}
