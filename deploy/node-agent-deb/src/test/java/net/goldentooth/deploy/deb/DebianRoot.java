package net.goldentooth.deploy.deb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A minimal Debian bookworm root made by {@code debootstrap --variant=minbase} (about a minute),
 * kept in target/ between runs. Python and python3-apt are there for Ansible's chroot connection,
 * sudo for visudo. Nothing on this machine changes: dpkg --root and the chroot connection act inside.
 */
final class DebianRoot {

    static final Path ROOT = Path.of("target", "debootstrap-root").toAbsolutePath();
    private static final String INCLUDE = "python3,python3-apt,sudo";
    /** Names what the root was made with, so a changed list makes a new root. */
    private static final Path READY = ROOT.resolve(".goldentooth-ready-" + INCLUDE.replace(',', '-'));
    static final String JAVA_STAND_IN = "goldentooth-test-java17";

    static synchronized Path ensure() throws Exception {
        Commands.require("debootstrap", "debootstrap");
        Commands.require("dpkg", "dpkg");
        if (!Files.exists(READY)) {
            Commands.run(List.of("rm", "-rf", ROOT.toString()));
            Commands.ok(List.of("debootstrap", "--variant=minbase", "--include=" + INCLUDE, "bookworm",
                    ROOT.toString(), System.getProperty("debootstrap.mirror", "http://deb.debian.org/debian")));
            Files.createFile(READY);
        }
        // A root left dirty by an interrupted earlier run starts clean.
        dpkg("--purge", "goldentooth-agent", JAVA_STAND_IN);
        return ROOT;
    }

    static Commands.Result dpkg(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("dpkg", "--root=" + ROOT, "--force-unsafe-io"));
        command.addAll(List.of(args));
        return Commands.run(command);
    }

    /**
     * The root has no JRE (a real one is 200 MB); this empty package provides
     * {@code java17-runtime-headless}, the second alternative of the agent's Depends.
     */
    static void installJavaStandIn() throws Exception {
        Path dir = Path.of("target", "java17-stand-in").toAbsolutePath();
        Files.createDirectories(dir.resolve("DEBIAN"));
        Files.writeString(dir.resolve("DEBIAN/control"), """
                Package: goldentooth-test-java17
                Version: 1.0
                Architecture: all
                Maintainer: Goldentooth tests <goldentooth@goldentooth.net>
                Provides: java17-runtime-headless
                Description: test stand-in for a Java 17 runtime (node-agent-deb ITs only)
                """);
        Path deb = Path.of("target", "goldentooth-test-java17_1.0_all.deb").toAbsolutePath();
        Commands.ok(List.of("dpkg-deb", "--root-owner-group", "--build", dir.toString(), deb.toString()));
        Commands.Result result = dpkg("-i", deb.toString());
        assertEquals(0, result.exitCode(), result.all());
    }

    /** The names of the root's own passwd or group file for a numeric id. */
    static String nameOf(String file, String id) throws Exception {
        return Files.readAllLines(ROOT.resolve(file)).stream().map(l -> l.split(":"))
                .filter(f -> f[2].equals(id)).map(f -> f[0]).findFirst().orElse("#" + id);
    }

    /** "user:group mode" of a file in the root, with the root's names, not this machine's. */
    static String owner(Path path) throws Exception {
        String[] stat = Commands.ok(List.of("stat", "-c", "%u %g %a", path.toString())).trim().split(" ");
        return nameOf("etc/passwd", stat[0]) + ":" + nameOf("etc/group", stat[1]) + " " + stat[2];
    }

    private DebianRoot() {
    }
}
