package net.goldentooth.deploy.deb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.io.Reader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The unit as shipped: {@code systemd-analyze verify} accepts it (run against this machine, with
 * the packaged launcher), and the hardening the seed applies to its services is there.
 */
class SystemdUnitIT {

    private static Path extracted;
    private static Map<String, List<String>> service;

    @BeforeAll
    static void extract() throws Exception {
        Commands.require("dpkg-deb", "dpkg");
        extracted = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gt-deb-x");
        Commands.ok(List.of("dpkg-deb", "-x", Commands.debFile().toString(), extracted.toString()));
        service = section(Files.readAllLines(unit()), "[Service]");
    }

    private static Path unit() {
        return extracted.resolve("usr/lib/systemd/system/goldentooth-agent.service");
    }

    /** key → every value assigned in that section (ReadWritePaths may repeat). */
    private static Map<String, List<String>> section(List<String> lines, String header) {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        boolean inside = false;
        for (String line : lines) {
            String trimmed = line.trim();
            if (trimmed.startsWith("[")) {
                inside = trimmed.equals(header);
            } else if (inside && !trimmed.isEmpty() && !trimmed.startsWith("#")) {
                int eq = trimmed.indexOf('=');
                keys.computeIfAbsent(trimmed.substring(0, eq), k -> new ArrayList<>()).add(trimmed.substring(eq + 1));
            }
        }
        return keys;
    }

    private static String one(String key) {
        List<String> values = service.getOrDefault(key, List.of());
        assertEquals(1, values.size(), key + " must be set once, was " + values);
        return values.get(0);
    }

    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit() throws Exception {
        Commands.require("systemd-analyze", "systemd");
        Commands.require("java", "openjdk-17-jre-headless");
        // verify looks for ExecStart's program on this machine: a copy of the unit names the
        // launcher where the package was extracted (the path itself is checked below).
        Path dir = Files.createTempDirectory(extracted.getParent(), "gt-unit");
        Path copy = dir.resolve("goldentooth-agent.service");
        Files.writeString(copy, Files.readString(unit()).replace("ExecStart=/usr/lib/goldentooth-agent/run",
                "ExecStart=" + extracted.resolve("usr/lib/goldentooth-agent/run")));
        Commands.Result result = Commands.run(List.of("systemd-analyze", "verify", copy.toString()));
        // Other units of the machine may draw warnings; none may concern ours.
        List<String> ours = result.all().lines().filter(l -> l.contains("goldentooth-agent")).toList();
        assertEquals(0, result.exitCode(), result.all());
        assertEquals(List.of(), ours);
    }

    @Test
    void runsAsTheDedicatedUserAndRestartsAlways() {
        assertEquals("goldentooth", one("User"));
        assertEquals("goldentooth", one("Group"));
        assertEquals("always", one("Restart"));
        assertEquals("5", one("RestartSec"));
        assertEquals("/etc/default/goldentooth-agent", one("EnvironmentFile"));
        assertEquals("/usr/lib/goldentooth-agent/run", one("ExecStart"));
        // Where the launcher keeps the class-data-sharing archive; writable under ProtectSystem=strict.
        assertEquals("goldentooth-agent", one("CacheDirectory"));
    }

    @Test
    void theSystemIsReadOnlyButTheStateDirectory() throws Exception {
        assertEquals("strict", one("ProtectSystem"));
        assertEquals("true", one("NoNewPrivileges"));
        assertEquals("true", one("ProtectHome"));
        assertEquals("true", one("PrivateTmp"));
        List<String> writable = service.get("ReadWritePaths");
        assertEquals(List.of("/var/lib/goldentooth"), writable);
        // The configured state directory must be writable under ProtectSystem=strict.
        Properties config = new Properties();
        try (Reader reader = Files.newBufferedReader(extracted.resolve("etc/goldentooth/node-agent.properties"))) {
            config.load(reader);
        }
        String stateDir = config.getProperty("goldentooth.agent.state-dir");
        assertTrue(writable.stream().anyMatch(w -> stateDir.startsWith(w + "/")), stateDir);
    }

    @Test
    void theRootDropInLiftsExactlyWhatSudoNeeds() throws Exception {
        Path dropIn = extracted.resolve("usr/share/doc/goldentooth-agent/examples/allow-root.conf");
        Map<String, List<String>> lifted = section(Files.readAllLines(dropIn), "[Service]");
        assertEquals(List.of("false"), lifted.get("NoNewPrivileges"));
        assertEquals(List.of("false"), lifted.get("ProtectSystem"));
        // systemd implies NoNewPrivileges for a non-root unit from each of these (systemd.exec(5),
        // NoNewPrivileges=): one left in force and sudo refuses. Seen on a cluster machine, where
        // RestrictRealtime, LockPersonality and RestrictAddressFamilies kept NoNewPrivs at 1.
        for (String implying : List.of("SystemCallFilter", "SystemCallArchitectures", "RestrictAddressFamilies",
                "RestrictNamespaces", "PrivateDevices", "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs",
                "ProtectClock", "MemoryDenyWriteExecute", "RestrictRealtime", "RestrictSUIDSGID", "DynamicUser",
                "LockPersonality")) {
            List<String> set = service.get(implying);
            if (set == null || set.get(set.size() - 1).isEmpty() || set.get(set.size() - 1).equals("false")) {
                continue;
            }
            List<String> reset = lifted.get(implying);
            assertTrue(reset != null && (reset.get(reset.size() - 1).isEmpty() || reset.get(reset.size() - 1).equals("false")),
                    implying + "=" + set + " in the unit implies NoNewPrivileges; the root drop-in must lift it: " + lifted);
        }
        String sudoers = Files.readString(extracted.resolve("usr/share/doc/goldentooth-agent/examples/sudoers-goldentooth-agent"));
        assertEquals(List.of("goldentooth ALL=(root) NOPASSWD: /bin/sh"),
                sudoers.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList());
    }

    @Test
    void theSudoRuleParses() throws Exception {
        Commands.require("visudo", "sudo");
        Path rule = extracted.resolve("usr/share/doc/goldentooth-agent/examples/sudoers-goldentooth-agent");
        Commands.ok(List.of("visudo", "-c", "-f", rule.toString()));
    }
}
