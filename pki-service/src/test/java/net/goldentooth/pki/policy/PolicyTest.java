package net.goldentooth.pki.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.goldentooth.events.cert.ExpiryTier;
import net.goldentooth.events.cert.ExpiryTiers;
import net.goldentooth.events.cert.LifetimeKind;
import net.goldentooth.events.cert.RefusalReason;
import org.junit.jupiter.api.Test;

class PolicyTest {

    private static final NodeIdentity VAULT_NODE = new NodeIdentity("bettley", "10.4.0.11",
            List.of("vault.service.consul"));
    private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");

    @Test
    void nodeMayHaveItsBaseNamesAndWhatTheInventoryGrants() {
        assertEquals(List.of("bettley", "bettley.nodes.goldentooth.net", "bettley.goldentooth.net", "10.4.0.11",
                "vault.service.consul"), List.copyOf(NamePolicy.allowed(VAULT_NODE)));
        assertEquals(List.of("vault.service.consul", "10.4.0.11"),
                NamePolicy.check(VAULT_NODE, List.of("Vault.Service.Consul.", "10.4.0.11", "vault.service.consul")));
        assertEquals(VAULT_NODE.baseNames(), NamePolicy.check(VAULT_NODE, List.of()));
    }

    @Test
    void anyNameOutsideThePolicyRefusesTheWholeRequestNamingIt() {
        RefusedException e = assertThrows(RefusedException.class,
                () -> NamePolicy.check(VAULT_NODE, List.of("bettley", "fenn.goldentooth.net", "10.4.0.12")));
        assertEquals(RefusalReason.NAME_NOT_ALLOWED, e.reason());
        assertTrue(e.getMessage().contains("fenn.goldentooth.net, 10.4.0.12"), e.getMessage());
        NodeIdentity plain = new NodeIdentity("fenn", "10.4.0.15", List.of());
        assertEquals(RefusalReason.NAME_NOT_ALLOWED,
                assertThrows(RefusedException.class, () -> NamePolicy.check(plain, List.of("vault.service.consul"))).reason());
        assertEquals(RefusalReason.BAD_REQUEST,
                assertThrows(RefusedException.class, () -> NamePolicy.check(plain, List.of("*.goldentooth.net"))).reason());
    }

    @Test
    void lifetimeDefaultsMaximumAndBackdate() {
        LifetimePolicy policy = new LifetimePolicy(Duration.ofHours(24), Duration.ofHours(168));
        LifetimePolicy.Window window = policy.window(null, NOW);
        assertEquals(NOW.minus(Duration.ofMinutes(1)), window.notBefore());
        assertEquals(NOW.plus(Duration.ofHours(24)), window.notAfter());
        assertEquals(NOW.plus(Duration.ofHours(168)), policy.window(168L * 3600, NOW).notAfter());
        assertEquals(RefusalReason.LIFETIME_TOO_LONG,
                assertThrows(RefusedException.class, () -> policy.window(168L * 3600 + 1, NOW)).reason());
        assertEquals(RefusalReason.BAD_REQUEST, assertThrows(RefusedException.class, () -> policy.window(0L, NOW)).reason());
    }

    @Test
    void clockSkewLooksOnlyAtTheReportedOffset() {
        ClockSkewPolicy policy = new ClockSkewPolicy(5.0);
        policy.check("bettley", null);
        policy.check("bettley", -4.9);
        RefusedException e = assertThrows(RefusedException.class, () -> policy.check("bettley", -691200.0));
        assertEquals(RefusalReason.CLOCK_SKEW, e.reason());
        assertTrue(e.getMessage().contains("-691200.0"), e.getMessage());
    }

    @Test
    void renewalGraceOnlyForTheNewestAndOnlyWithinGrace() {
        RenewalPolicy policy = new RenewalPolicy(Duration.ofDays(7));
        Instant notAfter = NOW;
        policy.check("bettley/consul", false, "aa", notAfter, "bb", NOW.minusSeconds(1));
        policy.check("bettley/consul", false, "aa", notAfter, "aa", NOW.plus(Duration.ofDays(5)));
        assertEquals(RefusalReason.NOT_NEWEST, assertThrows(RefusedException.class,
                () -> policy.check("bettley/consul", false, "aa", notAfter, "bb", NOW.plus(Duration.ofDays(1)))).reason());
        RefusedException beyond = assertThrows(RefusedException.class,
                () -> policy.check("bettley/consul", false, "aa", notAfter, "aa", NOW.plus(Duration.ofDays(10))));
        assertEquals(RefusalReason.EXPIRED_BEYOND_GRACE, beyond.reason());
        assertTrue(beyond.getMessage().contains("10d 0h ago"), beyond.getMessage());
        assertEquals(RefusalReason.REVOKED, assertThrows(RefusedException.class,
                () -> policy.check("bettley/consul", true, "aa", notAfter, "aa", NOW.minusSeconds(60))).reason());
    }

    @Test
    void longLivedTiersAreThirtySevenAndTwoDaysHighestOnly() {
        Instant notBefore = NOW.minus(Duration.ofDays(335));
        Instant notAfter = NOW.plus(Duration.ofDays(30));
        assertEquals(LifetimeKind.LONG, ExpiryTiers.kind(notBefore, notAfter));
        assertEquals(Optional.empty(), ExpiryTiers.tier(notBefore, notAfter, NOW.minusSeconds(1)));
        assertEquals(Optional.of(ExpiryTier.WARNING), ExpiryTiers.tier(notBefore, notAfter, NOW.plusSeconds(1)));
        assertEquals(Optional.of(ExpiryTier.CRITICAL), ExpiryTiers.tier(notBefore, notAfter, NOW.plus(Duration.ofDays(24))));
        assertEquals(Optional.of(ExpiryTier.EMERGENCY), ExpiryTiers.tier(notBefore, notAfter, NOW.plus(Duration.ofDays(29))));
        assertEquals(Optional.of(ExpiryTier.EMERGENCY), ExpiryTiers.tier(notBefore, notAfter, NOW.plus(Duration.ofDays(40))));
    }

    @Test
    void shortLivedTiersAreAThirdAndTenPercent() {
        Instant notAfter = NOW.plus(Duration.ofHours(24));
        assertEquals(LifetimeKind.SHORT, ExpiryTiers.kind(NOW, notAfter));
        assertEquals(Optional.empty(), ExpiryTiers.tier(NOW, notAfter, NOW.plus(Duration.ofHours(15))));
        assertEquals(Optional.of(ExpiryTier.WARNING), ExpiryTiers.tier(NOW, notAfter, NOW.plus(Duration.ofHours(17))));
        assertEquals(Optional.of(ExpiryTier.CRITICAL), ExpiryTiers.tier(NOW, notAfter, NOW.plus(Duration.ofHours(22))));
        assertEquals(Optional.of(ExpiryTier.CRITICAL), ExpiryTiers.tier(NOW, notAfter, NOW.plus(Duration.ofHours(30))));
        // Exactly seven days is still short-lived.
        assertEquals(LifetimeKind.SHORT, ExpiryTiers.kind(NOW, NOW.plus(Duration.ofDays(7))));
    }

    @Test
    void sshPrincipalsFollowTheDesign() {
        assertEquals(List.of("bettley", "bettley.nodes.goldentooth.net", "bettley.goldentooth.net", "10.4.0.11"),
                SshPrincipals.host(VAULT_NODE));
        assertEquals(List.of("root", "bettley-root"), SshPrincipals.rootUser(VAULT_NODE));
    }
}
