package net.goldentooth.agent.logs;

import java.util.ArrayDeque;

/**
 * The position a source may save: that of the newest line such that it and every line before it
 * are done (acknowledged by the broker, or deliberately not shipped). Acknowledgements can come in
 * any order; the saved position only ever moves over a contiguous prefix, so a restart re-reads
 * what was not yet acknowledged and loses nothing. Thread-safe.
 */
final class AckOrder<P> {

    private static final class Slot<P> {
        final P position;
        boolean done;

        Slot(P position) {
            this.position = position;
        }
    }

    private final ArrayDeque<Slot<P>> pending = new ArrayDeque<>();
    private long firstSeq;
    private P committed;
    private boolean changed;

    AckOrder(P initial) {
        this.committed = initial;
    }

    /** Registers the next line read, in read order; the returned ticket is given to {@link #done}. */
    synchronized long add(P position) {
        pending.addLast(new Slot<>(position));
        return firstSeq + pending.size() - 1;
    }

    synchronized void done(long ticket) {
        int index = (int) (ticket - firstSeq);
        if (index < 0 || index >= pending.size()) {
            return;
        }
        int i = 0;
        for (Slot<P> slot : pending) {
            if (i++ == index) {
                slot.done = true;
                break;
            }
        }
        while (!pending.isEmpty() && pending.peekFirst().done) {
            committed = pending.pollFirst().position;
            firstSeq++;
            changed = true;
        }
    }

    synchronized P committed() {
        return committed;
    }

    /** The committed position if it moved since the last call, else null. */
    synchronized P takeChanged() {
        if (!changed) {
            return null;
        }
        changed = false;
        return committed;
    }

    synchronized int waiting() {
        return pending.size();
    }
}
