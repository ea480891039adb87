package net.goldentooth.storage.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigValuesTest {

    @Test
    void httpAndHttpsMastersAreTakenStripped() {
        assertEquals(List.of(URI.create("http://10.4.0.22:9333"), URI.create("https://seaweed.lab:9333")),
                ConfigValues.seaweedfsMasters(List.of(" http://10.4.0.22:9333", "https://seaweed.lab:9333 ")));
        assertEquals(List.of(), ConfigValues.seaweedfsMasters(List.of()));
    }

    @Test
    void aMasterThatIsNotAnHttpUrlWithAHostIsRefusedNamingTheKeyAndTheValue() {
        for (String bad : List.of("10.4.0.22:9333", "ftp://10.4.0.22", "httpx://10.4.0.22:9333", "http://", "http://[bad",
                "/cluster/status")) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ConfigValues.seaweedfsMasters(List.of("http://ok:9333", bad)), bad);
            assertEquals("goldentooth.storage.seaweedfs-masters: '" + bad
                    + "' is not an http(s) URL like http://10.4.0.22:9333", e.getMessage());
        }
    }

    @Test
    void aZoneIsAZoneIdOrRefusedNamingTheKey() {
        assertEquals(ZoneId.of("America/New_York"), ConfigValues.zone("America/New_York"));
        assertEquals(ZoneId.of("UTC"), ConfigValues.zone("UTC"));
        assertEquals("goldentooth.storage.zone: 'Mars/Olympus' is not a time zone",
                assertThrows(IllegalStateException.class, () -> ConfigValues.zone("Mars/Olympus")).getMessage());
        assertThrows(IllegalStateException.class, () -> ConfigValues.zone("+99:00"));
    }
}
