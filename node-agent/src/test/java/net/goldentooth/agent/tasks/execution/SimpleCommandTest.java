package net.goldentooth.agent.tasks.execution;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SimpleCommandTest {

    @Test
    void plainWordsRunWithoutAShell() {
        assertEquals(Optional.of(List.of("uptime")), SimpleCommand.words("uptime"));
        assertEquals(Optional.of(List.of("df", "-h", "/mnt/usb1")), SimpleCommand.words("  df  -h /mnt/usb1 "));
        assertEquals(Optional.of(List.of("systemctl", "is-active", "consul.service")),
                SimpleCommand.words("systemctl is-active consul.service"));
        assertEquals(Optional.of(List.of("dd", "if=/dev/zero", "count=1")), SimpleCommand.words("dd if=/dev/zero count=1"));
    }

    @Test
    void anythingTheShellWouldInterpretStaysWithTheShell() {
        for (String command : List.of("echo $HOME", "ls *.log", "uptime > /tmp/x", "cat /etc/hosts | wc -l",
                "sleep 1 && true", "FOO=1 env", "cd /tmp", "echo hi", "kill 1", "test -f /etc/hosts",
                "ls ~", "printf '%s' x", "uptime; uptime", "grep \"a b\" f", "sleep 9 &", "if true", "ls\t/",
                "ls # comment", "exit 3", "a\\ b", "")) {
            assertTrue(SimpleCommand.words(command).isEmpty(), command);
        }
    }
}
