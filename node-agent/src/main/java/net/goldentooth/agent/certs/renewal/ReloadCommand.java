package net.goldentooth.agent.certs.renewal;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import net.goldentooth.agent.facts.CommandRunner;

/** A lineage's reload hook: a shell command run after a new certificate is written. */
public final class ReloadCommand {

    /** Runs {@code command} with {@code /bin/sh -c}; why it failed, or empty when it exited 0. */
    public static Optional<String> run(CommandRunner runner, String command) {
        try {
            CommandRunner.Result result = runner.run(List.of("/bin/sh", "-c", command));
            return result.exitCode() == 0 ? Optional.empty()
                    : Optional.of("`" + command + "` exited " + result.exitCode() + ": " + result.firstErrorLine());
        } catch (IOException e) {
            return Optional.of("`" + command + "`: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    private ReloadCommand() {
    }
}
