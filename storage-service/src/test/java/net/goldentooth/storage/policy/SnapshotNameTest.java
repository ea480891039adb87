package net.goldentooth.storage.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SnapshotNameTest {

    @Test
    void formatsAsSanoidDoesInTheNodesZone() {
        Instant instant = Instant.parse("2025-07-18T22:13:17.654Z");
        assertEquals("autosnap_2025-07-18_22:13:17_hourly",
                SnapshotName.of(instant, ZoneOffset.UTC, Period.HOURLY).format());
        assertEquals("autosnap_2025-07-18_18:13:17_monthly",
                SnapshotName.of(instant, ZoneId.of("America/New_York"), Period.MONTHLY).format());
    }

    @Test
    void parsesTheSeedsNamesAndIgnoresOthers() {
        SnapshotName name = SnapshotName.parse("autosnap_2025-07-18_18:13:17_daily").orElseThrow();
        assertEquals(LocalDateTime.of(2025, 7, 18, 18, 13, 17), name.taken());
        assertEquals(Period.DAILY, name.period());
        assertTrue(SnapshotName.parse("syncoid_allyrion_2025-07-19:10:45:32-GMT-04:00").isEmpty());
        assertTrue(SnapshotName.parse("autosnap_2025-13-18_18:13:17_daily").isEmpty(), "month 13");
        assertTrue(SnapshotName.parse("autosnap_2025-07-18_18:13:17_fortnightly").isEmpty());
        assertEquals("autosnap_2025-07-18_18:13:17_daily", name.format());
    }

    @Test
    void theCheapPeriodCheckAgreesWithTheFullParse() {
        for (String name : java.util.List.of("autosnap_2025-07-18_18:13:17_daily", "autosnap_2025-07-18_18:13:17_frequently",
                "autosnap_x_hourly", "autosnap_2025-07-18_18:13:17_fortnightly", "syncoid_allyrion_2025-07-19:10:45:32-GMT-04:00",
                "autosnap_2025-07-18_18:13:17_hourly_extra")) {
            assertEquals(SnapshotName.parse(name).map(SnapshotName::period), SnapshotName.periodOf(name), name);
        }
    }
}
