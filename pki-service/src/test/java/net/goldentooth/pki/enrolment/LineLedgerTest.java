package net.goldentooth.pki.enrolment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineLedgerTest {

    @TempDir
    Path dir;

    @Test
    void claimsAreRefusedTwiceAtOnceButDurableOnlyOncePersisted() throws Exception {
        Path file = dir.resolve("used-tokens");
        LineLedger ledger = new LineLedger(file);
        assertTrue(ledger.reserve("t1"));
        assertTrue(ledger.reserve("t2"));
        assertFalse(ledger.reserve("t1"), "a claimed token cannot be claimed again before it is on disk");
        assertTrue(ledger.contains("t2"));
        assertEquals(List.of(), new LineLedger(file).entries(), "nothing on disk before persistReserved");

        ledger.persistReserved();
        assertEquals(List.of("t1", "t2"), Files.readAllLines(file));
        assertEquals(List.of("t1", "t2"), new LineLedger(file).entries());
        assertFalse(new LineLedger(file).reserve("t2"), "a restarted ledger still refuses a persisted token");
    }

    @Test
    void abandonedClaimsAreForgotten() throws Exception {
        LineLedger ledger = new LineLedger(dir.resolve("used-tokens"));
        assertTrue(ledger.reserve("t1"));
        ledger.abandonReserved();
        assertFalse(ledger.contains("t1"));
        assertTrue(ledger.reserve("t1"), "a batch read again may spend the token again");
    }

    @Test
    void aFailedWriteDropsTheClaimsAndSaysWhere() throws Exception {
        Path file = dir.resolve("used-tokens");
        LineLedger ledger = new LineLedger(file);
        assertTrue(ledger.reserve("t1"));
        Files.delete(file);
        Files.createDirectory(file); // appending to a directory fails
        UncheckedIOException error = assertThrows(UncheckedIOException.class, ledger::persistReserved);
        assertTrue(error.getMessage().contains(file.toString()), error.getMessage());
        assertFalse(ledger.contains("t1"));
    }
}
