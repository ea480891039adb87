package net.goldentooth.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.client.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad arguments end with exit code 2 and a message on stderr, before any request: the endpoint
 * points at a port nothing listens on, so reaching the network would end with 5 instead.
 */
class ArgumentParsingTest {

    private final Capture out = new Capture();
    private final Capture err = new Capture();

    private int run(String stdin, String... args) {
        CliContext context = new CliContext(out.stream, err.stream,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                Map.of(Endpoint.ENV, "http://127.0.0.1:1"), Clock.systemUTC());
        return Main.run(context, args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "frob                                           | unknown command 'frob'",
            "jobz                                           | Did you mean: goldentooth job or goldentooth jobs?",
            "command all                                    | Missing required parameter: '<command>'",
            "command                                        | Missing required parameters: '<pattern>', '<command>'",
            "command --timeout 0 all uptime                 | --timeout must be a positive number of seconds, got 0",
            "command --timeout soon all uptime              | Invalid value for option '--timeout': 'soon' is not an int",
            "command_root --concurrency 101% all uptime     | --concurrency must be a number of targets (10) or a percentage from 1% to 100% (25%), got '101%'",
            "command --concurrency 0 all uptime             | got '0'",
            "command --concurrency ten all uptime           | got 'ten'",
            "command --tag --json all uptime                | --tag and --json cannot be combined",
            "command --idempotency-key ' ' all uptime       | --idempotency-key must not be blank",
            "command ' ' uptime                             | the host pattern is empty",
            "batch /nonexistent/script.sh all               | cannot read the script '/nonexistent/script.sh': no such file",
            "batch                                          | Missing required parameters: '<script>', '<pattern>'",
            "heredoc all                                    | heredoc: no script on standard input",
            "jobs --state bogus                             | --state: unknown JobState 'bogus', expected one of: running, succeeded, failed",
            "jobs --limit 0                                 | --limit must be at least 1, got 0",
            "jobs --offset -1                               | --offset must not be negative, got -1",
            "job                                            | Missing required parameter: '<id>'",
            "completion zsh                                 | completion: unsupported shell 'zsh'; only bash is supported",
            "--provisioner ftp://x status                   | --provisioner 'ftp://x' is not an http(s) URL",
            "status --provisioner localhost:8081            | --provisioner 'localhost:8081' is not an http(s) URL",
            "list_groups --frob                             | Unknown option: '--frob'",
    })
    void usageErrorsExitTwoWithAMessage(String line, String message) {
        int exit = run("", split(line));
        assertEquals(2, exit, err.text());
        assertTrue(err.text().contains(message), err.text());
        assertTrue(err.text().startsWith("goldentooth: "), err.text());
        assertTrue(err.text().contains("Try 'goldentooth help"), err.text());
        assertEquals("", out.text());
    }

    @Test
    void noCommandPrintsTheWholeUsageOnStderr() {
        assertEquals(2, run(""));
        assertTrue(err.text().startsWith("Usage: goldentooth [-h] [--provisioner=URL] [--token=TOKEN] <command>"), err.text());
        assertTrue(err.text().contains("Exit codes"), err.text());
        assertEquals("", out.text());
    }

    @Test
    void pipeWithOnlyCommentsAndBlankLinesIsAUsageError() {
        assertEquals(2, run("# only a comment\n\n   \n", "pipe", "all"));
        assertTrue(err.text().contains("pipe: no commands on standard input"), err.text());
    }

    @Test
    void emptyScriptFileIsAUsageError(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path script = java.nio.file.Files.writeString(dir.resolve("empty.sh"), "\n");
        assertEquals(2, run("", "batch", script.toString(), "all"));
        assertTrue(err.text().contains("is empty"), err.text());
    }

    @Test
    void helpListsCommandsAndTheExitCodes() {
        assertEquals(0, run("", "help"));
        String help = out.text();
        for (String command : new String[] {"command_root", "pipe", "batch", "heredoc", "list_groups", "jobs",
                "status", "completion"}) {
            assertTrue(help.contains("  " + command + " "), command + " missing in\n" + help);
        }
        assertTrue(help.contains("Exit codes (the most serious wins: 1 over 4 over 3)"), help);
        for (int code = 0; code <= 5; code++) {
            assertTrue(help.contains("\n  " + code + "   "), "exit code " + code + " missing in\n" + help);
        }
    }

    @Test
    void helpOfOneCommandShowsItsOptions() {
        assertEquals(0, run("", "help", "command"));
        assertTrue(out.text().contains("--concurrency=N|N%"), out.text());
        assertTrue(out.text().contains("--idempotency-key=KEY"), out.text());
        assertEquals(0, run("", "jobs", "--help"));
        assertTrue(out.text().contains("running, succeeded, failed"), out.text());
    }

    /** Splits on spaces, keeping 'quoted words' together (as a shell would). */
    private static String[] split(String line) {
        java.util.List<String> words = new java.util.ArrayList<>();
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("'([^']*)'|(\\S+)").matcher(line);
        while (matcher.find()) {
            words.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return words.toArray(String[]::new);
    }
}
