package net.goldentooth.provisioner.ssh;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.goldentooth.testkit.OpenSshd;

/**
 * Two real sshd hosts on loopback ({@code alpha} on 20011, {@code beta} on 20012), a host whose
 * port is closed ({@code down}, 20019) and a bootstrap host ({@code gamma}, sshd on 20013, trusted
 * on first contact); the provisioner logs in with a key that has a user certificate, and the
 * bootstrap's service commands write into {@link #remote} instead of calling systemd (this
 * machine has no systemd as PID 1).
 */
public class SshTestResource implements QuarkusTestResourceLifecycleManager {

    static Path dir;
    static Path remote;
    static Path artifact;
    static Path knownHosts;
    private final List<OpenSshd> servers = new java.util.ArrayList<>();

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("provisioner-ssh-it");
            OpenSshd.Credentials credentials = OpenSshd.Credentials.create(dir.resolve("client"));
            OpenSshd alpha = OpenSshd.start(20011, dir.resolve("alpha"), credentials);
            OpenSshd beta = OpenSshd.start(20012, dir.resolve("beta"), credentials);
            OpenSshd gamma = OpenSshd.start(20013, dir.resolve("gamma"), credentials);
            servers.addAll(List.of(alpha, beta, gamma));
            knownHosts = dir.resolve("known_hosts");
            Files.writeString(knownHosts, alpha.knownHostsLine() + "\n" + beta.knownHostsLine() + "\n");
            Files.writeString(dir.resolve("inventory.yaml"), """
                    all:
                      vars:
                        ansible_user: root
                      hosts:
                        alpha: {ansible_host: 127.0.0.1, ansible_port: 20011}
                        beta: {ansible_host: 127.0.0.1, ansible_port: 20012}
                        down: {ansible_host: 127.0.0.1, ansible_port: 20019}
                        gamma: {ansible_host: 127.0.0.1, ansible_port: 20013, goldentooth_ssh_first_contact: true}
                    """);
            artifact = dir.resolve("node-agent");
            Files.createDirectories(artifact.resolve("lib"));
            Files.writeString(artifact.resolve("quarkus-run.jar"), "pretend jar\n");
            Files.writeString(artifact.resolve("lib/a.jar"), "a\n");
            Files.writeString(artifact.resolve("lib/b.jar"), "b\n");
            remote = dir.resolve("remote");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("goldentooth.provisioner.inventory", dir.resolve("inventory.yaml").toString());
        config.put("goldentooth.provisioner.signing-key", dir.resolve("task-signing.key").toString());
        config.put("goldentooth.provisioner.signing-public-key", dir.resolve("task-signing.pub").toString());
        config.put("goldentooth.provisioner.accept-deadline", "3s");
        config.put("goldentooth.provisioner.ssh.identity", dir.resolve("client/id_certified").toString());
        config.put("goldentooth.provisioner.ssh.known-hosts", knownHosts.toString());
        config.put("goldentooth.provisioner.ssh.connect-timeout", "3s");
        config.put("goldentooth.provisioner.ssh.bootstrap.artifact", artifact.toString());
        config.put("goldentooth.provisioner.ssh.bootstrap.agent-dir", remote.resolve("opt/node-agent").toString());
        config.put("goldentooth.provisioner.ssh.bootstrap.config-dir", remote.resolve("etc").toString());
        config.put("goldentooth.provisioner.ssh.bootstrap.kafka-bootstrap-servers", "10.4.0.10:9092");
        String state = remote.resolve("service-running").toString();
        String log = remote.resolve("service.log").toString();
        config.put("goldentooth.provisioner.ssh.bootstrap.service-check-command", "test -f " + state);
        config.put("goldentooth.provisioner.ssh.bootstrap.service-start-command",
                "touch " + state + " && echo start >> " + log);
        config.put("goldentooth.provisioner.ssh.bootstrap.service-restart-command", "echo restart >> " + log);
        return config;
    }

    @Override
    public void stop() {
        servers.forEach(OpenSshd::close);
    }
}
