package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.goldentooth.events.storage.ReplicationState;
import net.goldentooth.events.storage.ReplicationStatus;
import net.goldentooth.storage.shell.NodeShell;
import net.goldentooth.storage.shell.ShellResult;
import org.junit.jupiter.api.Test;

/**
 * Resume tokens against a SCRIPTED shell, not a real ZFS: each command is matched by its prefix, in
 * order, and answered with canned output written after OpenZFS's documented behaviour
 * ({@code receive_resume_token}, {@code zfs send -t}, {@code zfs receive -A}). These tests check
 * the replicator's resume / abort-and-restart logic only; they do not show that a real OpenZFS
 * accepts the commands.
 *
 * <p>No real ZFS here can do better: Debian's zfs-fuse (0.7.0, checked on the build machine) has no
 * resumable receive. Its usage is {@code receive [-vnF] <filesystem|volume|snapshot>} and
 * {@code receive [-vnF] -d <filesystem>}; {@code zfs receive -s} answers "invalid option 's'",
 * {@code zfs send -t} "invalid option 't'", and {@code zfs get receive_resume_token} "bad property
 * list: invalid property 'receive_resume_token'". {@code ZfsFuseReplicationIT} asserts exactly that
 * on the real zfs-fuse, and that the replicator then sends with plain {@code zfs receive -F}.
 */
class ReplicatorTest {

    record Step(String node, String commandPrefix, ShellResult result) {
    }

    static final class ScriptedShell implements NodeShell {
        final Deque<Step> steps = new ArrayDeque<>();
        final List<String> ran = new ArrayList<>();

        ScriptedShell expect(String node, String prefix, int exit, String stdout, String stderr) {
            steps.add(new Step(node, prefix, new ShellResult(exit, stdout, stderr)));
            return this;
        }

        @Override
        public ShellResult run(String node, String command, String stdin) {
            ran.add(node + ": " + command);
            Step step = steps.poll();
            if (step == null || !node.equals(step.node()) || !command.contains(step.commandPrefix())) {
                throw new AssertionError("unexpected " + node + ": " + command + "; expected " + step);
            }
            return step.result();
        }
    }

    static final String LIST = "zfs get -Hp -d 1";
    static String listing(String... snaps) {
        StringBuilder out = new StringBuilder("rpool/data\tcreation\t100\nrpool/data\tguid\t1\n");
        long t = 1000;
        for (String s : snaps) {
            out.append("rpool/data@").append(s).append("\tcreation\t").append(t).append('\n');
            out.append("rpool/data@").append(s).append("\tguid\t").append(s.hashCode() & 0xffff).append('\n');
            t += 3600;
        }
        return out.toString();
    }

    final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    @Test
    void aResumeTokenIsUsedFirst() {
        ScriptedShell shell = new ScriptedShell()
                .expect("allyrion", LIST, 0, listing("a", "b", "c"), "")
                .expect("gardener", "receive_resume_token", 0, "1-abc123-de\n", "")
                .expect("allyrion", "zfs send -t 1-abc123-de", 0, "goldentooth-bytes 4096\n", "")
                .expect("gardener", LIST, 0, listing("a", "b", "c"), "")
                .expect("allyrion", "zfs hold 'goldentooth-gardener' 'rpool/data@c'", 0, "", "");
        ReplicationStatus status = new Replicator(shell, Transport.ssh(new Transport.SshSettings("root",
                        Path.of("/var/lib/goldentooth/agent/ssh/root_ed25519"), Path.of("/var/lib/goldentooth/agent/ssh/root_ed25519-cert.pub"),
                        Path.of("/etc/goldentooth/ssh_known_hosts"), 22)), clock)
                .replicate("rpool/data", "allyrion", "gardener", "rpool/data", null);
        assertEquals(ReplicationState.IN_SYNC, status.state(), status.toString());
        assertEquals(4096, status.bytesSent());
        assertTrue(shell.ran.get(2).contains("-l root gardener 'zfs receive -F -s "), shell.ran.get(2));
        assertTrue(shell.steps.isEmpty());
    }

    @Test
    void anUnusableTokenIsAbortedAndTheSendRestartsFromTheCommonBase() {
        ScriptedShell shell = new ScriptedShell()
                .expect("allyrion", LIST, 0, listing("a", "b", "c"), "")
                .expect("gardener", "receive_resume_token", 0, "1-stale-token\n", "")
                .expect("allyrion", "zfs send -t 1-stale-token", 1, "goldentooth-bytes 0\n",
                        "cannot resume send: 'rpool/data@b' used in the initial send no longer exists")
                .expect("gardener", "zfs receive -A 'rpool/data'", 0, "", "")
                .expect("gardener", LIST, 0, listing("a"), "")
                .expect("allyrion", "zfs send -I 'rpool/data@a' 'rpool/data@c'", 0, "goldentooth-bytes 9000\n", "")
                .expect("allyrion", "zfs hold", 0, "", "");
        ReplicationStatus status = new Replicator(shell, Transport.local(), clock)
                .replicate("rpool/data", "allyrion", "gardener", "rpool/data", null);
        assertEquals(ReplicationState.IN_SYNC, status.state(), status.toString());
        assertEquals("c", status.lastCommon());
        assertEquals(9000, status.bytesSent());
        assertTrue(shell.steps.isEmpty(), "left: " + shell.steps);
    }

    @Test
    void anUnreachableTargetFailsThePairWithoutSending() {
        ScriptedShell shell = new ScriptedShell()
                .expect("allyrion", LIST, 0, listing("a", "b"), "")
                .expect("gardener", "receive_resume_token", 0, "-\n", "")
                .expect("gardener", LIST, 1, "", "cannot open 'rpool': no such pool");
        ReplicationStatus status = new Replicator(shell, Transport.local(), clock)
                .replicate("rpool/data", "allyrion", "gardener", "rpool/data", null);
        assertEquals(ReplicationState.FAILED, status.state());
        assertTrue(status.lastError().contains("no such pool"), status.lastError());
    }
}
