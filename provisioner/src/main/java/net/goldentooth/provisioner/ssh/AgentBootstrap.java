package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * Installs the node agent on one node over SSH, in three steps reported as output lines: the
 * agent's files, its configuration, its service. Every step compares SHA-256 checksums first and
 * touches only what differs, so a second run on a healthy node reports every step
 * {@code unchanged} and starts nothing. Files are written under a temporary name and renamed, so a
 * node never sees a half-written file under the real name.
 */
public final class AgentBootstrap implements TaskBody {

    /** What is installed; the same for every node except the name and the token. */
    public record Settings(Path artifact, String agentDir, String configDir, String kafkaBootstrapServers,
                           String signingPublicKeyPem, String serviceCheckCommand, String serviceStartCommand,
                           String serviceRestartCommand, String debInstallCommand, long stepTimeoutMs,
                           SecureBus secureBus) {
    }

    /**
     * The secure bus (mutual TLS, docs/security.md): the root the agent trusts for Kafka and for
     * pki-service's HTTPS, where it enrols its first Kafka certificate, and the systemd drop-in that
     * gives the unit the Kafka TLS environment (kafka-edge reads it from the environment only).
     * A drop-in, not /etc/default/goldentooth-agent: that file is the package's conffile, and an
     * edit there would make every upgrade of the package ask about it. {@code null}: PLAINTEXT.
     */
    public record SecureBus(String trustRootPem, String enrolmentUrl, String dropInPath, String stateDir) {

        String kafkaDir() {
            return stateDir + "/kafka";
        }
    }

    /** Where the root of trust goes, under the configuration directory. */
    public static final String TRUST_ROOT_FILE = "pki/root.pem";

    /** The file the goldentooth-agent package's unit reads (QUARKUS_CONFIG_LOCATIONS in /etc/default/goldentooth-agent). */
    public static final String CONFIG_FILE = "node-agent.properties";
    /** The package's system group: the agent reads its configuration and token through it. */
    static final String AGENT_GROUP = "goldentooth";
    public static final String TRUSTED_KEY_FILE = "task-signing.pub";
    public static final String TOKEN_FILE = "enrolment-token";

    private final Settings settings;
    private final String node;
    private final Supplier<String> enrolmentToken;

    /** @param enrolmentToken mints a one-time token; called only when the node has none yet */
    public AgentBootstrap(Settings settings, String node, Supplier<String> enrolmentToken) {
        this.settings = settings;
        this.node = node;
        this.enrolmentToken = enrolmentToken;
    }

    /** The agent's configuration for {@code node}: what the agent needs to find Kafka and trust tasks. */
    public static String agentProperties(Settings settings, String node) {
        return "# Written by goldentooth bootstrap; re-running bootstrap rewrites it.\n"
                + "# Above the jar's built-in application.properties (250), below environment variables (300).\n"
                + "config_ordinal=270\n"
                + "goldentooth.agent.node-name=" + node + "\n"
                + "kafka.bootstrap.servers=" + settings.kafkaBootstrapServers() + "\n"
                + "goldentooth.agent.trusted-key-files=" + settings.configDir() + "/" + TRUSTED_KEY_FILE + "\n"
                + "goldentooth.agent.enrolment-token-file=" + settings.configDir() + "/" + TOKEN_FILE + "\n"
                + secureProperties(settings.secureBus());
    }

    private static String secureProperties(SecureBus bus) {
        if (bus == null) {
            return "";
        }
        String kafka = bus.kafkaDir();
        return "# The secure bus: the first Kafka certificate over HTTPS with a one-time token, renewals on the bus.\n"
                + "goldentooth.agent.enrolment.url=" + bus.enrolmentUrl() + "\n"
                + "goldentooth.agent.certificates.kafka.cert-path=" + kafka + "/cert.pem\n"
                + "goldentooth.agent.certificates.kafka.chain-path=" + kafka + "/chain.pem\n"
                + "goldentooth.agent.certificates.kafka.key-path=" + kafka + "/key.pem\n"
                + "goldentooth.agent.certificates.kafka.key-mode=0600\n"
                + "goldentooth.agent.certificates.kafka.reload-command=none\n";
    }

    /** The unit drop-in of the secure bus: the environment kafka-edge reads its TLS settings from. */
    public static String secureDropIn(Settings settings) {
        SecureBus bus = settings.secureBus();
        String kafka = bus.kafkaDir();
        return "# Written by goldentooth bootstrap: the agent's Kafka clients speak mutual TLS.\n"
                + "[Service]\n"
                + "Environment=GOLDENTOOTH_KAFKA_SECURITY_PROTOCOL=SSL\n"
                + "Environment=GOLDENTOOTH_KAFKA_SSL_TRUST=" + settings.configDir() + "/" + TRUST_ROOT_FILE + "\n"
                + "Environment=GOLDENTOOTH_KAFKA_SSL_CERTIFICATE=" + kafka + "/cert.pem\n"
                + "Environment=GOLDENTOOTH_KAFKA_SSL_CHAIN=" + kafka + "/chain.pem\n"
                + "Environment=GOLDENTOOTH_KAFKA_SSL_KEY=" + kafka + "/key.pem\n";
    }

    @Override
    public Result run(SSHClient client, TaskReporter reporter) throws IOException {
        reporter.started();
        RemoteShell shell = new RemoteShell(client, settings.stepTimeoutMs());
        boolean filesChanged;
        boolean configChanged;
        try {
            filesChanged = installArtifact(client, shell, reporter);
            configChanged = writeConfig(shell, reporter);
        } catch (StepFailed e) {
            reporter.output("stderr", e.getMessage() + "\n");
            return new Result(1, false);
        }
        return new Result(service(shell, reporter, filesChanged || configChanged), false);
    }

    private boolean installArtifact(SSHClient client, RemoteShell shell, TaskReporter reporter) throws IOException {
        Path artifact = settings.artifact();
        Map<String, Path> local = new LinkedHashMap<>();
        if (Files.isDirectory(artifact)) {
            try (Stream<Path> files = Files.walk(artifact)) {
                files.filter(Files::isRegularFile).sorted()
                        .forEach(f -> local.put(artifact.relativize(f).toString().replace('\\', '/'), f));
            }
        } else if (Files.isRegularFile(artifact)) {
            local.put(artifact.getFileName().toString(), artifact);
        } else {
            throw new StepFailed("agent files: artifact " + artifact + " does not exist");
        }
        String dir = settings.agentDir();
        RemoteShell.Outcome listing = shell.run("mkdir -p " + ShellQuote.quote(dir) + " && cd " + ShellQuote.quote(dir)
                + " && find . -type f -exec sha256sum {} +");
        if (!listing.ok()) {
            throw new StepFailed("agent files: cannot read " + dir + ": " + listing.stderr().strip());
        }
        Map<String, String> remote = parseSha256sum(listing.stdout());
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, Path> e : local.entrySet()) {
            if (!sha256(e.getValue()).equals(remote.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        if (changed.isEmpty()) {
            reporter.line("agent files: unchanged (" + local.size() + " files in " + dir + ")");
            return false;
        }
        try (SFTPClient sftp = client.newSFTPClient()) {
            StringBuilder moves = new StringBuilder("set -e");
            for (String rel : changed) {
                String target = dir + "/" + rel;
                String temp = target + ".goldentooth-tmp";
                int slash = target.lastIndexOf('/');
                sftp.mkdirs(target.substring(0, slash));
                sftp.put(local.get(rel).toString(), temp);
                moves.append("; mv -f -- ").append(ShellQuote.quote(temp)).append(' ').append(ShellQuote.quote(target));
            }
            RemoteShell.Outcome moved = shell.run(moves.toString());
            if (!moved.ok()) {
                throw new StepFailed("agent files: renaming into place failed: " + moved.stderr().strip());
            }
        } catch (StepFailed e) {
            throw e;
        } catch (IOException e) {
            throw new StepFailed("agent files: upload to " + dir + " failed: " + e.getMessage());
        }
        reporter.line("agent files: " + changed.size() + " of " + local.size() + " changed in " + dir);
        if (Files.isRegularFile(artifact) && artifact.getFileName().toString().endsWith(".deb")) {
            String deb = dir + "/" + artifact.getFileName();
            RemoteShell.Outcome installed = shell.run(settings.debInstallCommand().replace("{deb}", ShellQuote.quote(deb)));
            if (!installed.ok()) {
                throw new StepFailed("agent package: " + settings.debInstallCommand() + " failed: "
                        + installed.stderr().strip());
            }
            reporter.line("agent package: installed " + artifact.getFileName());
        }
        return true;
    }

    private boolean writeConfig(RemoteShell shell, TaskReporter reporter) throws IOException {
        String dir = settings.configDir();
        Map<String, String> files = new LinkedHashMap<>();
        files.put(CONFIG_FILE, agentProperties(settings, node));
        files.put(TRUSTED_KEY_FILE, settings.signingPublicKeyPem());
        SecureBus bus = settings.secureBus();
        if (bus != null) {
            files.put(TRUST_ROOT_FILE, bus.trustRootPem());
        }
        StringBuilder paths = new StringBuilder();
        files.keySet().forEach(f -> paths.append(' ').append(ShellQuote.quote(dir + "/" + f)));
        if (bus != null) {
            paths.append(' ').append(ShellQuote.quote(bus.dropInPath()));
        }
        RemoteShell.Outcome sums = shell.run("mkdir -p " + ShellQuote.quote(dir) + "/pki && cd " + ShellQuote.quote(dir)
                + " && { sha256sum" + paths + " 2>/dev/null || true; }");
        if (!sums.ok()) {
            throw new StepFailed("configuration: cannot read " + dir + ": " + sums.stderr().strip());
        }
        Map<String, String> remote = parseSha256sum(sums.stdout());
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, String> e : files.entrySet()) {
            String path = dir + "/" + e.getKey();
            byte[] content = e.getValue().getBytes(StandardCharsets.UTF_8);
            if (!sha256(content).equals(remote.get(path))) {
                writeAtomically(shell, path, content, e.getKey().equals(CONFIG_FILE) ? "0640" : "0644");
                written.add(e.getKey());
            }
        }
        if (bus != null) {
            byte[] dropIn = secureDropIn(settings).getBytes(StandardCharsets.UTF_8);
            if (!sha256(dropIn).equals(remote.get(bus.dropInPath()))) {
                String parent = bus.dropInPath().substring(0, Math.max(1, bus.dropInPath().lastIndexOf('/')));
                RemoteShell.Outcome made = shell.run("mkdir -p " + ShellQuote.quote(parent));
                if (!made.ok()) {
                    throw new StepFailed("configuration: cannot make " + parent + ": " + made.stderr().strip());
                }
                writeAtomically(shell, bus.dropInPath(), dropIn, "0644");
                // systemd reads a unit's drop-ins only on a reload; a restart alone keeps the old environment.
                RemoteShell.Outcome reloaded = shell.run("systemctl daemon-reload");
                if (!reloaded.ok()) {
                    throw new StepFailed("configuration: systemctl daemon-reload failed: " + reloaded.stderr().strip());
                }
                written.add(bus.dropInPath());
            }
        }
        String tokenPath = dir + "/" + TOKEN_FILE;
        if (!shell.run("test -s " + ShellQuote.quote(tokenPath)).ok()) {
            // One-time tokens: minted only for a node that has none, so a re-run changes nothing. On
            // the secure bus two: the Kafka certificate's (over HTTPS) and the canary's. Never logged.
            StringBuilder tokens = new StringBuilder(enrolmentToken.get()).append('\n');
            if (bus != null) {
                tokens.append(enrolmentToken.get()).append('\n');
            }
            writeAtomically(shell, tokenPath, tokens.toString().getBytes(StandardCharsets.UTF_8), "0640");
            written.add(TOKEN_FILE);
        }
        reporter.line(written.isEmpty() ? "configuration: unchanged (" + dir + ")"
                : "configuration: wrote " + String.join(", ", written) + " in " + dir);
        return !written.isEmpty();
    }

    /**
     * Temp file, mode, then rename. Group-readable files go to the package's group when it exists,
     * because the agent runs as that unprivileged user, not as the login that wrote them.
     */
    private static void writeAtomically(RemoteShell shell, String path, byte[] content, String mode) throws IOException {
        String temp = ShellQuote.quote(path + ".goldentooth-tmp");
        RemoteShell.Outcome wrote = shell.run("set -e; umask 077; cat > " + temp + "; chmod " + mode + " " + temp
                + "; if getent group " + AGENT_GROUP + " >/dev/null 2>&1; then chgrp " + AGENT_GROUP + " " + temp
                + "; fi; mv -f -- " + temp + " " + ShellQuote.quote(path), content);
        if (!wrote.ok()) {
            shell.run("rm -f -- " + temp);
            throw new StepFailed("configuration: writing " + path + " failed: " + wrote.stderr().strip());
        }
    }

    private int service(RemoteShell shell, TaskReporter reporter, boolean changed) throws IOException {
        boolean running = shell.run(settings.serviceCheckCommand()).ok();
        if (running && !changed) {
            reporter.line("service: running, unchanged");
            return 0;
        }
        String command = running ? settings.serviceRestartCommand() : settings.serviceStartCommand();
        RemoteShell.Outcome done = shell.run(command);
        if (!done.ok()) {
            reporter.output("stderr", "service: '" + command + "' exited " + done.exitCode() + ": "
                    + done.stderr().strip() + "\n");
            return done.exitCode() <= 0 ? 1 : done.exitCode();
        }
        reporter.line(running ? "service: restarted" : "service: started");
        return 0;
    }

    /** {@code sha256sum} lines ({@code <hex>  <path>}) by path, with a leading {@code ./} removed. */
    static Map<String, String> parseSha256sum(String output) {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int gap = line.indexOf("  ");
            if (gap == 64) {
                String path = line.substring(gap + 2);
                sums.put(path.startsWith("./") ? path.substring(2) : path, line.substring(0, gap));
            }
        }
        return sums;
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static String sha256(byte[] content) {
        return HexFormat.of().formatHex(sha256().digest(content));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
    }

    private static final class StepFailed extends IOException {
        StepFailed(String message) {
            super(message);
        }
    }
}
