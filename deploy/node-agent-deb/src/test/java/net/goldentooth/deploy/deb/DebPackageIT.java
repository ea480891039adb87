package net.goldentooth.deploy.deb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The built .deb as dpkg-deb sees it: control fields, conffiles, paths, owners and modes. */
class DebPackageIT {

    /** path (without the leading '.') → "mode owner/group" as dpkg-deb --contents lists it. */
    private static final Map<String, String> CONTENTS = new LinkedHashMap<>();

    @BeforeAll
    static void listContents() throws Exception {
        Commands.require("dpkg-deb", "dpkg");
        String listing = Commands.ok(List.of("dpkg-deb", "--contents", Commands.debFile().toString()));
        for (String line : listing.split("\n")) {
            String[] f = line.trim().split("\\s+");
            // drwxr-xr-x root/root 0 2026-11-25 17:20 ./opt/  (symlinks would add "-> target")
            CONTENTS.put(f[5].substring(1), f[0] + " " + f[1]);
        }
    }

    private static String field(String name) throws Exception {
        return Commands.ok(List.of("dpkg-deb", "--field", Commands.debFile().toString(), name)).trim();
    }

    @Test
    void controlFieldsNameTheJavaRuntimeAndTheVersion() throws Exception {
        assertEquals("goldentooth-agent", field("Package"));
        assertEquals(System.getProperty("deb.version"), field("Version"));
        assertEquals("all", field("Architecture"));
        List<String> depends = Arrays.stream(field("Depends").split(",")).map(String::trim).toList();
        assertTrue(depends.contains("openjdk-17-jre-headless | java17-runtime-headless"), depends::toString);
        assertTrue(depends.stream().anyMatch(d -> d.startsWith("init-system-helpers")),
                "postinst uses deb-systemd-helper: " + depends);
        String info = Commands.ok(List.of("dpkg-deb", "--info", Commands.debFile().toString()));
        assertTrue(info.contains("Installed-Size:"), info);
    }

    @Test
    void conffilesAreExactlyTheTwoConfigurationFiles() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "gt-control");
        Commands.ok(List.of("dpkg-deb", "--control", Commands.debFile().toString(), dir.toString()));
        assertEquals(List.of("/etc/default/goldentooth-agent", "/etc/goldentooth/node-agent.properties"),
                Files.readAllLines(dir.resolve("conffiles")).stream().map(String::trim).sorted().toList());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertTrue(Files.isExecutable(dir.resolve(script)), script + " must be executable");
            assertTrue(Files.readString(dir.resolve(script)).startsWith("#!/bin/sh"), script);
        }
    }

    @Test
    void everyFileOfTheFastJarIsUnderOpt() throws Exception {
        Path app = Path.of(System.getProperty("goldentooth.root"), "node-agent", "target", "quarkus-app");
        try (Stream<Path> files = Files.walk(app)) {
            List<String> missing = files.filter(Files::isRegularFile)
                    .map(f -> "/opt/goldentooth/node-agent/" + app.relativize(f))
                    .filter(p -> !CONTENTS.containsKey(p)).toList();
            assertEquals(List.of(), missing, "fast-jar files missing from the package");
        }
        assertEquals("-rw-r--r-- root/root", CONTENTS.get("/opt/goldentooth/node-agent/quarkus-run.jar"));
    }

    @Test
    void unitConfigurationAndStateHaveTheirPlacesAndModes() {
        assertEquals("-rw-r--r-- root/root", CONTENTS.get("/usr/lib/systemd/system/goldentooth-agent.service"));
        assertEquals("-rwxr-xr-x root/root", CONTENTS.get("/usr/lib/goldentooth-agent/run"));
        assertEquals("-rw-r--r-- root/root", CONTENTS.get("/etc/default/goldentooth-agent"));
        // May name token and key files; postinst gives the group to goldentooth.
        assertEquals("-rw-r----- root/root", CONTENTS.get("/etc/goldentooth/node-agent.properties"));
        assertEquals("drwxr-x--- root/root", CONTENTS.get("/var/lib/goldentooth/"));
        assertTrue(CONTENTS.containsKey("/usr/share/doc/goldentooth-agent/examples/sudoers-goldentooth-agent"));
        assertTrue(CONTENTS.keySet().stream().noneMatch(p -> p.startsWith("/etc/sudoers.d")),
                "the root rule is opt-in, never installed by the package");
    }
}
