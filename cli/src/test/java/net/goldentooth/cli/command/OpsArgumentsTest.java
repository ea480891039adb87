package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.time.Clock;
import java.util.Map;
import net.goldentooth.cli.CliContext;
import net.goldentooth.cli.Fixtures.Capture;
import net.goldentooth.cli.Main;
import net.goldentooth.cli.client.Endpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * setup_*, playbooks, k8s and job approve: bad arguments exit 2 before any request (the endpoint is
 * a closed port, so reaching the network would exit 5 instead).
 */
class OpsArgumentsTest {

    private final Capture out = new Capture();
    private final Capture err = new Capture();

    private int run(String... args) {
        CliContext context = new CliContext(out.stream, err.stream, new ByteArrayInputStream(new byte[0]),
                Map.of(Endpoint.ENV, "http://127.0.0.1:1"), Clock.systemUTC());
        return Main.run(context, args);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "setup_consul -e novalue                       | -e 'novalue' is not key=value",
            "setup_consul -e bad-key=1                     | -e 'bad-key=1' is not key=value",
            "setup_consul --concurrency 2                  | --concurrency and --ssh do not apply to playbook jobs",
            "playbook consul                               | 'consul' is not a playbook name",
            "playbook setup_../../etc/passwd               | is not a playbook name",
            "k8s                                           | Missing k8s command",
            "k8s taint velaryon gpu=true                   | 'gpu=true' is not key[=value]:Effect[-]",
            "k8s label velaryon gpu                        | 'gpu' is neither key=value nor key-",
            "k8s upgrade 1.33.2                            | Missing required parameter: '<pattern>'",
            "job approve                                   | Missing required parameter: '<id>'",
            "render nginx                                  | Invalid value for positional parameter at index 0 (<what>): expected one of [haproxy]",
    })
    void usageErrorsExitTwo(String line, String message) {
        int exit = run(line.trim().split("\\s+"));
        assertEquals(2, exit, err.text());
        assertTrue(err.text().contains(message), err.text());
        assertEquals("", out.text());
    }

    @Test
    void setupCommandsBecomePlaybookRuns() {
        assertArrayEquals(new String[] {"playbook", "setup_consul", "--limit", "bettley", "-e", "a=b"},
                PlaybookCommand.rewrite("setup_consul", "--limit", "bettley", "-e", "a=b"));
        assertArrayEquals(new String[] {"--provisioner", "http://x:1", "playbook", "setup_vault"},
                PlaybookCommand.rewrite("--provisioner", "http://x:1", "setup_vault"));
        assertArrayEquals(new String[] {"command", "all", "setup_x"}, PlaybookCommand.rewrite("command", "all", "setup_x"));
        assertArrayEquals(new String[0], PlaybookCommand.rewrite());
    }

    @Test
    void aValidSetupCommandReachesForTheProvisioner() {
        assertEquals(5, run("setup_consul", "--limit", "consul_server", "-e", "version=1.2 beta"));
        assertTrue(err.text().contains("cannot reach the provisioner"), err.text());
    }
}
