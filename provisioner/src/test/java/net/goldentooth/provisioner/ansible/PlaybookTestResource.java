package net.goldentooth.provisioner.ansible;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import net.goldentooth.testkit.OpenSshd;

/**
 * An inventory of two hosts: this machine reached with {@code ansible_connection=local}, and
 * {@code sshnode}, a real OpenSSH sshd on 127.0.0.1:21090 that Ansible reaches over ssh with an
 * OpenSSH user certificate (the key is in no authorized_keys; sshd trusts only the user CA) and a
 * pinned host key. Plus the fixture playbooks of {@code src/test/resources/ansible}, a temporary
 * log directory and a small output cap (8 KiB, 1 KiB tail) so a chatty playbook goes over it.
 */
public class PlaybookTestResource implements QuarkusTestResourceLifecycleManager {

    static final int SSHD_PORT = 21090;

    static Path dir;
    private OpenSshd sshd;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("provisioner-playbook-it");
            OpenSshd.Credentials credentials = OpenSshd.Credentials.create(dir.resolve("client"));
            sshd = OpenSshd.start(SSHD_PORT, dir.resolve("sshd"), credentials);
            Path knownHosts = Files.writeString(dir.resolve("known_hosts"), sshd.knownHostsLine() + "\n");
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      children:
                        local:
                          hosts:
                            localhost:
                              ansible_host: 127.0.0.1
                              ansible_connection: local
                              ansible_python_interpreter: /usr/bin/python3
                        nodes:
                          hosts:
                            sshnode:
                              ansible_host: 127.0.0.1
                              ansible_port: %d
                              ansible_user: root
                              ansible_ssh_private_key_file: %s
                              ansible_ssh_common_args: "-o UserKnownHostsFile=%s -o GlobalKnownHostsFile=/dev/null -o StrictHostKeyChecking=yes"
                              ansible_python_interpreter: /usr/bin/python3
                    """.formatted(SSHD_PORT, credentials.certifiedKey(), knownHosts));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of(
                "goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString(),
                "goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString(),
                "goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString(),
                "goldentooth.provisioner.max-output-bytes", "8192",
                "goldentooth.provisioner.playbooks.dir", Path.of("src/test/resources/ansible").toAbsolutePath().toString(),
                "goldentooth.provisioner.playbooks.log-dir", dir.resolve("logs").toString(),
                "goldentooth.provisioner.playbooks.tail-bytes", "1024");
    }

    @Override
    public void stop() {
        // the temporary directory holds only test files; the OS cleans /tmp
        if (sshd != null) {
            sshd.close();
        }
    }
}
