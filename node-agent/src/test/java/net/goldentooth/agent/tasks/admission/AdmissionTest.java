package net.goldentooth.agent.tasks.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.events.signing.TaskVerifier;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;

/** Anyone who can write to Kafka must still not be able to run a command (DESIGN.md, security model). */
class AdmissionTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private final SigningKeys.KeyPair provisionerKey = SigningKeys.generate();
    private final SigningKeys.KeyPair otherKey = SigningKeys.generate();
    private final TaskSigner signer = new TaskSigner(provisionerKey);
    private final MutableClock clock = new MutableClock(NOW);
    private final Set<String> ledger = new HashSet<>();
    private final Set<String> hosted = Set.of("bettley", "sim-00001");

    private Admission admission(boolean allowRoot) {
        return new Admission(new TaskVerifier(List.of(provisionerKey.publicKey())), Set.of(provisionerKey.keyId()),
                hosted::contains, ledger::contains, allowRoot, clock);
    }

    private static Task task(String node, boolean root, Instant notBefore, Instant expiresAt) {
        return new Task("job-1", "task-1", node, new TaskSpec("uptime", null, root, 10_000, 65536), notBefore,
                expiresAt);
    }

    private static Task valid() {
        return task("bettley", false, NOW.minusSeconds(5), NOW.plusSeconds(300));
    }

    @Test
    void aValidTaskIsAccepted() {
        Decision decision = admission(false).decide("bettley", signer.sign(valid()));
        assertEquals(valid(), assertInstanceOf(Decision.Accepted.class, decision).task());
    }

    @Test
    void aTaskForASimulatedNodeIsAccepted() {
        Task task = task("sim-00001", false, NOW, NOW.plusSeconds(60));
        assertInstanceOf(Decision.Accepted.class, admission(false).decide("sim-00001", signer.sign(task)));
    }

    @Test
    void everyRefusalHasItsOwnReason() {
        SignedTask good = signer.sign(valid());
        Set<RejectionReason> seen = EnumSet.noneOf(RejectionReason.class);

        seen.add(rejected("bettley", new SignedTask(good.payload(), null, null), RejectionReason.UNSIGNED, false));
        seen.add(rejected("bettley", new TaskSigner(otherKey).sign(valid()), RejectionReason.UNKNOWN_KEY, false));
        // Forged: signed by another key but claiming the trusted key's id.
        SignedTask forgedWithOtherKey = new TaskSigner(otherKey).sign(valid());
        seen.add(rejected("bettley", new SignedTask(forgedWithOtherKey.payload(), provisionerKey.keyId(),
                forgedWithOtherKey.signature()), RejectionReason.BAD_SIGNATURE, false));
        // Altered after signing: the command was swapped.
        seen.add(rejected("bettley", new SignedTask(good.payload().replace("uptime", "rm -rf /"), good.keyId(),
                good.signature()), RejectionReason.BAD_SIGNATURE, false));
        seen.add(rejected("cargyll", good, RejectionReason.MISADDRESSED, false));
        seen.add(rejected("cargyll", signer.sign(task("cargyll", false, NOW, NOW.plusSeconds(60))),
                RejectionReason.MISADDRESSED, false));
        seen.add(rejected("bettley", signer.sign(task("bettley", false, NOW.plusSeconds(31), NOW.plusSeconds(300))),
                RejectionReason.NOT_YET_VALID, false));
        seen.add(rejected("bettley", signer.sign(task("bettley", false, NOW.minusSeconds(300), NOW)),
                RejectionReason.EXPIRED, false));
        seen.add(rejected("bettley", signer.sign(task("bettley", true, NOW, NOW.plusSeconds(60))),
                RejectionReason.ROOT_NOT_ALLOWED, false));
        ledger.add("task-1");
        seen.add(rejected("bettley", good, RejectionReason.REPLAYED, false));
        seen.add(rejected("bettley", signer.sign(new Task(null, "task-2", "bettley", valid().spec(), NOW,
                NOW.plusSeconds(60))), RejectionReason.MALFORMED, false));
        assertEquals(EnumSet.allOf(RejectionReason.class), seen);
    }

    @Test
    void clockSkewOfUpToThirtySecondsIsTolerated() {
        Task early = task("bettley", false, NOW.plusSeconds(30), NOW.plusSeconds(300));
        assertInstanceOf(Decision.Accepted.class, admission(false).decide("bettley", signer.sign(early)));
        clock.advance(Duration.ofSeconds(300));
        Decision expired = admission(false).decide("bettley", signer.sign(early));
        assertEquals(RejectionReason.EXPIRED, assertInstanceOf(Decision.Rejected.class, expired).reason());
    }

    @Test
    void rootTasksRunWhenAllowed() {
        Task root = task("bettley", true, NOW, NOW.plusSeconds(60));
        assertInstanceOf(Decision.Accepted.class, admission(true).decide("bettley", signer.sign(root)));
    }

    @Test
    void aRejectionIsAddressedWithWhatThePayloadClaims() {
        Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class,
                admission(false).decide("bettley", new TaskSigner(otherKey).sign(valid())));
        assertEquals("job-1", rejected.jobId());
        assertEquals("task-1", rejected.taskId());
        assertEquals("bettley", rejected.node());
        assertTrue(rejected.message().startsWith("unknown-key: "), rejected.message());

        Decision.Rejected garbage = assertInstanceOf(Decision.Rejected.class,
                admission(false).decide("bettley", new SignedTask("{not json", null, null)));
        assertEquals(null, garbage.jobId());
        assertEquals("bettley", garbage.node(), "falls back to the record key");
    }

    private RejectionReason rejected(String key, SignedTask signed, RejectionReason expected, boolean allowRoot) {
        Decision decision = admission(allowRoot).decide(key, signed);
        Decision.Rejected rejected = assertInstanceOf(Decision.Rejected.class, decision);
        assertEquals(expected, rejected.reason(), rejected.message());
        assertTrue(rejected.message().startsWith(expected.tag() + ": "), rejected.message());
        return rejected.reason();
    }

    /**
     * The seed's node 8 days behind (~L8420): checked on its own clock every fresh task was
     * not-yet-valid. Checked on bus time (its clock corrected by the measured offset) a fresh task
     * runs, an expired one does not, and a task already run is still refused.
     */
    @Test
    void aNodeEightDaysBehindAdmitsFreshTasksOnBusTimeAndStillRefusesReplays() {
        clock.set(NOW.minus(Duration.ofDays(8)));
        Admission onLocalClock = admission(false);
        assertEquals(RejectionReason.NOT_YET_VALID, assertInstanceOf(Decision.Rejected.class,
                onLocalClock.decide("bettley", signer.sign(valid()))).reason());

        net.goldentooth.agent.clock.BusClock bus = new net.goldentooth.agent.clock.BusClock(clock);
        bus.offset(new net.goldentooth.agent.clock.OffsetEstimator.Offset(Duration.ofDays(-8), Duration.ofMillis(4)));
        Admission onBusTime = new Admission(new TaskVerifier(List.of(provisionerKey.publicKey())),
                Set.of(provisionerKey.keyId()), hosted::contains, ledger::contains, false, bus);
        assertInstanceOf(Decision.Accepted.class, onBusTime.decide("bettley", signer.sign(valid())));

        ledger.add(valid().taskId());
        assertEquals(RejectionReason.REPLAYED, assertInstanceOf(Decision.Rejected.class,
                onBusTime.decide("bettley", signer.sign(valid()))).reason());
        Task old = new Task("job-0", "task-0", "bettley", new TaskSpec("uptime", null, false, 10_000, 65536),
                NOW.minus(Duration.ofDays(9)), NOW.minus(Duration.ofDays(9)).plusSeconds(300));
        assertEquals(RejectionReason.EXPIRED, assertInstanceOf(Decision.Rejected.class,
                onBusTime.decide("bettley", signer.sign(old))).reason(),
                "a task signed 9 days ago is expired in bus time, though 'fresh' on the node's clock");
    }
}
