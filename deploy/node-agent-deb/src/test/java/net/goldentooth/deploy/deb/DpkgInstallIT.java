package net.goldentooth.deploy.deb;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Installs the package with {@code dpkg --root} into a minimal Debian bookworm made by
 * {@code debootstrap --variant=minbase} (about a minute; kept in target/ between runs), so the
 * maintainer scripts really run (dpkg chroots into the root for them) without touching this machine.
 * The root has no JRE; a stand-in package that provides {@code java17-runtime-headless} satisfies the
 * Depends alternative, after the test has seen dpkg refuse the package without it.
 */
class DpkgInstallIT {

    private static final Path ROOT = Path.of("target", "debootstrap-root").toAbsolutePath();
    private static final Path READY = ROOT.resolve(".goldentooth-ready");
    private static final String UNIT = "goldentooth-agent.service";

    @BeforeAll
    static void debootstrap() throws Exception {
        Commands.require("debootstrap", "debootstrap");
        Commands.require("dpkg", "dpkg");
        if (!Files.exists(READY)) {
            Commands.run(List.of("rm", "-rf", ROOT.toString()));
            Commands.ok(List.of("debootstrap", "--variant=minbase", "bookworm", ROOT.toString(),
                    System.getProperty("debootstrap.mirror", "http://deb.debian.org/debian")));
            Files.createFile(READY);
        }
        // A root left dirty by an interrupted earlier run starts clean.
        dpkg("--purge", "goldentooth-agent", "goldentooth-test-java17");
    }

    private static Commands.Result dpkg(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("dpkg", "--root=" + ROOT, "--force-unsafe-io"));
        command.addAll(List.of(args));
        return Commands.run(command);
    }

    private static Path javaStandIn() throws Exception {
        Path dir = Path.of("target", "java17-stand-in").toAbsolutePath();
        Files.createDirectories(dir.resolve("DEBIAN"));
        Files.writeString(dir.resolve("DEBIAN/control"), """
                Package: goldentooth-test-java17
                Version: 1.0
                Architecture: all
                Maintainer: Goldentooth tests <goldentooth@goldentooth.net>
                Provides: java17-runtime-headless
                Description: test stand-in for a Java 17 runtime (DpkgInstallIT only)
                """);
        Path deb = Path.of("target", "goldentooth-test-java17_1.0_all.deb").toAbsolutePath();
        Commands.ok(List.of("dpkg-deb", "--root-owner-group", "--build", dir.toString(), deb.toString()));
        return deb;
    }

    private static Optional<String[]> passwdEntry(String user) throws Exception {
        return Files.readAllLines(ROOT.resolve("etc/passwd")).stream()
                .map(l -> l.split(":")).filter(f -> f[0].equals(user)).findFirst();
    }

    /** "user:group mode" with the names of the root's own passwd and group files, not this machine's. */
    private static String owner(Path path) throws Exception {
        String[] stat = Commands.ok(List.of("stat", "-c", "%u %g %a", path.toString())).trim().split(" ");
        return nameOf("etc/passwd", stat[0]) + ":" + nameOf("etc/group", stat[1]) + " " + stat[2];
    }

    private static String nameOf(String file, String id) throws Exception {
        return Files.readAllLines(ROOT.resolve(file)).stream().map(l -> l.split(":"))
                .filter(f -> f[2].equals(id)).map(f -> f[0]).findFirst().orElse("#" + id);
    }

    @Test
    void installCreatesTheUserAndEnablesTheUnitAndPurgeRemovesTheState() throws Exception {
        String deb = Commands.debFile().toString();

        Commands.Result withoutJava = dpkg("-i", deb);
        assertNotEquals(0, withoutJava.exitCode(), "must refuse without a Java 17 runtime");
        assertTrue(withoutJava.all().contains("java17-runtime-headless"), withoutJava.all());

        Commands.Result java = dpkg("-i", javaStandIn().toString());
        assertEquals(0, java.exitCode(), java.all());
        Commands.Result install = dpkg("-i", deb);
        assertEquals(0, install.exitCode(), install.all());
        String status = Commands.ok(List.of("dpkg-query", "--admindir=" + ROOT.resolve("var/lib/dpkg"),
                "-W", "-f=${Status}", "goldentooth-agent"));
        assertEquals("install ok installed", status);

        // postinst: the system user with no login, owning the state
        String[] user = passwdEntry("goldentooth").orElseThrow(() -> new AssertionError("no goldentooth user"));
        assertTrue(Integer.parseInt(user[2]) < 1000, "a system uid, was " + user[2]);
        assertEquals("/var/lib/goldentooth", user[5]);
        assertEquals("/usr/sbin/nologin", user[6]);
        assertEquals("goldentooth:goldentooth 750", owner(ROOT.resolve("var/lib/goldentooth")));
        assertEquals("root:goldentooth 750", owner(ROOT.resolve("etc/goldentooth")));
        assertEquals("root:goldentooth 640", owner(ROOT.resolve("etc/goldentooth/node-agent.properties")));
        assertTrue(Files.isRegularFile(ROOT.resolve("opt/goldentooth/node-agent/quarkus-run.jar")));

        // postinst: enabled the way systemctl enable would (deb-systemd-helper)
        Path wants = ROOT.resolve("etc/systemd/system/multi-user.target.wants/" + UNIT);
        assertTrue(Files.isSymbolicLink(wants), "unit not enabled");
        // bookworm's deb-systemd-helper links /lib/systemd/system/..., the same file under merged /usr
        Path target = Files.readSymbolicLink(wants);
        assertTrue(target.toString().endsWith("/lib/systemd/system/" + UNIT), target.toString());
        assertTrue(Files.isRegularFile(ROOT.resolve(target.toString().substring(1))), "dangling: " + target);

        // The agent's state survives a remove ...
        Path ledger = ROOT.resolve("var/lib/goldentooth/agent/task-ledger.log");
        Files.createDirectories(ledger.getParent());
        Files.writeString(ledger, "task-1\n");
        Commands.Result remove = dpkg("--remove", "goldentooth-agent");
        assertEquals(0, remove.exitCode(), remove.all());
        assertTrue(Files.exists(ledger), "remove must keep the state");
        assertFalse(Files.exists(ROOT.resolve("opt/goldentooth/node-agent/quarkus-run.jar")));
        assertTrue(Files.exists(ROOT.resolve("etc/goldentooth/node-agent.properties")), "remove keeps conffiles");

        // ... and goes with a purge, with the configuration and the unit's enablement.
        Commands.Result purge = dpkg("--purge", "goldentooth-agent");
        assertEquals(0, purge.exitCode(), purge.all());
        assertFalse(Files.exists(ROOT.resolve("var/lib/goldentooth"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(ROOT.resolve("etc/goldentooth")));
        assertFalse(Files.exists(wants, LinkOption.NOFOLLOW_LINKS));
        assertTrue(passwdEntry("goldentooth").isPresent(), "the user stays (Debian policy)");

        Commands.Result cleanup = dpkg("--purge", "goldentooth-test-java17");
        assertEquals(0, cleanup.exitCode(), cleanup.all());
    }
}
