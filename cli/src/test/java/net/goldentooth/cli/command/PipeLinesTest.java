package net.goldentooth.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipeLinesTest {

    @Test
    void skipsCommentsAndBlankLinesAndKeepsOrder() {
        String input = "# check the cluster\nuptime\n\n   \n  # indented comment\ndf -h /mnt/nfs\r\nsystemctl is-active kubelet # trailing\n";
        assertEquals(List.of("uptime", "df -h /mnt/nfs", "systemctl is-active kubelet # trailing"),
                PipeLines.commands(input));
    }

    @Test
    void noCommandsInOnlyCommentsOrEmptyInput() {
        assertEquals(List.of(), PipeLines.commands(""));
        assertEquals(List.of(), PipeLines.commands("#a\n\n#b"));
    }

    @Test
    void lastLineWithoutNewlineCounts() {
        assertEquals(List.of("a", "b"), PipeLines.commands("a\nb"));
    }
}
