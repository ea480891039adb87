package net.goldentooth.agent.simulation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PowerSwitchTest {

    @TempDir
    Path state;

    /** A clock stepped by hand. */
    private static final class ManualClock extends Clock {
        Instant now = Instant.parse("2026-12-07T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    @Test
    void aListedSimulatedNodeIsOffUntilItIsRemovedRealNodesAlwaysOn() throws Exception {
        ManualClock clock = new ManualClock();
        PowerSwitch power = PowerSwitch.of(state, List.of("bettley", "cargyll"), clock);
        assertEquals("bettley\ncargyll\n", Files.readString(state.resolve("simulation/nodes")));
        assertTrue(power.isOn("bettley"));

        Path off = state.resolve("simulation/powered-off");
        Files.writeString(off, "# planned work\nbettley\nvelaryon\n");
        // within the recheck interval the old answer stands
        assertTrue(power.isOn("bettley"));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertFalse(power.isOn("bettley"));
        assertTrue(power.isOn("cargyll"));
        // not simulated here, so never switched off
        assertTrue(power.isOn("velaryon"));
        assertTrue(power.isOn("allyrion"));

        Files.writeString(off, "cargyll\n");
        Files.setLastModifiedTime(off, FileTime.from(Instant.now().plusSeconds(5)));
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertTrue(power.isOn("bettley"));
        assertFalse(power.isOn("cargyll"));

        Files.delete(off);
        clock.now = clock.now.plus(Duration.ofSeconds(1));
        assertTrue(power.isOn("cargyll"));
    }

    @Test
    void withoutSimulatedNodesNothingIsSwitchableAndAStaleListIsRemoved() throws Exception {
        Files.createDirectories(state.resolve("simulation"));
        Files.writeString(state.resolve("simulation/nodes"), "bettley\n");
        PowerSwitch power = PowerSwitch.of(state, List.of(), Clock.systemUTC());
        assertFalse(Files.exists(state.resolve("simulation/nodes")));
        Files.writeString(state.resolve("simulation/powered-off"), "bettley\n");
        assertTrue(power.isOn("bettley"));
    }

    @Test
    void parsingSkipsBlanksAndComments() {
        assertEquals(Set.of("a", "b"), PowerSwitch.parse("a\n\n  # c\n b \n"));
    }
}
