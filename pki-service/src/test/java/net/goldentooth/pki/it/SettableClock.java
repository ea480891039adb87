package net.goldentooth.pki.it;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import net.goldentooth.testkit.MutableClock;

/** Replaces the wall clock in the service under test with one the tests step forward. */
@ApplicationScoped
public class SettableClock {

    public static final MutableClock CLOCK = new MutableClock(Instant.now());

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    Clock clock() {
        return CLOCK;
    }
}
