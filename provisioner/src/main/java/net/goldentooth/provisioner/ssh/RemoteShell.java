package net.goldentooth.provisioner.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/** Short helper commands over an open connection (checksums, moves), each bounded by a timeout. */
final class RemoteShell {

    record Outcome(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }
    }

    private final SSHClient client;
    private final long timeoutMs;

    RemoteShell(SSHClient client, long timeoutMs) {
        this.client = client;
        this.timeoutMs = timeoutMs;
    }

    Outcome run(String command) throws IOException {
        return run(command, null);
    }

    /** Runs {@code command}, feeding {@code stdin} (may be null); output is small by construction. */
    Outcome run(String command, byte[] stdin) throws IOException {
        try (Session session = client.startSession()) {
            Session.Command cmd = session.exec(command);
            try (OutputStream in = cmd.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            Thread errReader = new Thread(() -> copy(cmd.getErrorStream(), err), "ssh-helper-stderr");
            errReader.setDaemon(true);
            errReader.start();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            copy(cmd.getInputStream(), out);
            cmd.join(timeoutMs, TimeUnit.MILLISECONDS);
            try {
                errReader.join(timeoutMs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + command, e);
            }
            Integer status = cmd.getExitStatus();
            return new Outcome(status == null ? -1 : status, out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }

    private static void copy(InputStream in, ByteArrayOutputStream to) {
        try {
            in.transferTo(to);
        } catch (IOException e) {
            to.writeBytes(("(" + e.getMessage() + ")").getBytes(StandardCharsets.UTF_8));
        }
    }
}
