package net.goldentooth.cli.completion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.Main;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The script's text, and what it completes when bash runs it against a stand-in goldentooth. */
class BashCompletionTest {

    @TempDir
    Path dir;

    private String script;
    private Path fake;

    @BeforeEach
    void writeScriptAndStandIn() throws IOException {
        Capture out = new Capture();
        CliContext context = new CliContext(out.stream, new Capture().stream, new ByteArrayInputStream(new byte[0]),
                Map.of(), Clock.systemUTC());
        assertEquals(0, Main.run(context, "completion", "bash"));
        script = out.text();
        Files.writeString(dir.resolve("completion.bash"), script);
        // Stands in for ./goldentooth: answers list_groups --names and counts how often it was asked.
        fake = dir.resolve("goldentooth");
        Files.writeString(fake, """
                #!/usr/bin/env bash
                echo "$*" >> "%s/calls"
                [[ "$*" == *"list_groups --names" ]] && printf '%%s\\n' all consul_server allyrion bettley dalt
                """.formatted(dir));
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(dir.resolve("script.sh"), "uptime\n");
    }

    @Test
    void scriptNamesEveryCommandItsOptionsAndTheNameSource() {
        assertTrue(script.contains("local commands=\"alerts batch bootstrap certs command command_root completion cp help "
                + "heredoc job jobs k8s list_groups logs pipe pki playbook playbooks render services shell simulate status storage\""), script);
        assertTrue(script.contains("valueopts=\"--identity --known-hosts --provisioner --token -i\""), script);
        assertTrue(script.contains("list_groups --names"), script);
        assertTrue(script.contains("complete -F _goldentooth goldentooth"), script);
        assertTrue(script.contains("valueopts=\"--concurrency --idempotency-key --provisioner --timeout --token\""), script);
        assertTrue(script.contains("flags=\"--each --help --json --keep-going --ssh --tag -h\""), script);
        assertTrue(script.contains("-mmin +1"), "the names cache expires after a minute");
    }

    @Test
    void bashAcceptsTheScript() throws Exception {
        assertEquals("", bash("bash -n " + dir.resolve("completion.bash")).strip());
    }

    @Test
    void completesCommandsPatternsOptionsAndFiles() throws Exception {
        assertEquals(List.of("command", "command_root", "completion"), complete("com"));
        assertEquals(List.of("bettley"), complete("command", "b"));
        assertEquals(List.of("all", "allyrion"), complete("command", "--timeout", "5", "--tag", "a"));
        assertEquals(List.of("bettley,dalt"), complete("command", "bettley,d"));
        assertEquals(List.of("all,!dalt"), complete("command_root", "all,!d"));
        assertEquals(List.of(), complete("command", "all", "up"));
        assertEquals(List.of("--concurrency"), complete("command", "--c"));
        assertEquals(List.of(dir.resolve("script.sh").toString()), complete("batch", dir.resolve("scr").toString()));
        assertEquals(List.of("bettley"), complete("batch", "script.sh", "b"));
        assertEquals(List.of("running"), complete("jobs", "--state", "r"));
        assertEquals(List.of("dalt"), complete("jobs", "--node", "d"));
        assertEquals(List.of("completion"), complete("help", "compl"));
        assertEquals(List.of("bash"), complete("completion", ""));
        assertEquals(List.of("consul_server"), complete("--provisioner", "http://x:1", "pipe", "con"));
    }

    @Test
    void namesAreFetchedOnceAndCachedAndTheProvisionerOptionIsPassedOn() throws Exception {
        complete("--provisioner", "http://x:1", "command", "a");
        complete("command", "b");
        List<String> calls = Files.readAllLines(dir.resolve("calls"));
        assertEquals(List.of("--provisioner http://x:1 list_groups --names"), calls);
    }

    private List<String> complete(String... words) throws Exception {
        StringBuilder array = new StringBuilder("'" + fake + "'");
        for (String word : words) {
            array.append(" '").append(word).append("'");
        }
        String output = bash("source '" + dir.resolve("completion.bash") + "'; cd '" + dir + "'; "
                + "COMP_WORDS=(" + array + "); COMP_CWORD=" + words.length + "; _goldentooth; "
                + "for w in \"${COMPREPLY[@]}\"; do echo \"$w\"; done");
        return output.isEmpty() ? List.of() : List.of(output.split("\n"));
    }

    private String bash(String command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true);
        builder.environment().put("TMPDIR", dir.toString());
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bash did not finish");
        assertEquals(0, process.exitValue(), output);
        return output.strip();
    }
}
