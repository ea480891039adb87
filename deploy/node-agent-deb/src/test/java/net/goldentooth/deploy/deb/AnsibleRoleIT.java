package net.goldentooth.deploy.deb;

import net.goldentooth.events.signing.SigningKeys;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/ansible/setup_node_agent.yaml: syntax and lint, the refusal of a run without its required
 * settings, and a real run of the role into the {@link DebianRoot} through Ansible's chroot
 * connection (package installed by apt from the copied .deb, files written, sudo rule validated by
 * the root's visudo), run twice to show the second run changes nothing.
 */
class AnsibleRoleIT {

    private static final Path ANSIBLE = Path.of(System.getProperty("goldentooth.root"), "deploy", "ansible");
    private static final String PLAYBOOK = "setup_node_agent.yaml";

    private static Commands.Result playbook(List<String> args) throws Exception {
        Commands.require("ansible-playbook", "ansible");
        List<String> command = new ArrayList<>(List.of("ansible-playbook", PLAYBOOK));
        command.addAll(args);
        return Commands.run(command, 600, ANSIBLE);
    }

    @Test
    void syntaxCheckAndLintPass() throws Exception {
        Commands.Result syntax = playbook(List.of("--syntax-check"));
        assertEquals(0, syntax.exitCode(), syntax.all());
        Commands.require("ansible-lint", "ansible-lint");
        Commands.Result lint = Commands.run(List.of("ansible-lint", "--offline", "--nocolor", PLAYBOOK), 600, ANSIBLE);
        assertEquals(0, lint.exitCode(), lint.all());
    }

    @Test
    void aRunWithoutKafkaOrKeyStopsBeforeChangingAnything() throws Exception {
        Commands.Result run = playbook(List.of("-i", "localhost,", "-c", "local", "--check",
                "-e", "goldentooth_agent_hosts=localhost"));
        assertNotEquals(0, run.exitCode(), run.all());
        assertTrue(run.all().contains("Set goldentooth_agent_deb_file"), run.all());
        assertTrue(run.all().contains("changed=0"), run.all());
    }

    @Test
    void theRoleInstallsConfiguresAndIsIdempotentInADebianRoot() throws Exception {
        Commands.require("chroot", "coreutils");
        Path root = DebianRoot.ensure();
        DebianRoot.installJavaStandIn();
        Path work = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "ansible-run");
        Path inventory = work.resolve("inventory.yaml");
        Files.writeString(inventory, """
                all:
                  hosts:
                    testnode:
                      ansible_connection: community.general.chroot
                      ansible_host: %s
                      ansible_python_interpreter: /usr/bin/python3
                """.formatted(root));
        String publicKey = SigningKeys.publicKeyPem(SigningKeys.generate().publicKey());
        Path keyFile = work.resolve("task-signing.pub");
        Files.writeString(keyFile, publicKey);
        Path vars = work.resolve("vars.yaml");
        Files.writeString(vars, """
                goldentooth_agent_deb_file: %s
                goldentooth_agent_kafka_bootstrap: 10.4.0.10:9092
                goldentooth_agent_task_signing_public_key_file: %s
                goldentooth_agent_enrolment_token: token-for-testnode
                goldentooth_agent_allow_root: true
                goldentooth_agent_units: [ssh.service, consul.service]
                goldentooth_agent_writable_paths: [/etc/consul.d/tls]
                goldentooth_agent_extra_properties:
                  goldentooth.agent.certificates.consul.cert-path: /etc/consul.d/tls/cert.pem
                """.formatted(Commands.debFile(), keyFile));
        List<String> args = List.of("-i", inventory.toString(), "-e", "@" + vars);
        try {
            Commands.Result first = playbook(args);
            assertEquals(0, first.exitCode(), first.all());

            assertEquals("install ok installed", Commands.ok(List.of("dpkg-query",
                    "--admindir=" + root.resolve("var/lib/dpkg"), "-W", "-f=${Status}", "goldentooth-agent")));
            String properties = Files.readString(root.resolve("etc/goldentooth/node-agent.properties"));
            for (String line : List.of("goldentooth.agent.node-name=testnode", "kafka.bootstrap.servers=10.4.0.10:9092",
                    "goldentooth.agent.allow-root=true", "goldentooth.agent.units=ssh.service,consul.service",
                    "goldentooth.agent.certificates.consul.cert-path=/etc/consul.d/tls/cert.pem", "config_ordinal=270")) {
                assertTrue(properties.lines().anyMatch(line::equals), line + " missing from\n" + properties);
            }
            assertEquals("root:goldentooth 640", DebianRoot.owner(root.resolve("etc/goldentooth/node-agent.properties")));
            assertEquals(publicKey.trim(), Files.readString(root.resolve("etc/goldentooth/task-signing.pub")).trim());
            assertEquals("token-for-testnode", Files.readString(root.resolve("etc/goldentooth/enrolment-token")).trim());
            assertEquals("root:goldentooth 640", DebianRoot.owner(root.resolve("etc/goldentooth/enrolment-token")));
            assertEquals("root:root 440", DebianRoot.owner(root.resolve("etc/sudoers.d/goldentooth-agent")));
            Path dropIns = root.resolve("etc/systemd/system/goldentooth-agent.service.d");
            assertTrue(Files.readString(dropIns.resolve("allow-root.conf")).contains("NoNewPrivileges=false"));
            assertTrue(Files.readString(dropIns.resolve("writable-paths.conf")).contains("ReadWritePaths=/etc/consul.d/tls"));
            assertTrue(Files.isSymbolicLink(root.resolve("etc/systemd/system/multi-user.target.wants/goldentooth-agent.service")));
            assertTrue(!first.all().contains("token-for-testnode"), "the token must not be logged");

            Commands.Result second = playbook(args);
            assertEquals(0, second.exitCode(), second.all());
            assertTrue(second.all().contains("changed=0"), "a second run must change nothing:\n" + second.all());
        } finally {
            DebianRoot.dpkg("--purge", "goldentooth-agent", DebianRoot.JAVA_STAND_IN);
            Commands.run(List.of("rm", "-rf", root.resolve("var/cache/goldentooth").toString()));
        }
    }
}
