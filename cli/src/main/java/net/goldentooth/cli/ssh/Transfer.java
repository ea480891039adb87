package net.goldentooth.cli.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.goldentooth.cli.ExitCode;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileMode;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.SFTPClient;

/**
 * One file to or from one node over SFTP. The bytes go to a temporary name in the destination's
 * directory, the SHA-256 of what arrived is compared with the source's, and only then is the file
 * renamed into place: a full or read-only destination, a broken connection or a corrupted copy
 * leaves the destination name untouched and no temporary file behind.
 */
public final class Transfer {

    /** One target's outcome, printed as {@code node | STATE | detail}. */
    public record Result(String node, ExitCode outcome, String detail) {
        public String line() {
            String state = switch (outcome) {
                case SUCCESS -> "SUCCESS";
                case INCOMPLETE -> "UNREACHABLE";
                case REJECTED -> "REFUSED";
                default -> "FAILED";
            };
            return node + " | " + state + " | " + detail;
        }
    }

    private final SshLogin login;

    public Transfer(SshLogin login) {
        this.login = login;
    }

    /** Copies the local {@code source} to {@code remotePath} on {@code node} (into it when it is a directory). */
    public Result upload(Path source, NodeAddress node, String remotePath) {
        String expected;
        long size;
        try {
            expected = sha256(source);
            size = Files.size(source);
        } catch (IOException e) {
            return new Result(node.node(), ExitCode.FAILED, "cannot read " + source + ": " + e.getMessage());
        }
        SSHClient client;
        try {
            client = login.connect(node);
        } catch (SshLogin.LoginException e) {
            return refused(node, e);
        }
        try (client; SFTPClient sftp = client.newSFTPClient()) {
            String dest = remotePath;
            FileAttributes existing = sftp.statExistence(dest);
            if (existing != null && existing.getType() == FileMode.Type.DIRECTORY) {
                dest = (dest.endsWith("/") ? dest : dest + "/") + source.getFileName();
            }
            String temp = temporaryName(dest);
            try {
                sftp.put(source.toString(), temp);
                String arrived = remoteSha256(client, temp);
                if (!expected.equals(arrived)) {
                    throw new IOException("checksum mismatch: sent sha256 " + expected + ", arrived " + arrived);
                }
                Outcome moved = exec(client, "mv -f -- " + quote(temp) + " " + quote(dest));
                if (moved.status != 0) {
                    throw new IOException("renaming into place failed: " + moved.stderr.strip());
                }
            } catch (IOException e) {
                removeQuietly(sftp, temp);
                return new Result(node.node(), ExitCode.FAILED, "writing " + dest + " failed: " + e.getMessage()
                        + " (" + dest + " left as it was)");
            }
            return new Result(node.node(), ExitCode.SUCCESS, size + " bytes, sha256 " + expected + " >> " + dest);
        } catch (IOException e) {
            return new Result(node.node(), ExitCode.FAILED, "sftp to " + node.node() + " failed: " + e.getMessage());
        }
    }

    /** Copies {@code remotePath} on {@code node} to the local {@code dest} (into it when it is a directory). */
    public Result download(NodeAddress node, String remotePath, Path dest) {
        SSHClient client;
        try {
            client = login.connect(node);
        } catch (SshLogin.LoginException e) {
            return refused(node, e);
        }
        Path target = Files.isDirectory(dest) ? dest.resolve(Path.of(remotePath).getFileName().toString()) : dest;
        Path temp = target.resolveSibling(temporaryName(target.getFileName().toString()));
        try (client; SFTPClient sftp = client.newSFTPClient()) {
            sftp.get(remotePath, temp.toString());
            String sent = remoteSha256(client, remotePath);
            String arrived = sha256(temp);
            if (!sent.equals(arrived)) {
                throw new IOException("checksum mismatch: " + node.node() + " has sha256 " + sent + ", arrived " + arrived);
            }
            long size = Files.size(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new Result(node.node(), ExitCode.SUCCESS, size + " bytes, sha256 " + arrived + " >> " + target);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the failure below is what matters
            }
            return new Result(node.node(), ExitCode.FAILED, "reading " + remotePath + " into " + target + " failed: "
                    + e.getMessage());
        }
    }

    private static Result refused(NodeAddress node, SshLogin.LoginException e) {
        return new Result(node.node(), e.unreachable() ? ExitCode.INCOMPLETE : ExitCode.REJECTED, e.getMessage());
    }

    /** A hidden sibling name unique to this copy. */
    static String temporaryName(String dest) {
        int slash = dest.lastIndexOf('/');
        return dest.substring(0, slash + 1) + "." + dest.substring(slash + 1) + ".goldentooth-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    private static String remoteSha256(SSHClient client, String path) throws IOException {
        Outcome sum = exec(client, "sha256sum -- " + quote(path));
        if (sum.status != 0 || sum.stdout.length() < 64) {
            throw new IOException("sha256sum on the node failed: " + sum.stderr.strip());
        }
        return sum.stdout.substring(0, 64);
    }

    private record Outcome(int status, String stdout, String stderr) {
    }

    private static Outcome exec(SSHClient client, String command) throws IOException {
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(cmd.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            cmd.join(30, TimeUnit.SECONDS);
            return new Outcome(cmd.getExitStatus() == null ? -1 : cmd.getExitStatus(), out, err);
        }
    }

    private static void removeQuietly(SFTPClient sftp, String path) {
        try {
            if (sftp.statExistence(path) != null) {
                sftp.rm(path);
            }
        } catch (IOException ignored) {
            // nothing was renamed into place; a leftover hidden temp file is the worst case
        }
    }

    static String quote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK always has SHA-256", e);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[65536];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
