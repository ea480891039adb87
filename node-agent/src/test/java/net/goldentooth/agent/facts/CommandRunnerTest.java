package net.goldentooth.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandRunnerTest {

    private final CommandRunner runner = new CommandRunner(Duration.ofMillis(500));

    @Test
    void aMissingToolIsToldApartFromAFailure() {
        CommandRunner.CommandMissingException e = assertThrows(CommandRunner.CommandMissingException.class,
                () -> runner.run(List.of("goldentooth-no-such-tool", "get_throttled")));
        assertEquals("goldentooth-no-such-tool is not installed", e.getMessage());
    }

    @Test
    void aHungToolIsKilledAtTheTimeout() {
        IOException e = assertThrows(IOException.class, () -> runner.run(List.of("sleep", "30")));
        assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
    }

    @Test
    void outputAndExitCodeAreReturned() throws Exception {
        CommandRunner.Result result = runner.run(List.of("/bin/sh", "-c",
                "echo active; echo 'Failed to connect to bus' >&2; exit 3"));
        assertEquals(3, result.exitCode());
        assertEquals("active\n", result.stdout());
        assertEquals("Failed to connect to bus", result.firstErrorLine());
    }
}
