package net.goldentooth.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import net.goldentooth.kafka.LeaderLease.Standing;
import org.junit.jupiter.api.Test;

class LeaderLeaseTest {

    private static final long S = 1_000_000_000L;
    /** Monotonic readings start anywhere, negative included: the lease must only use differences. */
    private static final long T0 = Long.MAX_VALUE - 3 * S;

    private final LeaderLease lease = new LeaderLease(Duration.ofSeconds(4));

    @Test
    void aStandbyNeverLeads() {
        assertEquals(Standing.STANDBY, lease.standing(T0));
        lease.confirmed(1, T0);
        assertFalse(lease.leads(T0), "a confirmation without the partition is not leadership");
    }

    @Test
    void holdingThePartitionIsNotEnoughUntilTheCoordinatorConfirms() {
        lease.assigned(3);
        assertEquals(Standing.CLAIMED, lease.standing(T0));
        assertFalse(lease.leads(T0));
        lease.confirmed(3, T0);
        assertTrue(lease.leads(T0 + S));
        assertEquals(3, lease.generation());
    }

    @Test
    void theLeaseRunsFromWhenTheConfirmationWasAskedForAndExpiresWithoutAnother() {
        lease.assigned(3);
        lease.confirmed(3, T0);
        assertTrue(lease.leads(T0 + 4 * S - 1));
        assertEquals(Standing.EXPIRED, lease.standing(T0 + 4 * S), "a leader paused past its lease must not act on waking");
        lease.confirmed(3, T0 + 3 * S);
        assertTrue(lease.leads(T0 + 6 * S), "a later confirmation extends it (across the nanoTime wrap too)");
    }

    @Test
    void anOlderConfirmationDoesNotShortenOrRestoreTheLease() {
        lease.assigned(3);
        lease.confirmed(3, T0 + 2 * S);
        lease.confirmed(3, T0);
        assertTrue(lease.leads(T0 + 5 * S), "the newer confirmation still counts");
    }

    @Test
    void aConfirmationOfAnotherGenerationIsIgnored() {
        lease.assigned(4);
        lease.confirmed(3, T0);
        assertEquals(Standing.CLAIMED, lease.standing(T0), "a commit answered for generation 3 says nothing about 4");
    }

    @Test
    void revocationAndRefusalEndLeadershipAtOnce() {
        lease.assigned(3);
        lease.confirmed(3, T0);
        lease.released();
        assertFalse(lease.leads(T0));
        lease.assigned(5);
        assertFalse(lease.leads(T0), "a fresh assignment waits for its own confirmation");
        lease.confirmed(5, T0);
        lease.refused();
        assertEquals(Standing.STANDBY, lease.standing(T0));
    }

    @Test
    void aRebalanceThatLeavesThePartitionInPlaceKeepsTheRunningLease() {
        lease.assigned(3);
        lease.confirmed(3, T0);
        lease.assigned(4);
        assertTrue(lease.leads(T0 + S), "cooperative rebalance: same owner, new generation");
        assertEquals(4, lease.generation());
        lease.confirmed(3, T0 + 2 * S);
        assertFalse(lease.leads(T0 + 4 * S), "the old generation's confirmation no longer extends it");
    }

    @Test
    void aLeaseMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new LeaderLease(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new LeaderLease(Duration.ofSeconds(-1)));
    }
}
