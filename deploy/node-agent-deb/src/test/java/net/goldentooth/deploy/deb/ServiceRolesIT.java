package net.goldentooth.deploy.deb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * deploy/ansible's setup_haproxy, setup_slurm and setup_nfs, each run for real into the
 * {@link DebianRoot} through Ansible's chroot connection (apt installs Debian's haproxy, munge,
 * slurmctld, slurmd and nfs-kernel-server inside it), then a second time to show it changes nothing.
 * A chroot has no systemd, so the services are not started here (the roles skip that part where no
 * systemd runs; a policy-rc.d keeps the packages' init scripts from starting daemons on this
 * machine's network); {@code /proc} is mounted for the memory Ansible measures for slurm.conf. What
 * is installed is purged afterwards so the shared root stays minimal.
 */
class ServiceRolesIT {

    private static final Path ANSIBLE = Path.of(System.getProperty("goldentooth.root"), "deploy", "ansible");
    private static final List<String> PACKAGES = List.of("haproxy", "munge", "slurmctld", "slurmd", "slurm-client",
            "slurm-wlm-basic-plugins", "nfs-kernel-server");

    private static Commands.Result playbook(String playbook, Path inventory) throws Exception {
        Commands.require("ansible-playbook", "ansible");
        List<String> command = new ArrayList<>(List.of("ansible-playbook", playbook, "-i", inventory.toString()));
        return Commands.run(command, 900, ANSIBLE);
    }

    @Test
    void syntaxCheckAndLintPass() throws Exception {
        for (String playbook : List.of("setup_haproxy.yaml", "setup_slurm.yaml", "setup_nfs.yaml")) {
            Commands.Result syntax = Commands.run(List.of("ansible-playbook", "--syntax-check", playbook), 120, ANSIBLE);
            assertEquals(0, syntax.exitCode(), syntax.all());
        }
        Commands.require("ansible-lint", "ansible-lint");
        Commands.Result lint = Commands.run(List.of("ansible-lint", "--offline", "--nocolor", "setup_haproxy.yaml",
                "setup_slurm.yaml", "setup_nfs.yaml"), 600, ANSIBLE);
        assertEquals(0, lint.exitCode(), lint.all());
    }

    @Test
    void theRolesConfigureADebianRootAndASecondRunChangesNothing() throws Exception {
        Commands.require("chroot", "coreutils");
        Path root = DebianRoot.ensure();
        Path policy = root.resolve("usr/sbin/policy-rc.d");
        Files.writeString(policy, "#!/bin/sh\n# ServiceRolesIT: no daemon starts inside the test root\nexit 101\n");
        Files.setPosixFilePermissions(policy, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(Path.of("/etc/resolv.conf"), root.resolve("etc/resolv.conf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Commands.ok(List.of("mount", "-t", "proc", "proc", root.resolve("proc").toString()));
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "service-roles");
        Path inventory = work.resolve("inventory.yaml");
        Files.writeString(inventory, """
                all:
                  vars:
                    ansible_python_interpreter: /usr/bin/python3
                  children:
                    haproxy:
                      hosts:
                        karstark: {ansible_connection: community.general.chroot, ansible_host: %s,
                                   slurm_node_address: 127.0.0.1}
                    k8s_control_plane:
                      hosts:
                        bettley: {ansible_host: 10.4.0.11}
                        cargyll: {ansible_host: 10.4.0.12}
                    slurm_controller:
                      hosts:
                        karstark:
                    slurm_compute:
                      hosts:
                        karstark:
                    nfs_server:
                      hosts:
                        karstark: {nfs_export: /srv/goldentooth-export}
                """.formatted(root));
        try {
            for (String playbook : List.of("setup_haproxy.yaml", "setup_slurm.yaml", "setup_nfs.yaml")) {
                Commands.Result first = playbook(playbook, inventory);
                assertEquals(0, first.exitCode(), first.all());
                Commands.Result second = playbook(playbook, inventory);
                assertEquals(0, second.exitCode(), second.all());
                assertTrue(second.all().contains("changed=0"), playbook + ": a second run must change nothing:\n"
                        + second.all());
            }
            String haproxy = Files.readString(root.resolve("etc/haproxy/haproxy.cfg"));
            assertTrue(haproxy.contains("server bettley 10.4.0.11:6443 check"), haproxy);
            assertTrue(haproxy.contains("server cargyll 10.4.0.12:6443 check"), haproxy);
            assertTrue(haproxy.contains("stats socket /run/haproxy/admin.sock mode 660 level user group haproxy"), haproxy);
            Commands.Result check = Commands.run(List.of("chroot", root.toString(), "haproxy", "-c", "-f",
                    "/etc/haproxy/haproxy.cfg"));
            assertEquals(0, check.exitCode(), check.all());

            long memTotalMb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .mapToLong(l -> Long.parseLong(l.replaceAll("\\D+", "")) / 1024).findFirst().orElseThrow();
            String slurm = Files.readString(root.resolve("etc/slurm/slurm.conf"));
            assertTrue(slurm.contains("SlurmctldHost=karstark(127.0.0.1)"), slurm);
            String node = slurm.lines().filter(l -> l.startsWith("NodeName=karstark ")).findFirst().orElseThrow();
            long realMemory = Long.parseLong(node.replaceAll(".*RealMemory=(\\d+).*", "$1"));
            assertTrue(realMemory <= memTotalMb && realMemory > memTotalMb - 16,
                    "RealMemory " + realMemory + " must be the measured " + memTotalMb + " MiB rounded down to 16");
            assertEquals("400", Commands.ok(List.of("stat", "-c", "%a", root.resolve("etc/munge/munge.key").toString())).trim());
            assertEquals("munge:munge 400", DebianRoot.owner(root.resolve("etc/munge/munge.key")));

            assertEquals("# Ansible managed\n/srv/goldentooth-export 10.4.0.0/20(rw,sync,no_subtree_check)\n",
                    Files.readString(root.resolve("etc/exports.d/goldentooth.exports")));
        } finally {
            Commands.run(List.of("umount", root.resolve("proc").toString()));
            List<String> purge = new ArrayList<>(List.of("chroot", root.toString(), "apt-get", "purge", "-y", "-q"));
            purge.addAll(PACKAGES);
            Commands.run(purge, 300);
            Commands.run(List.of("chroot", root.toString(), "apt-get", "autoremove", "--purge", "-y", "-q"), 300);
            Commands.run(List.of("rm", "-rf", policy.toString(), root.resolve("etc/exports.d").toString(),
                    root.resolve("srv/goldentooth-export").toString(), root.resolve("etc/slurm").toString(),
                    root.resolve("etc/munge").toString()));
        }
    }
}
