package net.goldentooth.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UtcInstantsTest {

    private final ObjectMapper mapper = EventCodec.mapper();

    private record Stamp(Instant at) {
    }

    @Test
    void agreesWithInstantParseOnWhatTheContractWrites() throws Exception {
        Random random = new Random(20261125);
        long from = Instant.parse("1970-01-01T00:00:00Z").getEpochSecond();
        long to = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(from + (long) (random.nextDouble() * (to - from)),
                    random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000));
            if (i % 3 == 0) {
                at = at.truncatedTo(ChronoUnit.MILLIS);
            }
            String text = at.toString();
            assertEquals(Instant.parse(text), UtcInstants.parse(text), text);
            assertEquals(at, mapper.readValue(mapper.writeValueAsBytes(new Stamp(at)), Stamp.class).at(), text);
        }
        assertEquals(Instant.parse("2024-02-29T23:59:59.5Z"), UtcInstants.parse("2024-02-29T23:59:59.5Z"));
    }

    @Test
    void otherFormsGoToJacksonsOwnReaderUnchanged() throws Exception {
        for (String other : new String[] {"2026-11-25T10:00:00+01:00", "2026-11-25T10:00:60Z", "+12026-11-25T10:00:00Z",
                "2026-02-30T10:00:00Z", "2026-11-25T24:00:00Z", "2026-11-25T10:00:00.Z", "2026-11-25T10:00:00.1234567890Z",
                "2026-11-25 10:00:00Z", "2026-11-2xT10:00:00Z"}) {
            assertNull(UtcInstants.parse(other), other);
        }
        assertEquals(Instant.parse("2026-11-25T09:00:00Z"),
                mapper.readValue("{\"at\":\"2026-11-25T10:00:00+01:00\"}", Stamp.class).at());
        assertEquals(Instant.ofEpochSecond(1_764_064_800L), mapper.readValue("{\"at\":1764064800}", Stamp.class).at());
        assertThrows(InvalidFormatException.class, () -> mapper.readValue("{\"at\":\"2026-02-30T10:00:00Z\"}", Stamp.class));
        assertThrows(InvalidFormatException.class, () -> mapper.readValue("{\"at\":\"yesterday\"}", Stamp.class));
    }
}
