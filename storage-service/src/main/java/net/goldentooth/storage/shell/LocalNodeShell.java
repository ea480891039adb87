package net.goldentooth.storage.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs every node's commands on this machine with {@code /bin/sh -c}. For tests against
 * zfs-fuse pools (two pools stand in for source and target) and for a single-machine setup;
 * the node name only appears in errors.
 */
public final class LocalNodeShell implements NodeShell {

    private final Duration timeout;

    public LocalNodeShell(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public ShellResult run(String node, String command, String stdin) {
        Process process;
        try {
            process = new ProcessBuilder("/bin/sh", "-c", command).start();
        } catch (IOException e) {
            throw new NodeShellException(node, "cannot start /bin/sh: " + e.getMessage(), false);
        }
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // The command may exit without reading its input; its exit code tells what happened.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new NodeShellException(node, "command timed out after " + timeout, true);
            }
            return new ShellResult(process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new NodeShellException(node, "interrupted", true);
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
