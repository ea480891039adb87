package net.goldentooth.monitor.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.goldentooth.events.logs.LogEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * The shipped log-match rules, each fed the real text its kernel driver or daemon writes (the
 * kernel's hwmon, mm, ext4, block and NFS client messages; OpenSSH's sshd), and lines that must not fire.
 */
class LogMatchRulesTest {

    private static final Instant NOW = Instant.parse("2026-12-07T03:00:00Z");

    private static Condition.LogMatch shipped(String name) {
        List<RuleDefinition> rules;
        try {
            rules = RuleFileParserTest.shipped();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return (Condition.LogMatch) rules.stream().filter(r -> r.name().equals(name))
                .findFirst().orElseThrow().condition();
    }

    private static LogEntry kernel(String message, int priority) {
        return new LogEntry("bettley", "journal", null, "kernel", priority, message, NOW, null, null, null, "c", null, null);
    }

    private static LogEntry sshd(String message) {
        return new LogEntry("bettley", "journal", "ssh", "sshd", 6, message, NOW, null, null, 812, "c", null, null);
    }

    /** The matches of {@code condition} after these lines arrived at {@code NOW}. */
    private static List<Match> fire(Condition.LogMatch condition, List<LogEntry> lines, Instant at) {
        LogWindows windows = new LogWindows();
        lines.forEach(l -> windows.observe(l, NOW, List.of(condition)));
        Observations o = new Observations(Map.of(), Map.of(), List.of(), List.of(), List.of(), windows.counts(at));
        return condition.matches(o, at);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "UnderVoltageDetected|hwmon hwmon1: Undervoltage detected!|2",
            "UnderVoltageDetected|Under-voltage detected! (0x00050005)|4",
            "OomKill|Out of memory: Killed process 2417 (java) total-vm:3061248kB, anon-rss:1804320kB, file-rss:0kB, shmem-rss:0kB, UID:997 pgtables:3940kB oom_score_adj:0|3",
            "OomKill|Memory cgroup out of memory: Killed process 91233 (stress-ng) total-vm:1120000kB, anon-rss:1048576kB, file-rss:4kB, shmem-rss:0kB, UID:0 pgtables:2100kB oom_score_adj:1000|3",
            "FilesystemIoErrors|EXT4-fs error (device mmcblk0p2): ext4_find_entry:1455: inode #2: comm systemd: reading directory lblock 0|2",
            "FilesystemIoErrors|I/O error, dev mmcblk0, sector 15624192 op 0x0:(READ) flags 0x80700 phys_seg 1 prio class 2|3",
            "FilesystemIoErrors|blk_update_request: I/O error, dev mmcblk0, sector 2048 op 0x1:(WRITE) flags 0x800 phys_seg 1 prio class 0|3",
            "FilesystemIoErrors|Buffer I/O error on dev mmcblk0p2, logical block 1203, lost async page write|3",
            "NfsServerNotResponding|nfs: server 10.4.0.10 not responding, still trying|5",
            "NfsServerNotResponding|nfs: server nfs.goldentooth.net not responding, timed out|5"})
    void aKernelLineFiresItsRule(String rule, String message, int priority) {
        List<Match> matches = fire(shipped(rule), List.of(kernel(message, priority)), NOW.plusSeconds(1));
        assertEquals(1, matches.size(), rule + " for: " + message);
        assertEquals(Map.of("node", "bettley"), matches.get(0).subject());
    }

    @Test
    void similarLinesDoNotFire() {
        assertTrue(fire(shipped("UnderVoltageDetected"), List.of(kernel("hwmon hwmon1: Voltage normalised", 6)),
                NOW).isEmpty());
        assertTrue(fire(shipped("NfsServerNotResponding"), List.of(kernel("nfs: server 10.4.0.10 OK", 5)), NOW).isEmpty());
        assertTrue(fire(shipped("UnderVoltageDetected"), List.of(sshd("Undervoltage detected!")), NOW).isEmpty(),
                "only the kernel's line counts");
    }

    @Test
    void sshFailuresFireAtFiveWithinFiveMinutesOnly() {
        Condition.LogMatch rule = shipped("SshAuthenticationFailures");
        List<LogEntry> four = List.of(
                sshd("Failed password for root from 10.4.0.9 port 52214 ssh2"),
                sshd("Failed password for invalid user admin from 10.4.0.9 port 52220 ssh2"),
                sshd("Invalid user admin from 10.4.0.9 port 40000"),
                sshd("Failed publickey for ubuntu from 10.4.0.9 port 40012 ssh2: RSA SHA256:abc"));
        assertTrue(fire(rule, four, NOW.plusSeconds(1)).isEmpty(), "four failures are not five");
        List<LogEntry> five = new java.util.ArrayList<>(four);
        five.add(sshd("Failed keyboard-interactive/pam for root from 10.4.0.9 port 40020 ssh2"));
        five.add(sshd("Accepted publickey for root from 10.4.0.2 port 50000 ssh2"));
        List<Match> matches = fire(rule, five, NOW.plusSeconds(1));
        assertEquals(1, matches.size());
        assertEquals(Double.valueOf(5), matches.get(0).value());
        assertTrue(fire(rule, five, NOW.plus(Duration.ofMinutes(5)).plusSeconds(1)).isEmpty(), "the window has passed");
    }

    @Test
    void aBadLogMatchRuleIsAnErrorWithItsLine() {
        RuleFileException e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml",
                "rules:\n  - name: Bad\n    condition: {type: log-match, regex: \"(\", window: 5m}\n    severity: warning\n"));
        assertTrue(e.getMessage().contains("x.yaml:3"), e.getMessage());
        e = assertThrows(RuleFileException.class, () -> RuleFileParser.parse("x.yaml",
                "rules:\n  - name: Bad\n    condition: {type: log-match, regex: a}\n    severity: warning\n"));
        assertTrue(e.getMessage().contains("window"), e.getMessage());
    }
}
