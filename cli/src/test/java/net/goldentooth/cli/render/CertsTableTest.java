package net.goldentooth.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.goldentooth.events.cert.CaStatus;
import net.goldentooth.events.cert.CertKind;
import net.goldentooth.events.cert.CertLineageView;
import org.junit.jupiter.api.Test;

class CertsTableTest {

    @Test
    void rowsShowTimeLeftLastRenewalAndStatusWithTheLastRefusal() {
        String out = render(List.of(
                new CertLineageView("bettley/consul", "bettley", "consul", CertKind.RENEW, "ab", null,
                        Instant.parse("2026-11-26T10:00:00Z"), 86_340L, "renewed 2026-11-25T10:00:00Z", null, "valid"),
                new CertLineageView("fenn/vault", "fenn", "vault", CertKind.RENEW, "cd", null,
                        Instant.parse("2026-11-15T10:00:00Z"), -10L * 86400 - 3600, "failed: proof-invalid (attempt 3)",
                        "expired-beyond-grace: expired 10d 1h ago", "expired")));
        String[] lines = out.split("\n");
        assertTrue(lines[0].startsWith("NODE"), out);
        assertTrue(lines[1].contains("23h 59m") && lines[1].contains("renewed 2026-11-25T10:00:00Z"), out);
        assertTrue(lines[2].contains("expired 10d 1h ago") && lines[2].contains("expired (last refusal: expired-beyond-grace"),
                out);
    }

    @Test
    void emptyInventoryAndUninitialisedCaSaySo() {
        assertEquals("no certificates issued yet\n", render(List.of()));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CertsTable.render(new CaStatus(false, null, null, null, null, null, null, 0, 0, 0),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).contains("not initialised"));
    }

    private static String render(List<CertLineageView> rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CertsTable.render(rows, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
