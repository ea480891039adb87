package net.goldentooth.agent.services;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.goldentooth.agent.facts.CommandRunner;
import net.goldentooth.events.facts.ServiceCheck;
import net.goldentooth.events.facts.ServiceCheck.State;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's Slurm incident (~L10015): RealMemory=4096 configured for Pis with about 3797 MB, and
 * slurmctld marked them {@code inval}. Here with Debian's real {@code munged}, {@code slurmctld} and
 * {@code slurmd} on loopback (a slurm.conf in a temporary directory, the node's RealMemory 300 MiB
 * above this machine's MemTotal): the check warns with both figures while the controller knows the
 * node and slurmd has not registered yet, and reads critical ({@code invalid_reg}, "Low RealMemory")
 * once slurmd has registered and the controller has marked the node.
 */
class SlurmMemoryIncidentTest {

    private static final String NODE = "karstark";

    @TempDir
    Path dir;
    private final List<Process> daemons = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            Process p = daemons.get(i);
            p.destroy();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void slurmMemoryIncidentIsSeenBeforeSlurmMarksTheNodeInval() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/sbin/slurmctld")) && Files.isExecutable(Path.of("/usr/sbin/munged")),
                "needs slurm-wlm and munge (.ci/packages/node-agent.txt)");
        assumeTrue("root".equals(System.getProperty("user.name")), "slurmd runs as root");
        long measuredMb = ServiceProbes.memTotalMb();
        long configuredMb = measuredMb + 300;
        Path conf = startController(configuredMb);
        SlurmCheck check = new SlurmCheck(NODE, List.of("env", "SLURM_CONF=" + conf, "scontrol"),
                new CommandRunner(Duration.ofSeconds(5)), () -> measuredMb, Clock.systemUTC());

        ServiceCheck before = await(check, c -> c.state() != State.UNKNOWN, Duration.ofSeconds(15));
        assertEquals(State.WARNING, before.state(), before.toString());
        assertEquals("unknown", before.details().get("state"), "slurmd has not registered yet");
        assertEquals(Long.toString(configuredMb), before.details().get("realMemoryMb"));
        assertEquals(Long.toString(measuredMb), before.details().get("measuredMemoryMb"));

        start("slurmd", List.of("/usr/sbin/slurmd", "-D", "-N", NODE), conf);
        ServiceCheck marked = await(check, c -> c.state() == State.CRITICAL, Duration.ofSeconds(20));
        assertTrue(marked.details().get("state").contains("invalid_reg"), marked.details().toString());
        assertTrue(marked.details().get("reason").startsWith("Low RealMemory"), marked.details().toString());
        assertTrue(marked.version().startsWith("22.") || marked.version().matches("\\d+\\..*"), marked.version());
        CommandRunner.Result sinfo = new CommandRunner(Duration.ofSeconds(5))
                .run(List.of("env", "SLURM_CONF=" + conf, "sinfo", "-h", "-o", "%t"));
        assertEquals("inval", sinfo.stdout().strip(), "what the seed's operator saw");
    }

    @Test
    void aControllerThatDoesNotAnswerIsUnknownWithScontrolsReason() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/scontrol")), "needs slurm-wlm");
        Path conf = writeConf(1000, freePort(), freePort());
        ServiceCheck c = new SlurmCheck(NODE, List.of("env", "SLURM_CONF=" + conf, "scontrol"),
                new CommandRunner(Duration.ofSeconds(20)), () -> 2000, Clock.systemUTC()).check();
        assertEquals(State.UNKNOWN, c.state());
        assertTrue(c.error().startsWith("scontrol: "), c.error());
        assertEquals("2000", c.details().get("measuredMemoryMb"));
    }

    @Test
    void anIdleNodeWithItsMemoryWithinTheMeasuredIsOk() {
        String line = "NodeName=lipps Arch=aarch64 CoresPerSocket=4 CPUAlloc=0 CPUTot=4 NodeAddr=10.4.0.21 "
                + "NodeHostName=lipps Version=22.05.8 OS=Linux 6.1.0-rpi7-rpi-v8 RealMemory=3700 AllocMem=0 "
                + "FreeMem=3301 Sockets=1 State=IDLE ThreadsPerCore=1 Partitions=general,debug";
        ServiceCheck c = new SlurmCheck("lipps", List.of("scontrol"), null, () -> 3797, Clock.systemUTC())
                .evaluate(line, 3797, new HashMap<>());
        assertEquals(State.OK, c.state());
        assertEquals("idle", c.details().get("state"));
        assertEquals("22.05.8", c.version());
        Map<String, String> fields = SlurmCheck.fields("State=DOWN* Reason=Not responding [slurm@2025-07-20T10:00:00] Comment=x");
        assertEquals("Not responding [slurm@2025-07-20T10:00:00]", fields.get("Reason"));
        assertEquals(State.CRITICAL, new SlurmCheck("n", List.of("s"), null, () -> 1, Clock.systemUTC())
                .evaluate("NodeName=n State=DOWN* RealMemory=1", 1, new HashMap<>()).state());
    }

    private Path startController(long realMemoryMb) throws Exception {
        Path munge = Files.createDirectories(dir.resolve("munge"));
        Files.setPosixFilePermissions(munge, PosixFilePermissions.fromString("rwx--x--x"));
        Path key = munge.resolve("munge.key");
        byte[] secret = new byte[1024];
        new SecureRandom().nextBytes(secret);
        Files.write(key, secret);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("r--------"));
        Path conf = writeConf(realMemoryMb, freePort(), freePort());
        start("munged", List.of("/usr/sbin/munged", "-F", "-f", "--key-file=" + key, "-S", munge.resolve("sock").toString(),
                "--log-file=" + munge.resolve("log"), "--pid-file=" + munge.resolve("pid"),
                "--seed-file=" + munge.resolve("seed")), conf);
        awaitFile(munge.resolve("sock"));
        start("slurmctld", List.of("/usr/sbin/slurmctld", "-D", "-i"), conf);
        return conf;
    }

    private Path writeConf(long realMemoryMb, int ctldPort, int slurmdPort) throws IOException {
        Files.createDirectories(dir.resolve("state"));
        Files.createDirectories(dir.resolve("spool"));
        String host = InetAddress.getLocalHost().getHostName().split("\\.")[0];
        Path conf = dir.resolve("slurm.conf");
        Files.writeString(conf, String.join("\n",
                "ClusterName=goldentooth",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "AuthType=auth/munge",
                "AuthInfo=socket=" + dir.resolve("munge/sock"),
                "CredType=cred/munge",
                "SlurmUser=root",
                "SlurmdUser=root",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("slurmd.log"),
                "ProctrackType=proctrack/pgid",
                "TaskPlugin=task/none",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core_Memory",
                "MpiDefault=none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "MessageTimeout=3",
                "NodeName=" + NODE + " NodeAddr=127.0.0.1 CPUs=1 RealMemory=" + realMemoryMb + " State=UNKNOWN",
                "PartitionName=general Nodes=ALL Default=YES State=UP",
                ""));
        return conf;
    }

    private void start(String name, List<String> command, Path conf) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".out").toFile());
        pb.environment().put("SLURM_CONF", conf.toString());
        daemons.add(pb.start());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " did not appear");
            }
            Thread.sleep(50);
        }
    }

    private ServiceCheck await(SlurmCheck check, Predicate<ServiceCheck> until, Duration within) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        ServiceCheck last = null;
        while (System.nanoTime() < deadline) {
            last = check.check();
            if (until.test(last)) {
                return last;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("not reached within " + within + "; last: " + last + "; slurmctld log: "
                + (Files.exists(dir.resolve("slurmctld.log")) ? Files.readString(dir.resolve("slurmctld.log")) : "none"));
    }
}
