package net.goldentooth.agent.tasks.execution;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.goldentooth.events.job.TaskSpec;
import org.jboss.logging.Logger;

/**
 * Runs one task's command with {@code /bin/sh -c} (a {@link SimpleCommand} directly), feeding its
 * stdin, streaming its output and killing its whole process tree at the timeout. Blocks the calling (pool) thread until the task
 * is finished; the consumer thread never calls it.
 */
public final class TaskRunner implements TaskExecutor {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private static final long TICK_NANOS = OutputChunker.MAX_DELAY_NANOS;
    /** After the process exits, how long to wait for the rest of its output before giving up on it. */
    private static final long DRAIN_MILLIS = 5_000;

    private final long maxOutputBytesCap;
    private final boolean agentIsRoot;

    /**
     * @param maxOutputBytesCap upper bound on any task's output cap
     * @param agentIsRoot       root tasks run directly when true, through {@code sudo -n} otherwise
     */
    public TaskRunner(long maxOutputBytesCap, boolean agentIsRoot) {
        this.maxOutputBytesCap = maxOutputBytesCap;
        this.agentIsRoot = agentIsRoot;
    }

    /** How a task ended, as the FINISHED record says. */
    public record Finished(Integer exitCode, boolean timedOut) {
        /** {@code succeeded}, {@code failed} or {@code timed-out}, as the provisioner folds them. */
        public String outcome() {
            return timedOut ? "timed-out" : Integer.valueOf(0).equals(exitCode) ? "succeeded" : "failed";
        }
    }

    /** Runs the task and reports STARTED, OUTPUT chunks and FINISHED through {@code progress}. */
    @Override
    public Finished run(TaskProgress progress) {
        TaskSpec spec = progress.task().spec();
        boolean throughSudo = spec.root() && !agentIsRoot;
        long started = System.nanoTime();
        Process process;
        try {
            process = start(spec, throughSudo);
        } catch (IOException e) {
            progress.started();
            progress.output("stderr", "cannot start /bin/sh: " + e.getMessage() + "\n");
            progress.finished(127, elapsedMs(started), false, false);
            return new Finished(127, false);
        }
        progress.started();
        LOG.debugf("task started as pid %s (root=%s, sudo=%s)", Long.toString(process.pid()), spec.root(), throughSudo);
        OutputChunker chunker = new OutputChunker(progress, outputCap(spec));
        List<Thread> pumps = new ArrayList<>();
        pumps.add(pump("stdout", process.getInputStream(), chunker));
        pumps.add(pump("stderr", process.getErrorStream(), chunker));
        feed(process.getOutputStream(), spec.stdin());

        boolean timedOut = false;
        long deadline = spec.timeoutMs() > 0 ? started + TimeUnit.MILLISECONDS.toNanos(spec.timeoutMs())
                : Long.MAX_VALUE;
        try {
            while (!process.waitFor(Math.max(1, Math.min(TICK_NANOS, deadline - System.nanoTime())),
                    TimeUnit.NANOSECONDS)) {
                chunker.flushDue(System.nanoTime());
                if (System.nanoTime() - deadline >= 0) {
                    timedOut = true;
                    new ProcessTreeKiller(throughSudo).kill(process.toHandle());
                    // Bounded: if even the kill was refused, the task is still reported, not waited on forever.
                    process.waitFor(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
                    break;
                }
            }
            for (Thread pump : pumps) {
                pump.join(DRAIN_MILLIS);
                if (pump.isAlive()) {
                    // A descendant escaped the kill (or was daemonised) and still holds the pipe.
                    closeQuietly(pump.getName().endsWith("stdout") ? process.getInputStream()
                            : process.getErrorStream());
                    pump.join(DRAIN_MILLIS);
                }
            }
        } catch (InterruptedException e) {
            new ProcessTreeKiller(throughSudo).kill(process.toHandle());
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        chunker.flushAll();
        Integer exitCode = timedOut ? null : process.exitValue();
        progress.finished(exitCode, elapsedMs(started), chunker.truncated(), timedOut);
        return new Finished(exitCode, timedOut);
    }

    private long outputCap(TaskSpec spec) {
        return spec.maxOutputBytes() > 0 ? Math.min(spec.maxOutputBytes(), maxOutputBytesCap) : maxOutputBytesCap;
    }

    /**
     * A simple command runs directly unless it needs sudo (whose rule allows only /bin/sh); one that
     * cannot be started that way (not found, not executable) goes to the shell after all, for the
     * shell's message and status 127.
     */
    private static Process start(TaskSpec spec, boolean throughSudo) throws IOException {
        if (!throughSudo) {
            Optional<List<String>> words = SimpleCommand.words(spec.command());
            if (words.isPresent()) {
                try {
                    return new ProcessBuilder(words.get()).start();
                } catch (IOException e) {
                    // fall through to /bin/sh
                }
            }
        }
        return new ProcessBuilder(command(spec, throughSudo)).start();
    }

    static List<String> command(TaskSpec spec, boolean throughSudo) {
        List<String> command = new ArrayList<>();
        if (throughSudo) {
            // -n: never prompt; without a NOPASSWD rule the task fails at once with sudo's message.
            command.addAll(List.of("sudo", "-n"));
        }
        command.addAll(List.of("/bin/sh", "-c", spec.command()));
        return command;
    }

    private static Thread pump(String stream, InputStream in, OutputChunker chunker) {
        Thread thread = new Thread(() -> {
            try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
                CharBuffer buffer = CharBuffer.allocate(OutputChunker.MAX_CHUNK_BYTES);
                while (reader.read(buffer) >= 0) {
                    buffer.flip();
                    chunker.append(stream, buffer, System.nanoTime());
                    buffer.clear();
                }
            } catch (IOException closed) {
                // the stream was closed under us after the process ended; the rest is lost on purpose
            }
        }, "task-" + stream);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Writes stdin on its own thread: a command that never reads it must not block the task. */
    private static void feed(OutputStream out, String stdin) {
        Thread thread = new Thread(() -> {
            try (out) {
                if (stdin != null) {
                    out.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            } catch (IOException brokenPipe) {
                // the command exited without reading all of its input; that is its business
            }
        }, "task-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // closing only to unblock the reader
        }
    }

    private static long elapsedMs(long startNanos) {
        // Durations come from the monotonic clock: a wall-clock step (NTP fixing the seed's 8-day drift) must not skew them.
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
