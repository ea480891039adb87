package net.goldentooth.deploy.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Whether this machine can boot the cluster's machines. Only a missing kernel capability skips the
 * tests, each probed directly (overlayfs, the namespaces nspawn makes, a bridge and a veth pair),
 * with a one-line reason. Everything else fails: not root, a missing tool (with the package that
 * has it), and any error of cluster.sh itself, so a broken script is never hidden behind a skip.
 */
final class MachineSupport {

    private MachineSupport() {
    }

    static void requireOrSkip() throws IOException, InterruptedException {
        String user = run(List.of("id", "-u")).output.strip();
        if (!"0".equals(user)) {
            throw new AssertionError("the cluster tests need root (CI runs as root); uid is " + user);
        }
        for (String[] tool : new String[][] {{"systemd-nspawn", "systemd-container"}, {"debootstrap", "debootstrap"},
                {"nsenter", "util-linux"}, {"ip", "iproute2"}, {"ssh-keygen", "openssh-client"},
                {"ansible-playbook", "ansible"}, {"dpkg-deb", "dpkg"}}) {
            if (run(List.of("sh", "-c", "command -v " + tool[0])).code != 0) {
                throw new AssertionError(tool[0] + " is missing: apt-get install " + tool[1]);
            }
        }
        if (!Files.readString(Path.of("/proc/filesystems")).contains("\toverlay\n")) {
            Assumptions.abort("kernel cannot boot cluster machines: no overlayfs in /proc/filesystems");
        }
        Probe ns = run(List.of("unshare", "--pid", "--fork", "--mount", "--net", "--uts", "--ipc", "true"));
        if (ns.code != 0) {
            Assumptions.abort("kernel cannot boot cluster machines: unshare of pid/mount/net/uts/ipc namespaces failed: "
                    + ns.output.strip());
        }
        String suffix = Long.toString(ProcessHandle.current().pid() % 100_000);
        Probe bridge = run(List.of("ip", "link", "add", "gtprobe" + suffix, "type", "bridge"));
        run(List.of("ip", "link", "del", "gtprobe" + suffix));
        if (bridge.code != 0) {
            Assumptions.abort("kernel cannot boot cluster machines: no bridge device: " + bridge.output.strip());
        }
        Probe veth = run(List.of("ip", "link", "add", "gtpv" + suffix, "type", "veth", "peer", "name", "gtpw" + suffix));
        run(List.of("ip", "link", "del", "gtpv" + suffix));
        if (veth.code != 0) {
            Assumptions.abort("kernel cannot boot cluster machines: no veth pairs: " + veth.output.strip());
        }
    }

    private record Probe(int code, String output) {
    }

    private static Probe run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Probe(-1, command + " did not finish");
        }
        return new Probe(process.exitValue(), output);
    }
}
