package net.goldentooth.storage.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import net.goldentooth.events.storage.ReplicationState;
import org.junit.jupiter.api.Test;

class ReplicationTransitionsTest {

    @Test
    void aSendEndsInSyncOrFailed() {
        ReplicationState s = ReplicationTransitions.next(ReplicationState.IDLE, ReplicationEvent.FOUND_BEHIND);
        s = ReplicationTransitions.next(s, ReplicationEvent.SEND_STARTED);
        assertEquals(ReplicationState.SENDING, s);
        assertEquals(ReplicationState.IN_SYNC, ReplicationTransitions.next(s, ReplicationEvent.SEND_SUCCEEDED));
        assertEquals(ReplicationState.FAILED, ReplicationTransitions.next(s, ReplicationEvent.SEND_FAILED));
    }

    @Test
    void nothingIsSentToADivergedTarget() {
        assertThrows(IllegalStateException.class,
                () -> ReplicationTransitions.next(ReplicationState.DIVERGED, ReplicationEvent.SEND_STARTED));
        assertThrows(IllegalStateException.class,
                () -> ReplicationTransitions.next(ReplicationState.IN_SYNC, ReplicationEvent.SEND_SUCCEEDED));
        assertEquals(ReplicationState.BEHIND,
                ReplicationTransitions.next(ReplicationState.DIVERGED, ReplicationEvent.FOUND_BEHIND),
                "a repaired target is picked up again by the next run");
    }
}
