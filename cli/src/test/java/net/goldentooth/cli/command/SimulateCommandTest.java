package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The power switches of the simulated nodes: the file the agent reads, and the refusals. */
class SimulateCommandTest {

    @TempDir
    Path state;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        CliContext context = new CliContext(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), new ByteArrayInputStream(new byte[0]),
                Map.of("GOLDENTOOTH_STATE", state.toString()), Clock.systemUTC());
        return Main.run(context, args);
    }

    private String poweredOff() throws Exception {
        Path file = state.resolve(SimulateCommand.POWERED_OFF);
        return Files.exists(file) ? Files.readString(file) : "";
    }

    @Test
    void downAndUpEditTheFileTheAgentReads() throws Exception {
        Files.createDirectories(state.resolve("agent/simulation"));
        Files.writeString(state.resolve(SimulateCommand.NODES), "allyrion\nbettley\ncargyll\n");

        assertEquals(0, run("simulate", "down", "bettley"));
        assertTrue(out.toString().startsWith("bettley powered off"), out.toString());
        assertEquals("bettley\n", poweredOff());
        assertEquals(0, run("simulate", "down", "cargyll"));
        assertEquals(0, run("simulate", "down", "cargyll"));
        assertTrue(out.toString().contains("(it already was)"), out.toString());
        assertEquals("bettley\ncargyll\n", poweredOff());

        assertEquals(0, run("simulate", "list"));
        assertEquals("allyrion\ton\nbettley\toff\ncargyll\toff\n", out.toString());

        assertEquals(0, run("simulate", "up", "bettley"));
        assertEquals("cargyll\n", poweredOff());
        assertEquals(0, run("simulate", "up", "cargyll"));
        assertEquals("", poweredOff());
    }

    @Test
    void anUnknownNodeOrNoSimulationIsAUsageError() throws Exception {
        assertEquals(2, run("simulate", "down", "bettley"));
        assertTrue(err.toString().contains("no simulated nodes here"), err.toString());
        assertTrue(err.toString().contains("./goldentooth up --simulate"), err.toString());

        Files.createDirectories(state.resolve("agent/simulation"));
        Files.writeString(state.resolve(SimulateCommand.NODES), "allyrion\nbettley\n");
        assertEquals(2, run("simulate", "down", "velaryon"));
        assertTrue(err.toString().contains("'velaryon' is not a simulated node; they are: allyrion, bettley"),
                err.toString());
        assertFalse(Files.exists(state.resolve(SimulateCommand.POWERED_OFF)));

        assertEquals(2, run("simulate"));
        assertEquals(2, run("simulate", "down"));
    }
}
