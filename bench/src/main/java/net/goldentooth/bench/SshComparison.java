package net.goldentooth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.job.JobState;
import net.goldentooth.events.job.JobStatus;
import net.goldentooth.testkit.LocalCluster;
import net.goldentooth.testkit.OpenSshd;

/**
 * {@code uptime} on the same 13 hosts four ways, side by side in one run: the seed's GNU
 * {@code parallel -j0 --tag ssh}, {@code ansible all -m command -a uptime}, the provisioner's SSH
 * executor (a job with the SSH fallback on nodes that have no agent) and the agent path. The SSH
 * hosts are 13 real sshd processes on 127.0.0.1:20101-20113; the agents are 13 agent processes.
 * The four are interleaved run by run, so load on the machine falls on each alike.
 */
final class SshComparison {

    /** The pause before each measurement, so that each starts on a settled machine. */
    private static final Duration SETTLE = Duration.ofSeconds(1);

    static final int FIRST_PORT = 20101;

    private SshComparison() {
    }

    static void run(String bootstrap, int runs, int jvmWarmup) throws Exception {
        System.out.printf("%n== uptime on 13 hosts: GNU parallel + ssh, ansible, our SSH executor, our agent path%n");
        requireBinary("/usr/bin/parallel", "parallel");
        requireBinary("/usr/bin/ansible", "ansible");
        requireBinary("/usr/bin/ssh", "openssh-client");
        Path dir = Files.createTempDirectory("goldentooth-ssh-bench");
        OpenSshd.Credentials credentials = OpenSshd.Credentials.create(dir.resolve("client"));
        List<OpenSshd> servers = new ArrayList<>();
        try {
            Map<String, String> sshHosts = new LinkedHashMap<>();
            StringBuilder knownHosts = new StringBuilder();
            StringBuilder sshConfig = new StringBuilder();
            StringBuilder ansibleInventory = new StringBuilder("all:\n  hosts:\n");
            for (int i = 0; i < FanoutBench.SEED_NODES.size(); i++) {
                String node = FanoutBench.SEED_NODES.get(i);
                int port = FIRST_PORT + i;
                OpenSshd sshd = OpenSshd.start(port, dir.resolve("sshd-" + node), credentials);
                servers.add(sshd);
                knownHosts.append(sshd.knownHostsLine()).append('\n');
                sshHosts.put("ssh-" + node, "ansible_host: 127.0.0.1, ansible_port: " + port + ", ansible_user: root");
                sshConfig.append("Host ").append(node).append("\n  HostName 127.0.0.1\n  Port ").append(port).append('\n');
                ansibleInventory.append("    ").append(node).append(": {ansible_host: 127.0.0.1, ansible_port: ")
                        .append(port).append("}\n");
            }
            Path known = Files.writeString(dir.resolve("known_hosts"), knownHosts);
            Path config = Files.writeString(dir.resolve("ssh_config"), sshConfig + "Host *\n  User root\n  IdentityFile "
                    + credentials.plainKey() + "\n  UserKnownHostsFile " + known
                    + "\n  StrictHostKeyChecking yes\n  BatchMode yes\n");
            Path inventory = Files.writeString(dir.resolve("inventory.yaml"), ansibleInventory);

            List<String> parallel = new ArrayList<>(List.of("parallel", "-j0", "--tag", "ssh", "-F", config.toString(),
                    "{}", "uptime", ":::"));
            parallel.addAll(FanoutBench.SEED_NODES);
            List<String> ansible = List.of("ansible", "all", "-i", inventory.toString(), "-f", "13", "-m", "command",
                    "-a", "uptime", "-u", "root", "--private-key", credentials.plainKey().toString());
            Map<String, String> ansibleEnv = Map.of(
                    "ANSIBLE_HOST_KEY_CHECKING", "True",
                    "ANSIBLE_SSH_ARGS", "-o UserKnownHostsFile=" + known + " -o StrictHostKeyChecking=yes",
                    "ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3",
                    "ANSIBLE_LOCAL_TEMP", dir.resolve("ansible-tmp").toString());

            try (LocalCluster cluster = LocalCluster.builder(bootstrap, FanoutBench.SEED_NODES)
                    .agentJvm(FanoutBench.agentJvm())
                    .agentless("sshonly", sshHosts)
                    .provisioner(Map.of(
                            // A loaded 2-core machine can take longer than the default 5 s to start a task.
                            "goldentooth.provisioner.accept-deadline", "60s",
                            "goldentooth.provisioner.ssh.identity", credentials.plainKey().toString(),
                            "goldentooth.provisioner.ssh.known-hosts", known.toString()))
                    .start()) {
                Map<String, Measure> methods = new LinkedHashMap<>();
                methods.put("parallel -j0 --tag ssh", () -> process(parallel, Map.of(), 13));
                methods.put("ansible all -m command -a uptime", () -> process(ansible, ansibleEnv, 13));
                methods.put("SSH executor (job, --ssh, no agents)", () -> job(cluster, "sshonly", true));
                methods.put("agent path (job, 13 agents)", () -> job(cluster, "local", false));
                // The agents and the provisioner are long-running daemons: measured warm, as they run
                // on a cluster, after as many jobs as bench/fanout's own warm-up (ssh and ansible have
                // nothing to warm beyond the two interleaved rounds below).
                for (int i = 0; i < jvmWarmup; i++) {
                    job(cluster, "local", false);
                    job(cluster, "sshonly", true);
                }
                Map<String, long[]> micros = new LinkedHashMap<>();
                methods.keySet().forEach(k -> micros.put(k, new long[runs]));
                int warmup = 2;
                for (int i = -warmup; i < runs; i++) {
                    for (Map.Entry<String, Measure> m : methods.entrySet()) {
                        // Each measurement starts on a settled machine: what the method before it
                        // left winding down (sshd sessions closing, ansible's Python exiting) must not
                        // run inside the next one's time, whichever method that is.
                        Thread.sleep(SETTLE.toMillis());
                        long start = System.nanoTime();
                        m.getValue().runOnce();
                        long elapsed = (System.nanoTime() - start) / 1_000;
                        if (i >= 0) {
                            micros.get(m.getKey())[i] = elapsed;
                        }
                    }
                }
                long[] agent = micros.get("agent path (job, 13 agents)");
                Arrays.sort(agent);
                double agentP50 = FanoutBench.pct(agent, 50);
                double agentP99 = FanoutBench.pct(agent, 99);
                System.out.printf(Locale.ROOT, "%-40s %10s %10s %14s %14s%n", "method (" + runs + " runs each)",
                        "p50 ms", "p99 ms", "p50 / agent", "p99 / agent");
                for (Map.Entry<String, long[]> e : micros.entrySet()) {
                    long[] sorted = e.getValue();
                    Arrays.sort(sorted);
                    System.out.printf(Locale.ROOT, "%-40s %10.1f %10.1f %13.1fx %13.1fx%n", e.getKey(), FanoutBench.pct(sorted, 50),
                            FanoutBench.pct(sorted, 99), FanoutBench.pct(sorted, 50) / agentP50, FanoutBench.pct(sorted, 99) / agentP99);
                }
                System.out.printf("target: agent path >= 20x faster than parallel + ssh at p50%n");
            }
        } finally {
            servers.forEach(OpenSshd::close);
        }
    }

    @FunctionalInterface
    private interface Measure {
        void runOnce() throws Exception;
    }

    private static void job(LocalCluster cluster, String pattern, boolean ssh) throws Exception {
        JobStatus done = FanoutBench.runAndFollow(cluster, pattern, "uptime", ssh);
        if (done.state() != JobState.SUCCEEDED || done.targets().size() != 13) {
            throw new IllegalStateException("job on " + pattern + " did not succeed on 13 targets: " + done);
        }
    }

    /** Runs a command and checks that every host answered (one output line with "load average" per host). */
    private static void process(List<String> command, Map<String, String> env, int hosts) throws IOException,
            InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process p = builder.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0
                || output.split("load average", -1).length - 1 != hosts) {
            throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
        }
    }

    private static void requireBinary(String path, String debianPackage) {
        if (!Files.isExecutable(Path.of(path))) {
            throw new IllegalStateException(path + " is missing: apt-get install " + debianPackage);
        }
    }
}
