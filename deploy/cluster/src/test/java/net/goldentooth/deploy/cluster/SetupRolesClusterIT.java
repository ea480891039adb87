package net.goldentooth.deploy.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.goldentooth.testkit.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@code setup_*} playbooks as a user runs them: {@code goldentooth setup_slurm --limit bettley}
 * and {@code goldentooth setup_haproxy --limit allyrion}, each a provisioner playbook job over SSH
 * into the machines of {@code ./goldentooth cluster up --nodes 2} (systemd as PID 1, no network off
 * this machine; the image carries the packages). The cluster inventory keeps the seed's groups for
 * the machines booted: allyrion is {@code haproxy}, bettley {@code slurm_controller},
 * {@code slurm_compute} and {@code k8s_control_plane}. No agent is joined: the playbooks need none.
 * Real daemons throughout (munged, slurmctld, slurmd, haproxy); nothing is a mock.
 *
 * <p>Not here: {@code setup_nfs}. The kernel NFS server cannot run inside a systemd-nspawn machine on
 * this host (see deploy/ansible/README.md for the error); the role's files are tested in a Debian
 * root by {@code ServiceRolesIT}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SetupRolesClusterIT {

    private static final Pattern RECAP = Pattern.compile("(?m)^(\\S+)\\s*:\\s*ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)\\s+failed=(\\d+)");
    private Cluster cluster;

    @BeforeAll
    void up() throws Exception {
        MachineSupport.requireOrSkip();
        Path root = KafkaBroker.projectRoot();
        Path state = root.resolve("deploy/cluster/target/setup-roles-it");
        Files.createDirectories(state);
        cluster = new Cluster(root, state, Cluster.freeOffset(), Map.of());
        cluster.goldentooth(900, "cluster", "up", "--nodes", "2").ok("cluster up");
    }

    @AfterAll
    void down() {
        if (cluster != null) {
            cluster.goldentooth(300, "cluster", "down").ok("cluster down");
            assertFalse(Files.exists(cluster.state.resolve("cluster/machines/bettley")), "cluster down removes the machines");
        }
    }

    /**
     * Invariant: one playbook job makes bettley a working Slurm node with its own controller
     * (the inventory's slurm_controller): munged, slurmctld and slurmd enabled and running, the node
     * {@code idle} (never {@code inval}) with a RealMemory no larger than what slurmd itself measures
     * on the machine, a job runs on it; a second run changes nothing.
     */
    @Test
    void setupSlurmAsAJobConfiguresAWorkingSlurmdAndASecondRunChangesNothing() {
        String node = "bettley";
        Recap first = recap(cluster.goldentooth(600, "setup_slurm", "--limit", node).ok("setup_slurm"), node);
        assertTrue(first.changed() > 0, "the first run configures the node: " + first);

        assertEquals("enabled\nenabled\nenabled", cluster.execOk(node, "systemctl is-enabled munge slurmctld slurmd"));
        // One line per partition the node is in (general, debug): all of them idle.
        String states = "sinfo -h -N -n " + node + " -o %T | sort -u";
        Cluster.await(Duration.ofSeconds(60), node + " registers idle with slurmctld",
                () -> "idle".equals(cluster.exec(node, states).output().strip()));
        assertEquals("active\nactive\nactive", cluster.execOk(node, "systemctl is-active munge slurmctld slurmd"));

        String shown = cluster.execOk(node, "scontrol show node " + node + " --oneliner");
        long configured = field(shown, "RealMemory");
        long measuredBySlurmd = field(cluster.execOk(node, "slurmd -C"), "RealMemory");
        long memTotalMib = Long.parseLong(cluster.execOk(node, "awk '/^MemTotal:/ {print $2}' /proc/meminfo")) / 1024;
        assertEquals(memTotalMib / 16 * 16, configured, "RealMemory is the measured MemTotal rounded down to 16 MiB: " + shown);
        assertTrue(configured <= measuredBySlurmd, "configured " + configured + " MiB <= slurmd's own " + measuredBySlurmd);
        assertTrue(shown.contains("State=IDLE") && !shown.contains("INVAL") && !shown.contains("Reason="), shown);
        assertEquals(node, cluster.execOk(node, "timeout 30 srun -N1 -w " + node + " hostname"), "a job runs on the node");

        Recap second = recap(cluster.goldentooth(600, "setup_slurm", "--limit", node).ok("setup_slurm again"), node);
        assertEquals(0, second.changed(), "a second run changes nothing: " + second);
        assertEquals("idle", cluster.execOk(node, states));
    }

    /**
     * Invariant: one playbook job puts HAProxy on allyrion in front of the inventory's API servers
     * (bettley), enabled and running with a configuration {@code haproxy -c} accepts; the stats
     * socket the agent reads shows the seed's bootstrap state (the backend DOWN while no API server
     * listens) and the server UP once one does; a second run changes nothing.
     */
    @Test
    void setupHaproxyAsAJobRunsHaproxyWhoseBackendFollowsTheApiServerAndASecondRunChangesNothing() {
        String node = "allyrion";
        Recap first = recap(cluster.goldentooth(600, "setup_haproxy", "--limit", node).ok("setup_haproxy"), node);
        assertTrue(first.changed() > 0, "the first run configures the node: " + first);
        assertEquals("enabled", cluster.execOk(node, "systemctl is-enabled haproxy"));
        assertEquals("active", cluster.execOk(node, "systemctl is-active haproxy"));
        cluster.execOk(node, "haproxy -c -f /etc/haproxy/haproxy.cfg");
        assertTrue(cluster.execOk(node, "grep -E '^ +server ' /etc/haproxy/haproxy.cfg").contains("server bettley " + machineIp(1) + ":6443"));

        Cluster.await(Duration.ofSeconds(30), "bettley is DOWN while nothing listens on :6443",
                () -> serverStatus(node).startsWith("DOWN"));
        // A stand-in API server: something that accepts TCP on bettley:6443 (the check is tcp-check).
        cluster.execOk("bettley", "systemd-run --unit=it-api python3 -c 'import socket,time\n"
                + "s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((\"\", 6443)); s.listen(16)\n"
                + "while True: s.accept()[0].close()'");
        try {
            Cluster.await(Duration.ofSeconds(30), "bettley is UP once its API port answers",
                    () -> serverStatus(node).startsWith("UP"));
        } finally {
            cluster.exec("bettley", "systemctl stop it-api");
        }

        Recap second = recap(cluster.goldentooth(600, "setup_haproxy", "--limit", node).ok("setup_haproxy again"), node);
        assertEquals(0, second.changed(), "a second run changes nothing: " + second);
    }

    // --- helpers ---------------------------------------------------------------------------------

    record Recap(String host, int ok, int changed, int unreachable, int failed) {
    }

    /** The PLAY RECAP line of {@code host} in a playbook job's output, which must show no failure. */
    private static Recap recap(Cluster.Result result, String host) {
        Matcher m = RECAP.matcher(result.output());
        Recap found = null;
        while (m.find()) {
            if (m.group(1).equals(host)) {
                found = new Recap(host, Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                        Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)));
            }
        }
        if (found == null) {
            throw new AssertionError("no PLAY RECAP line for " + host + ":\n" + result.output());
        }
        assertEquals(0, found.failed() + found.unreachable(), result.output());
        return found;
    }

    /** The status column of bettley in the k8s_api_servers backend, read from HAProxy's stats socket. */
    private String serverStatus(String node) {
        String csv = cluster.execOk(node, "python3 -c 'import socket\n"
                + "s=socket.socket(socket.AF_UNIX); s.connect(\"/run/haproxy/admin.sock\"); s.sendall(b\"show stat\\n\")\n"
                + "print(b\"\".join(iter(lambda: s.recv(65536), b\"\")).decode())'");
        for (String line : csv.split("\n")) {
            String[] f = line.split(",", -1);
            if (f.length > 17 && "k8s_api_servers".equals(f[0]) && "bettley".equals(f[1])) {
                return f[17];
            }
        }
        throw new AssertionError("no k8s_api_servers/bettley row in show stat:\n" + csv);
    }

    private static long field(String text, String name) {
        Matcher m = Pattern.compile("(?:^|\\s)" + name + "=(\\d+)").matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + name + " in: " + text);
        }
        return Long.parseLong(m.group(1));
    }

    /** The address cluster.sh gives the machine of this index: 10.99.(offset/100 % 200 + 20).(10 + index). */
    private String machineIp(int index) {
        return "10.99." + ((cluster.offset / 100) % 200 + 20) + "." + (10 + index);
    }
}
