package net.goldentooth.storage.execution;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * How a command the source node runs reaches a target node: the source pipes its {@code zfs send}
 * into {@link #reach}'s command, which runs the target's {@code zfs receive}.
 */
@FunctionalInterface
public interface Transport {

    /** The command, run on the source, that runs {@code remoteCommand} on {@code targetNode}. */
    String reach(String targetNode, String remoteCommand);

    /** Source and target are this machine (zfs-fuse tests, a single-machine setup). */
    static Transport local() {
        return (target, remoteCommand) -> remoteCommand;
    }

    /**
     * OpenSSH from the source to the target, authenticated by the PKI's SSH user certificate and
     * verifying the target's host key against {@code known_hosts} (an {@code @cert-authority} line
     * for the PKI's host CA, or pinned keys): never {@code StrictHostKeyChecking=no}, never a
     * password prompt, and only the configured identity is offered.
     */
    static Transport ssh(SshSettings settings) {
        return (target, remoteCommand) -> {
            if (!SshSettings.HOST.matcher(target).matches()) {
                throw new IllegalArgumentException("not a host name: '" + target + "'");
            }
            return "ssh -o BatchMode=yes -o StrictHostKeyChecking=yes"
                    + " -o UserKnownHostsFile=" + quote(settings.knownHosts().toString())
                    + " -o GlobalKnownHostsFile=/dev/null -o IdentitiesOnly=yes"
                    + " -i " + quote(settings.identity().toString())
                    + " -o CertificateFile=" + quote(settings.certificate().toString())
                    + " -p " + settings.port() + " -l " + settings.user() + " " + target
                    // ssh hands the remote shell one string: quoted as one argument, names stay intact.
                    + " " + quote(remoteCommand);
        };
    }

    /** A POSIX shell single-quoted word. */
    private static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    /**
     * Where the SSH transport finds its credentials on the source node, and whom it logs in as.
     *
     * @param identity    the private key of the user certificate (the seed's step-ca root SSH key)
     * @param certificate the OpenSSH user certificate signed by the PKI's user CA
     * @param knownHosts  known_hosts verifying targets: {@code @cert-authority * <host CA key>} or pinned host keys
     */
    record SshSettings(String user, Path identity, Path certificate, Path knownHosts, int port) {

        static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.-]*");
        private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]*");

        public SshSettings {
            if (!USER.matcher(user).matches()) {
                throw new IllegalArgumentException("user '" + user + "' is not a login name");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is not between 1 and 65535");
            }
            for (Path path : new Path[] {identity, certificate, knownHosts}) {
                if (!path.isAbsolute()) {
                    throw new IllegalArgumentException(path + " is not an absolute path (it is read on the source node)");
                }
            }
        }
    }
}
