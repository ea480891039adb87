package net.goldentooth.agent.facts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a small read-only tool ({@code systemctl is-active}, {@code vcgencmd}) for a facts collector. */
public final class CommandRunner {

    /** The tool is not installed here; the collector reports that instead of an error. */
    public static final class CommandMissingException extends IOException {
        public CommandMissingException(String command) {
            super(command + " is not installed");
        }
    }

    /** What the tool printed; stderr is kept apart so that it never passes for output to parse. */
    public record Result(int exitCode, String stdout, String stderr) {

        /** The first line of stderr, for an error message. */
        public String firstErrorLine() {
            return stderr.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + exitCode);
        }
    }

    private final Duration timeout;

    public CommandRunner(Duration timeout) {
        this.timeout = timeout;
    }

    /** Runs {@code command}; a run over the timeout is killed and reported as an IOException. */
    public Result run(List<String> command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).contains("No such file")) {
                throw new CommandMissingException(command.get(0));
            }
            throw e;
        }
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), out.join(), err.join());
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
