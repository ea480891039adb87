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
 * Installs the package with {@code dpkg --root} into the {@link DebianRoot}, so the maintainer
 * scripts really run (dpkg chroots into the root for them) without touching this machine. The root
 * has no JRE; a stand-in package that provides {@code java17-runtime-headless} satisfies the Depends
 * alternative, after the test has seen dpkg refuse the package without it.
 */
class DpkgInstallIT {

    private static final Path ROOT = DebianRoot.ROOT;
    private static final String UNIT = "goldentooth-agent.service";

    @BeforeAll
    static void debootstrap() throws Exception {
        DebianRoot.ensure();
    }

    private static Commands.Result dpkg(String... args) throws Exception {
        return DebianRoot.dpkg(args);
    }

    private static Optional<String[]> passwdEntry(String user) throws Exception {
        return Files.readAllLines(ROOT.resolve("etc/passwd")).stream()
                .map(l -> l.split(":")).filter(f -> f[0].equals(user)).findFirst();
    }

    @Test
    void installCreatesTheUserAndEnablesTheUnitAndPurgeRemovesTheState() throws Exception {
        String deb = Commands.debFile().toString();

        Commands.Result withoutJava = dpkg("-i", deb);
        assertNotEquals(0, withoutJava.exitCode(), "must refuse without a Java 17 runtime");
        assertTrue(withoutJava.all().contains("java17-runtime-headless"), withoutJava.all());

        DebianRoot.installJavaStandIn();
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
        assertEquals("goldentooth:goldentooth 750", DebianRoot.owner(ROOT.resolve("var/lib/goldentooth")));
        assertEquals("root:goldentooth 750", DebianRoot.owner(ROOT.resolve("etc/goldentooth")));
        assertEquals("root:goldentooth 640", DebianRoot.owner(ROOT.resolve("etc/goldentooth/node-agent.properties")));
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

        Commands.Result cleanup = dpkg("--purge", DebianRoot.JAVA_STAND_IN);
        assertEquals(0, cleanup.exitCode(), cleanup.all());
    }
}
