package net.goldentooth.storage.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import net.goldentooth.storage.zfs.ZfsCommands;
import org.junit.jupiter.api.Test;

/** The SSH transport's command line: credentials from configuration, host keys always verified. */
class SshTransportTest {

    private static final Transport.SshSettings SETTINGS = new Transport.SshSettings("root",
            Path.of("/var/lib/goldentooth/agent/ssh/root_ed25519"), Path.of("/var/lib/goldentooth/agent/ssh/root_ed25519-cert.pub"),
            Path.of("/etc/goldentooth/ssh_known_hosts"), 2222);

    @Test
    void theReceiveRunsOnTheTargetWithTheCertificateAndVerifiedHostKeys() {
        String command = Transport.ssh(SETTINGS).reach("gardener", "zfs receive -F 'rpool/data'");
        assertEquals("ssh -o BatchMode=yes -o StrictHostKeyChecking=yes"
                + " -o UserKnownHostsFile='/etc/goldentooth/ssh_known_hosts' -o GlobalKnownHostsFile=/dev/null"
                + " -o IdentitiesOnly=yes -i '/var/lib/goldentooth/agent/ssh/root_ed25519'"
                + " -o CertificateFile='/var/lib/goldentooth/agent/ssh/root_ed25519-cert.pub' -p 2222 -l root gardener"
                + " 'zfs receive -F '\\''rpool/data'\\'''", command);
        assertFalse(command.contains("StrictHostKeyChecking=no"));
    }

    @Test
    void aDatasetNameWithASpaceReachesTheRemoteShellAsOneWord() throws Exception {
        // The command the source runs, evaluated by a real shell down to what ssh would hand the target.
        String remote = "zfs receive -F " + ZfsCommands.quote("rpool/my data");
        String local = Transport.ssh(SETTINGS).reach("gardener", remote);
        String lastArgument = local.substring(local.indexOf(" gardener ") + " gardener ".length());
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf %s " + lastArgument).start();
        assertEquals(remote, new String(p.getInputStream().readAllBytes()));
        assertEquals(0, p.waitFor());
    }

    @Test
    void badSettingsAndHostNamesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Transport.ssh(SETTINGS).reach("gardener; reboot", "true"));
        assertThrows(IllegalArgumentException.class, () -> new Transport.SshSettings("root", Path.of("key"),
                Path.of("/c"), Path.of("/k"), 22));
        assertThrows(IllegalArgumentException.class, () -> new Transport.SshSettings("root", Path.of("/key"),
                Path.of("/c"), Path.of("/k"), 0));
        assertThrows(IllegalArgumentException.class, () -> new Transport.SshSettings("Root Admin", Path.of("/key"),
                Path.of("/c"), Path.of("/k"), 22));
        assertTrue(Transport.local().reach("gardener", "zfs receive -F 'x'").equals("zfs receive -F 'x'"));
    }
}
