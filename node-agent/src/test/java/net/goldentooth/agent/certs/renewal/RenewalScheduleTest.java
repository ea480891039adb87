package net.goldentooth.agent.certs.renewal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import net.goldentooth.agent.certs.renewal.RenewalSchedule.Action;
import net.goldentooth.agent.certs.renewal.RenewalSchedule.LineageView;
import org.junit.jupiter.api.Test;

class RenewalScheduleTest {

    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    private static final Duration DAY = Duration.ofHours(24);

    private final RenewalSchedule schedule = new RenewalSchedule(42, Duration.ofSeconds(5), Duration.ofMinutes(10),
            Duration.ofSeconds(60));

    @Test
    void renewsAtTwoThirdsPlusAtMostATwentiethOfTheLifetime() {
        Instant earliest = T0.plus(DAY.multipliedBy(2).dividedBy(3));
        Instant latest = earliest.plus(DAY.dividedBy(20));
        Set<Instant> distinct = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Instant at = schedule.renewAt("node-" + i + "/consul", T0, T0.plus(DAY));
            assertFalse(at.isBefore(earliest), "before 2/3: " + at);
            assertTrue(at.isBefore(latest), "past 2/3 + 1/20: " + at);
            distinct.add(at);
        }
        assertTrue(distinct.size() > 900, "jitter spreads a fleet issued together, got " + distinct.size());
    }

    @Test
    void theCanaryRenewsAboutEveryTenMinutes() {
        Instant at = schedule.renewAt("bettley/canary", T0, T0.plus(Duration.ofMinutes(15)));

        Duration after = Duration.between(T0, at);
        assertTrue(after.compareTo(Duration.ofMinutes(10)) >= 0 && after.compareTo(Duration.ofSeconds(645)) < 0,
                after.toString());
    }

    @Test
    void jitterIsStableForASeedAndDiffersBetweenSeeds() {
        RenewalSchedule same = new RenewalSchedule(42, Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(60));
        RenewalSchedule other = new RenewalSchedule(43, Duration.ofSeconds(5), Duration.ofMinutes(10),
                Duration.ofSeconds(60));

        assertEquals(schedule.renewAt("bettley/consul", T0, T0.plus(DAY)),
                same.renewAt("bettley/consul", T0, T0.plus(DAY)));
        assertNotEquals(schedule.renewAt("bettley/consul", T0, T0.plus(DAY)),
                other.renewAt("bettley/consul", T0, T0.plus(DAY)));
    }

    @Test
    void backoffDoublesWithinEqualJitterAndIsCapped() {
        for (int failures = 1; failures <= 30; failures++) {
            long step = Math.min(600_000L, 5_000L << Math.min(failures - 1, 20));
            long waited = schedule.backoff("bettley/canary", failures).toMillis();
            assertTrue(waited >= step / 2 && waited <= step, failures + " failures: " + waited + " ms of " + step);
            assertTrue(waited <= Duration.ofMinutes(10).toMillis());
        }
        assertTrue(schedule.backoff("bettley/canary", 1000).toMillis() >= 300_000, "a long outage waits near the cap");
    }

    @Test
    void noCertificateMeansEnrol() {
        assertEquals(Action.ENROL, schedule.next("a/b", view(null, null, false, null, 0, null), T0).action());
    }

    @Test
    void aValidCertificateWaitsUntilItsRenewalTime() {
        LineageView view = view(T0, T0.plus(DAY), true, null, 0, null);
        Instant renewAt = schedule.renewAt("a/b", T0, T0.plus(DAY));

        RenewalSchedule.Step before = schedule.next("a/b", view, T0.plus(Duration.ofHours(1)));
        assertEquals(Action.WAIT, before.action());
        assertEquals(renewAt, before.at());
        assertEquals(Action.RENEW, schedule.next("a/b", view, renewAt).action());
    }

    @Test
    void anExpiredCertificateIsStillRenewedForPkisGracePath() {
        LineageView view = view(T0, T0.plus(DAY), true, null, 0, null);

        assertEquals(Action.RENEW, schedule.next("a/b", view, T0.plus(Duration.ofDays(5))).action());
    }

    @Test
    void aPendingRequestIsAwaitedThenTimesOut() {
        LineageView view = view(T0, T0.plus(DAY), true, T0.plus(DAY), 0, null);

        RenewalSchedule.Step waiting = schedule.next("a/b", view, T0.plus(DAY).plusSeconds(30));
        assertEquals(Action.WAIT, waiting.action());
        assertEquals(T0.plus(DAY).plusSeconds(60), waiting.at());
        assertEquals(Action.ANSWER_TIMED_OUT, schedule.next("a/b", view, T0.plus(DAY).plusSeconds(60)).action());
    }

    @Test
    void afterAFailureItWaitsForTheBackoffThenTriesAgain() {
        Instant failedAt = T0.plus(Duration.ofHours(20));
        LineageView view = view(T0, T0.plus(DAY), true, null, 3, failedAt);
        Instant retryAt = failedAt.plus(schedule.backoff("a/b", 3));

        assertEquals(new RenewalSchedule.Step(Action.WAIT, retryAt), schedule.next("a/b", view, failedAt.plusSeconds(1)));
        assertEquals(Action.RENEW, schedule.next("a/b", view, retryAt).action());
    }

    @Test
    void anUnconfirmedInstallReloadsAgainRatherThanRequestingAgain() {
        LineageView view = new LineageView(T0, T0.plus(DAY), true, null, 1, T0, true, false);

        assertEquals(Action.RELOAD, schedule.next("a/b", view, T0.plus(Duration.ofMinutes(1))).action());
    }

    @Test
    void aLineagePkiWillNotRenewEnrolsAgain() {
        LineageView view = new LineageView(T0, T0.plus(DAY), true, null, 1, T0, false, true);

        assertEquals(Action.ENROL, schedule.next("a/b", view, T0.plus(Duration.ofMinutes(1))).action());
    }

    @Test
    void badRetrySettingsAreRefusedNamingTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RenewalSchedule(1, Duration.ofMinutes(20), Duration.ofMinutes(10), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().contains("goldentooth.agent.renewal.backoff-initial"), e.getMessage());
    }

    private static LineageView view(Instant notBefore, Instant notAfter, boolean usable, Instant pendingSince,
                                    int failures, Instant lastFailureAt) {
        return new LineageView(notBefore, notAfter, usable, pendingSince, failures, lastFailureAt, false, false);
    }
}
