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
 * they come, the exit status as the result. At the timeout the remote process is sent SIGKILL and
 * the session closed (OpenSSH delivers the signal to the session's command).
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

    /** The command line sent to sshd, which runs it with the login user's shell. */
    public static String commandLine(TaskSpec spec, String login) {
        if (spec.root() && !"root".equals(login)) {
            return "sudo -n -- /bin/sh -c " + ShellQuote.quote(spec.command());
        }
        return spec.command();
    }

    @Override
    public Result run(SSHClient client, TaskReporter reporter) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMs());
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
                return kill(command, out, err);
            } catch (ConnectionException e) {
                // join's own timeout: the output ended but the exit status did not come in time.
                if (System.nanoTime() - deadline >= 0) {
                    return kill(command, out, err);
                }
                throw e;
            }
            Integer status = command.getExitStatus();
            if (status == null && command.getExitSignal() != null) {
                reporter.output("stderr", "killed by signal " + command.getExitSignal() + "\n");
                return new Result(128 + signalNumber(command.getExitSignal()), false);
            }
            return new Result(status, false);
        }
    }

    private static Result kill(Session.Command command, Future<?> out, Future<?> err) throws IOException {
        command.signal(Signal.KILL);
        out.cancel(true);
        err.cancel(true);
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
