package net.goldentooth.deploy.deb;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs the real Debian tools the package tests need; a missing tool fails the test naming its package. */
final class Commands {

    /** What a finished command printed and returned. */
    record Result(int exitCode, String stdout, String stderr) {
        String all() {
            return stdout + stderr;
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, 600);
    }

    static Result run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        return run(command, timeoutSeconds, null);
    }

    /** Runs {@code command} in {@code directory} (null: the current one). */
    static Result run(List<String> command, long timeoutSeconds, Path directory) throws IOException, InterruptedException {
        Path out = Files.createTempFile("gt-cmd", ".out");
        Path err = Files.createTempFile("gt-cmd", ".err");
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile()).redirectError(err.toFile());
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().put("ANSIBLE_NOCOLOR", "1");
            // Maintainer scripts and debootstrap must not be asked anything.
            builder.environment().put("DEBIAN_FRONTEND", "noninteractive");
            builder.environment().put("LC_ALL", "C.UTF-8");
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs the command and fails the test, with its output, unless it exits 0. */
    static String ok(List<String> command) throws IOException, InterruptedException {
        Result result = run(command);
        assertEquals(0, result.exitCode(), () -> String.join(" ", command) + " failed:\n" + result.all());
        return result.stdout();
    }

    /** Fails the test with the Debian package to install when {@code binary} is not on the PATH. */
    static void require(String binary, String debianPackage) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, binary))) {
                return;
            }
        }
        fail(binary + " is not installed: apt-get install " + debianPackage
                + " (listed in .ci/packages/deploy.txt)");
    }

    /** The package built by this module's package phase. */
    static Path debFile() {
        Path deb = Path.of(System.getProperty("deb.file", "target/missing.deb"));
        if (!Files.isRegularFile(deb)) {
            fail("no package at " + deb + ": run the package phase (./mvnw verify -pl deploy/node-agent-deb)");
        }
        return deb;
    }

    private Commands() {
    }
}
