package net.goldentooth.agent.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Lines as systemd 252's journalctl --output=json --all writes them. */
class JournalJsonTest {

    private static JournalJson.ParsedLine parse(String json) throws JournalJson.NotAnEntry {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return JournalJson.parse(bytes, bytes.length);
    }

    @Test
    void aUnitLineHasItsFields() throws Exception {
        JournalJson.ParsedLine line = parse("{\"__CURSOR\":\"s=9b;i=153;b=e5;m=aa;t=662021cf94879;x=79\","
                + "\"__REALTIME_TIMESTAMP\":\"1796611075819641\",\"__MONOTONIC_TIMESTAMP\":\"178406754\","
                + "\"_BOOT_ID\":\"e51152ef712b460c8de57234f6220a69\",\"PRIORITY\":\"4\",\"_PID\":\"812\","
                + "\"_SYSTEMD_UNIT\":\"ssh.service\",\"SYSLOG_IDENTIFIER\":\"sshd\","
                + "\"MESSAGE\":\"Failed password for root from 10.4.0.9 port 52214 ssh2\"}");
        assertEquals("ssh", line.unit());
        assertEquals("sshd", line.identifier());
        assertEquals(4, line.priority());
        assertEquals(812, line.pid());
        assertEquals(Instant.parse("2026-12-07T02:37:55.819641Z"), line.time());
        assertEquals(178406754L, line.monotonicUs());
        assertEquals("e51152ef712b460c8de57234f6220a69", line.bootId());
        assertEquals("s=9b;i=153;b=e5;m=aa;t=662021cf94879;x=79", line.cursor());
        assertEquals("Failed password for root from 10.4.0.9 port 52214 ssh2", line.message());
        assertFalse(line.binary());
    }

    @Test
    void aBinaryMessageIsDecodedAndMarked() throws Exception {
        // "ok" then an invalid byte 0xff then a bell: journalctl writes such a field as its bytes.
        JournalJson.ParsedLine line = parse("{\"__CURSOR\":\"c\",\"MESSAGE\":[111,107,255,7]}");
        assertTrue(line.binary());
        assertTrue(line.invalidUtf8());
        assertEquals("ok\uFFFD\u0007", line.message());
    }

    @Test
    void aValidBinaryMessageIsNotInvalid() throws Exception {
        JournalJson.ParsedLine line = parse("{\"__CURSOR\":\"c\",\"MESSAGE\":[104,105,27,91,48,109]}");
        assertTrue(line.binary());
        assertFalse(line.invalidUtf8());
        assertEquals("hi\u001b[0m", line.message());
    }

    @Test
    void aRepeatedFieldGivesItsFirstValue() throws Exception {
        JournalJson.ParsedLine line = parse("{\"__CURSOR\":\"c\",\"MESSAGE\":[\"first\",\"second\"],"
                + "\"SYSLOG_IDENTIFIER\":[[107,101,114],\"x\"]}");
        assertEquals("first", line.message());
        assertEquals("ker", line.identifier());
    }

    @Test
    void aKernelLineHasNoUnitAndAMissingPriorityIsInfo() throws Exception {
        JournalJson.ParsedLine line = parse("{\"__CURSOR\":\"c\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"MESSAGE\":null}");
        assertNull(line.unit());
        assertEquals(6, line.priority());
        assertEquals("", line.message());
        assertNull(line.pid());
    }

    @Test
    void somethingElseIsNotAnEntry() {
        assertThrows(JournalJson.NotAnEntry.class, () -> parse("Failed to seek to cursor: Invalid argument"));
        assertThrows(JournalJson.NotAnEntry.class, () -> parse("[1,2]"));
        assertThrows(JournalJson.NotAnEntry.class, () -> parse("{\"MESSAGE\":\"no cursor\"}"));
    }

    @Test
    void cursorsGiveTheGapAndTheTime() {
        assertEquals(4, JournalSource.gap("s=ab;i=10;b=1;t=5", "s=ab;i=15;b=1;t=6"));
        assertEquals(0, JournalSource.gap("s=ab;i=10;b=1", "s=ab;i=11;b=1"));
        assertEquals(0, JournalSource.gap("s=ab;i=10;b=1", "s=cd;i=99;b=1"), "another journald run: unknown");
        assertEquals(0x662021cf94879L / 1_000_000, JournalSource.realtimeSeconds("s=9b;i=153;b=e5;m=aa;t=662021cf94879;x=79"));
        assertEquals(-1, JournalSource.realtimeSeconds("nonsense"));
    }
}
