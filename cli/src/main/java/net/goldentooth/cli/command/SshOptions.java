package net.goldentooth.cli.command;

import java.util.Map;
import net.goldentooth.cli.ssh.SshLogin;
import picocli.CommandLine.Option;

/** The options of the commands that log in to nodes directly over SSH ({@code cp}, {@code shell}). */
public final class SshOptions {

    @Option(names = {"-i", "--identity"}, paramLabel = "FILE",
            description = "Private key; FILE-cert.pub beside it is used as the user certificate (default: $"
                    + SshLogin.IDENTITY_ENV + ", else ~/.ssh/id_ed25519).")
    String identity;

    @Option(names = "--known-hosts", paramLabel = "FILE",
            description = "known_hosts with the nodes' keys or an @cert-authority line (default: $"
                    + SshLogin.KNOWN_HOSTS_ENV + ", else ~/.ssh/known_hosts).")
    String knownHosts;

    SshLogin login(Map<String, String> env) {
        return SshLogin.resolve(identity, knownHosts, env);
    }
}
