package net.goldentooth.provisioner.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.goldentooth.events.job.JobProgress;
import net.goldentooth.events.job.ProgressKind;
import net.goldentooth.events.job.Task;
import net.goldentooth.events.job.TaskSpec;
import net.goldentooth.provisioner.inventory.Inventory;
import org.junit.jupiter.api.Test;

/** The pure parts of the SSH executor: inventory addressing, command lines, reporting, checksum parsing. */
class SshPartsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void theInventoryGivesAddressPortUserAndFirstContact() {
        Inventory inventory = new Inventory(Map.of(
                "fenn", new Inventory.Host("fenn", "10.4.0.15", List.of(), Map.of("ansible_port", 2222,
                        "ansible_user", "pi", SshTarget.FIRST_CONTACT_VAR, true)),
                "dalt", new Inventory.Host("dalt", "dalt", List.of(), Map.of())), Map.of());
        SshTarget fenn = SshTarget.of(inventory, "fenn", "root").orElseThrow();
        assertEquals(new SshTarget("fenn", "10.4.0.15", 2222, "pi", true), fenn);
        assertEquals("[10.4.0.15]:2222", fenn.knownHostsName());
        SshTarget dalt = SshTarget.of(inventory, "dalt", "root").orElseThrow();
        assertEquals(new SshTarget("dalt", "dalt", 22, "root", false), dalt);
        assertEquals("dalt", dalt.knownHostsName());
        assertEquals(Optional.empty(), SshTarget.of(inventory, "nobody", "root"));
    }

    @Test
    void commandsRunUnderTimeoutAndRootGoesThroughSudoForOtherUsers() {
        TaskSpec user = new TaskSpec("echo 'hi'", null, false, 1500, 1024);
        assertEquals("timeout -k 2 1.500 /bin/sh -c 'echo '\\''hi'\\'''", RemoteCommand.commandLine(user, "pi"));
        TaskSpec root = new TaskSpec("id -u", null, true, 60_000, 1024);
        assertEquals("sudo -n -- timeout -k 2 60.000 /bin/sh -c 'id -u'", RemoteCommand.commandLine(root, "pi"));
        assertEquals("timeout -k 2 60.000 /bin/sh -c 'id -u'", RemoteCommand.commandLine(root, "root"));
    }

    @Test
    void theReporterNumbersRecordsCapsOutputAndEndsOnce() {
        List<JobProgress> sent = new ArrayList<>();
        Task task = new Task("job", "task", "fenn", new TaskSpec("x", null, false, 1000, 5), NOW, NOW.plusSeconds(60));
        TaskReporter reporter = new TaskReporter(task, sent::add, Clock.fixed(NOW, ZoneOffset.UTC));
        reporter.accepted();
        reporter.started();
        reporter.output("stdout", "abc");
        reporter.output("stderr", "déf");
        reporter.output("stdout", "ghi");
        reporter.finished(0, false);
        reporter.finished(1, false);
        reporter.refused(ProgressKind.REJECTED, "late");
        assertEquals(List.of(ProgressKind.ACCEPTED, ProgressKind.STARTED, ProgressKind.OUTPUT, ProgressKind.OUTPUT,
                ProgressKind.FINISHED), sent.stream().map(JobProgress::kind).toList());
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), sent.stream().map(JobProgress::seq).toList());
        assertEquals("abc", sent.get(2).data());
        assertEquals("d", sent.get(3).data(), "cut at the 5-byte cap on a character boundary");
        assertTrue(sent.get(4).truncated());
        assertEquals(0, sent.get(4).exitCode());
    }

    @Test
    void sha256sumOutputIsReadByPath() {
        String hash = "a".repeat(64);
        String other = "b".repeat(64);
        Map<String, String> sums = AgentBootstrap.parseSha256sum(hash + "  ./lib/a.jar\n" + other + "  /etc/x\nnoise\n");
        assertEquals(Map.of("lib/a.jar", hash, "/etc/x", other), sums);
    }

    @Test
    void theAgentConfigurationNamesTheNodeKafkaAndTheTrustFiles() {
        AgentBootstrap.Settings settings = new AgentBootstrap.Settings(Path.of("/a"), "/opt/agent", "/etc/gt",
                "10.4.0.10:9092", "PEM", "check", "start", "restart", "dpkg -i {deb}", 1000, null);
        String properties = AgentBootstrap.agentProperties(settings, "fenn");
        assertTrue(properties.contains("goldentooth.agent.node-name=fenn\n"));
        assertTrue(properties.contains("kafka.bootstrap.servers=10.4.0.10:9092\n"));
        assertTrue(properties.contains("goldentooth.agent.trusted-key-files=/etc/gt/task-signing.pub\n"));
        assertTrue(properties.contains("goldentooth.agent.enrolment-token-file=/etc/gt/enrolment-token\n"));
        assertFalse(properties.contains("PEM"));
        assertFalse(properties.contains("enrolment.url"), "PLAINTEXT: no enrolment over HTTPS");
    }

    @Test
    void onTheSecureBusTheAgentEnrolsOverHttpsAndItsUnitGetsTheTlsEnvironment() {
        AgentBootstrap.SecureBus bus = new AgentBootstrap.SecureBus("-----BEGIN CERTIFICATE-----\n",
                "https://10.99.28.1:8882/enrolment", "/etc/systemd/system/a.service.d/secure-bus.conf", "/var/lib/gt/agent");
        AgentBootstrap.Settings settings = new AgentBootstrap.Settings(Path.of("/a"), "/opt/agent", "/etc/gt",
                "10.99.28.1:9892", "PEM", "check", "start", "restart", "dpkg -i {deb}", 1000, bus);
        String properties = AgentBootstrap.agentProperties(settings, "fenn");
        assertTrue(properties.contains("goldentooth.agent.enrolment.url=https://10.99.28.1:8882/enrolment\n"), properties);
        assertTrue(properties.contains("goldentooth.agent.certificates.kafka.cert-path=/var/lib/gt/agent/kafka/cert.pem\n"));
        assertTrue(properties.contains("goldentooth.agent.certificates.kafka.key-path=/var/lib/gt/agent/kafka/key.pem\n"));
        assertTrue(properties.contains("goldentooth.agent.certificates.kafka.reload-command=none\n"));
        String dropIn = AgentBootstrap.secureDropIn(settings);
        assertTrue(dropIn.startsWith("# ") && dropIn.contains("\n[Service]\n"), dropIn);
        assertTrue(dropIn.contains("Environment=GOLDENTOOTH_KAFKA_SECURITY_PROTOCOL=SSL\n"));
        assertTrue(dropIn.contains("Environment=GOLDENTOOTH_KAFKA_SSL_TRUST=/etc/gt/pki/root.pem\n"), dropIn);
        assertTrue(dropIn.contains("Environment=GOLDENTOOTH_KAFKA_SSL_CHAIN=/var/lib/gt/agent/kafka/chain.pem\n"));
        assertTrue(dropIn.contains("Environment=GOLDENTOOTH_KAFKA_SSL_KEY=/var/lib/gt/agent/kafka/key.pem\n"));
    }
}
