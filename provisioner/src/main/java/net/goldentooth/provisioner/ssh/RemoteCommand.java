package net.goldentooth.provisioner.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.goldentooth.events.job.TaskSpec;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.ConnectionException;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.connection.channel.direct.Signal;

/**
 * Runs a task's command in an SSH session: stdin fed then closed, stdout and stderr streamed as
 * they come, the exit status as the result. The remote side enforces the timeout with coreutils'
 * {@code timeout}, which runs the command in its own process group and kills the whole group, as an
 * agent kills a task's process tree (SSH's own signal request reaches only the session's shell, and
 * a child holding the pipes open would keep the session alive). Should the node not answer even
 * then, the connection is dropped a grace period later, so a job never hangs.
 */
public final class RemoteCommand implements TaskBody {

    private final TaskSpec spec;
    private final String login;
    private final ExecutorService pumps;

    /** @param login the user the connection logs in as; command_root as another user goes through {@code sudo -n} */
    public RemoteCommand(TaskSpec spec, String login, ExecutorService pumps) {
        this.spec = spec;
        this.login = login;
        this.pumps = pumps;
    }

    /** How long after the timeout the remote {@code timeout} escalates from SIGTERM to SIGKILL. */
    static final int KILL_AFTER_SECONDS = 2;
    /** How long after that the connection itself is dropped if the node still has not answered. */
    static final long CLIENT_GRACE_MS = 5000;
    /** coreutils {@code timeout}'s exit status when the time limit was hit. */
    static final int TIMEOUT_STATUS = 124;

    /** The command line sent to sshd, which runs it with the login user's shell. */
    public static String commandLine(TaskSpec spec, String login) {
        String limited = String.format(java.util.Locale.ROOT, "timeout -k %d %.3f /bin/sh -c %s",
                KILL_AFTER_SECONDS, spec.timeoutMs() / 1000.0, ShellQuote.quote(spec.command()));
        if (spec.root() && !"root".equals(login)) {
            return "sudo -n -- " + limited;
        }
        return limited;
    }

    @Override
    public Result run(SSHClient client, TaskReporter reporter) throws IOException, InterruptedException {
        long started = System.nanoTime();
        long deadline = started + TimeUnit.MILLISECONDS.toNanos(
                spec.timeoutMs() + KILL_AFTER_SECONDS * 1000L + CLIENT_GRACE_MS);
        try (Session session = client.startSession()) {
            Session.Command command = session.exec(commandLine(spec, login));
            reporter.started();
            Future<?> out = pumps.submit(() -> pump(command.getInputStream(), "stdout", reporter));
            Future<?> err = pumps.submit(() -> pump(command.getErrorStream(), "stderr", reporter));
            try (OutputStream stdin = command.getOutputStream()) {
                if (spec.stdin() != null) {
                    stdin.write(spec.stdin().getBytes(StandardCharsets.UTF_8));
                }
            }
            try {
                waitUntil(out, deadline);
                waitUntil(err, deadline);
                command.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())),
                        TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                return abandon(client, out, err);
            } catch (ConnectionException e) {
                // join's own timeout: the output ended but the exit status did not come in time.
                if (System.nanoTime() - deadline >= 0) {
                    return abandon(client, out, err);
                }
                throw e;
            }
            Integer status = command.getExitStatus();
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            if (status != null && (status == TIMEOUT_STATUS || status == 128 + 9) && elapsedMs >= spec.timeoutMs()) {
                return new Result(null, true);
            }
            if (status == null && command.getExitSignal() != null) {
                reporter.output("stderr", "killed by signal " + command.getExitSignal() + "\n");
                return new Result(128 + signalNumber(command.getExitSignal()), false);
            }
            return new Result(status, false);
        }
    }

    /** The node did not answer even after the remote kill: drop the connection (the pool will not reuse it). */
    private static Result abandon(SSHClient client, Future<?> out, Future<?> err) {
        out.cancel(true);
        err.cancel(true);
        SshConnector.closeQuietly(client);
        return new Result(null, true);
    }

    private static void waitUntil(Future<?> pump, long deadline)
            throws TimeoutException, InterruptedException, IOException {
        try {
            pump.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new IOException("reading the command's output failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private static Void pump(InputStream in, String stream, TaskReporter reporter) throws IOException {
        char[] buffer = new char[8192];
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = reader.read(buffer)) > 0) {
                reporter.output(stream, new String(buffer, 0, n));
            }
        }
        return null;
    }

    private static int signalNumber(Signal signal) {
        return switch (signal) {
            case HUP -> 1;
            case INT -> 2;
            case QUIT -> 3;
            case ILL -> 4;
            case ABRT -> 6;
            case FPE -> 8;
            case KILL -> 9;
            case USR1 -> 10;
            case SEGV -> 11;
            case USR2 -> 12;
            case PIPE -> 13;
            case ALRM -> 14;
            case TERM -> 15;
            default -> 0;
        };
    }
}
