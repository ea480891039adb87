package net.goldentooth.agent.certs.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.goldentooth.agent.config.TaskKeyring;
import net.goldentooth.agent.config.TrustedKeys;
import net.goldentooth.agent.tasks.admission.Admission;
import net.goldentooth.agent.tasks.admission.Decision;
import net.goldentooth.agent.tasks.admission.RejectionReason;
import net.goldentooth.events.cert.EnrolmentToken;
import net.goldentooth.events.job.SignedTask;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.events.signing.SigningKeys;
import net.goldentooth.events.signing.TaskSigner;
import net.goldentooth.testkit.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new node has only its enrolment token: the provisioner's task key arrives on pki.trust, and is
 * trusted only when that token vouches for it (anyone who can write to Kafka can publish a bundle).
 */
class TaskKeyTrustTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path stateDir;

    private final SigningKeys.KeyPair provisioner = SigningKeys.generate();
    private final SigningKeys.KeyPair attacker = SigningKeys.generate();
    private final List<String> tokens = new ArrayList<>();
    private final TaskKeyring keyring = new TaskKeyring(List.of());
    private final MutableClock clock = new MutableClock(NOW);

    private TaskKeyTrust trust() {
        return new TaskKeyTrust(stateDir, () -> tokens, Set.of("bettley")::contains, keyring);
    }

    private String token(SigningKeys.KeyPair key, String node) {
        return new EnrolmentToken("t-" + tokens.size(), node, NOW, NOW.plusSeconds(3600), key.keyId())
                .mint(key.privateKey());
    }

    private Decision admit(SigningKeys.KeyPair signedBy) {
        Task task = new Task("job-1", "task-1", "bettley", new TaskSpec("uptime", null, false, 10_000, 65536),
                NOW.minusSeconds(5), NOW.plusSeconds(300));
        SignedTask signed = new TaskSigner(signedBy).sign(task);
        return new Admission(keyring, Set.of("bettley")::contains, id -> false, false, clock).decide("bettley", signed);
    }

    @Test
    void theProvisionersKeyVouchedForByTheTokenIsTrustedAndKept() throws Exception {
        tokens.add(token(provisioner, "bettley"));
        assertEquals(RejectionReason.UNKNOWN_KEY, assertInstanceOf(Decision.Rejected.class, admit(provisioner)).reason());

        assertTrue(trust().offer(SigningKeys.publicKeyPem(provisioner.publicKey())));

        assertInstanceOf(Decision.Accepted.class, admit(provisioner));
        Path kept = TaskKeyTrust.file(stateDir);
        assertEquals(List.of(provisioner.keyId()), TrustedKeys.load(List.of(), kept, stateDir.resolve("no-token"))
                .stream().map(SigningKeys::keyId).toList(), "a restarted agent trusts it without the token");
        assertFalse(trust().offer(SigningKeys.publicKeyPem(provisioner.publicKey())), "adopted once");
    }

    @Test
    void aKeyNoTokenHereWasSignedWithIsNotTrusted() throws Exception {
        tokens.add(token(provisioner, "bettley"));
        assertFalse(trust().offer(SigningKeys.publicKeyPem(attacker.publicKey())));
        assertEquals(RejectionReason.UNKNOWN_KEY, assertInstanceOf(Decision.Rejected.class, admit(attacker)).reason());
        assertFalse(Files.exists(TaskKeyTrust.file(stateDir)));
    }

    @Test
    void aTokenForANodeNotHostedHereVouchesForNothing() throws Exception {
        tokens.add(token(attacker, "fenn"));
        assertFalse(trust().offer(SigningKeys.publicKeyPem(attacker.publicKey())));
        assertEquals(0, keyring.size());
    }

    @Test
    void aBundleWithoutATaskKeyChangesNothing() throws Exception {
        assertFalse(trust().offer(null));
        assertEquals(0, keyring.size());
    }
}
