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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import net.goldentooth.events.job.TaskSpec;
import org.jboss.logging.Logger;

/**
 * Runs one task's command with {@code /bin/sh -c} (a {@link SimpleCommand} directly), feeding its
 * stdin, streaming its output and killing its whole process tree at the timeout. Blocks the calling (pool) thread until the task
 * is finished; the consumer thread never calls it.
 *
 * <p>A task's stdout and stderr are read on threads of a pool kept between tasks, and a small stdin
 * is written by the calling thread: a short command then costs no thread creation at all, where it
 * used to start three threads and end them again.
 */
public final class TaskRunner {

    private static final Logger LOG = Logger.getLogger(TaskRunner.class);
    private static final long TICK_NANOS = OutputChunker.MAX_DELAY_NANOS;
    /** After the process exits, how long to wait for the rest of its output before giving up on it. */
    private static final long DRAIN_MILLIS = 5_000;
    /**
     * Up to this much stdin is written without a thread of its own: a pipe holds at least one page
     * even when the user's pipe buffers are limited, so the write returns whether or not the command
     * reads it.
     */
    static final int INLINE_STDIN_BYTES = 4096;

    private final long maxOutputBytesCap;
    private final boolean agentIsRoot;
    /** Output readers (two per running task) and the writers of large stdin; idle threads end after a minute. */
    private final ExecutorService io;

    /**
     * @param maxOutputBytesCap upper bound on any task's output cap
     * @param agentIsRoot       root tasks run directly when true, through {@code sudo -n} otherwise
     */
    public TaskRunner(long maxOutputBytesCap, boolean agentIsRoot) {
        this.maxOutputBytesCap = maxOutputBytesCap;
        this.agentIsRoot = agentIsRoot;
        AtomicInteger count = new AtomicInteger();
        this.io = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread t = new Thread(r, "task-io-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** How a task ended, as the FINISHED record says. */
    public record Finished(Integer exitCode, boolean timedOut) {
        /** {@code succeeded}, {@code failed} or {@code timed-out}, as the provisioner folds them. */
        public String outcome() {
            return timedOut ? "timed-out" : Integer.valueOf(0).equals(exitCode) ? "succeeded" : "failed";
        }
    }

    /** Runs the task and reports STARTED, OUTPUT chunks and FINISHED through {@code progress}. */
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
        Future<?> stdout = pump("stdout", process.getInputStream(), chunker);
        Future<?> stderr = pump("stderr", process.getErrorStream(), chunker);
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
            drain(stdout, process.getInputStream());
            drain(stderr, process.getErrorStream());
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

    private Future<?> pump(String stream, InputStream in, OutputChunker chunker) {
        return io.submit(() -> {
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
        });
    }

    /** Waits for a reader to reach the end of its stream; closes the stream under it if it does not come. */
    private static void drain(Future<?> reader, InputStream in) throws InterruptedException {
        try {
            reader.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // A descendant escaped the kill (or was daemonised) and still holds the pipe.
            closeQuietly(in);
            try {
                reader.get(DRAIN_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException stillStuck) {
                LOG.warnf("the %s reader of a finished task did not end: %s", in, stillStuck.toString());
            }
        } catch (ExecutionException e) {
            LOG.errorf(e.getCause(), "reading a task's output failed");
        }
    }

    /**
     * Writes stdin, then closes it: at once when it is small, or on a pool thread, since a command
     * that never reads a large input must not block the task.
     */
    private void feed(OutputStream out, String stdin) {
        byte[] bytes = stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8);
        Runnable write = () -> {
            try (out) {
                out.write(bytes);
            } catch (IOException brokenPipe) {
                // the command exited without reading all of its input; that is its business
            }
        };
        if (bytes.length <= INLINE_STDIN_BYTES) {
            write.run();
        } else {
            io.execute(write);
        }
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
